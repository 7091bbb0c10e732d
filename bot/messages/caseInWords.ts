/**
 * Where a case stands, in a few words for a text message (SMS): the web chat's SMS when a case is
 * closed and the SMS "STATUS" reply. A case referred to the back office is not "resolved": it is
 * with the back office, due by a date, with the back office's name, as the chat's own "status"
 * says (bot/backOffice/ratepayerFollowUp.ts; tester 10, finding 5). Other outcomes are named as
 * the summary card names them (`cards.outcome.*`).
 */
import type { Case } from '../domain/case.js';
import { stageOf } from '../domain/followThrough.js';
import { t, type Locale, type MessageKey } from './index.js';
import { longDate } from './time.js';

/**
 * The case's state as the end of "case K7M-3PQ is …" (`whatsapp.smsStatus`): waiting, with an
 * expert, with the back office (or overdue, or escalated) and due by a date with the team's name
 * (`whatsapp.smsStateReferred`), resolved, or finished with another outcome
 * (`whatsapp.smsStateOutcome`). `now`: the instant the stage is judged at (overdue after the due time).
 */
export function smsCaseState(c: Pick<Case, 'state' | 'referral' | 'outcome'>, locale: Locale, now: Date): string {
  const r = c.referral;
  if (c.state === 'resolved' && r && !r.done)
    return t(locale, 'whatsapp.smsStateReferred', { stage: t(locale, `followThrough.status.stage.${stageOf(c, now)}`), date: longDate(r.dueDate, locale), team: r.team.name });
  if (c.state === 'resolved' && c.outcome && c.outcome.kind !== 'resolved' && c.outcome.kind !== 'referred_back_office')
    return t(locale, 'whatsapp.smsStateOutcome', { outcome: t(locale, `cards.outcome.${c.outcome.kind}`) });
  return t(locale, `whatsapp.smsStates.${c.state}` as MessageKey);
}
