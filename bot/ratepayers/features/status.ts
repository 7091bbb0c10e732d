/** "status" / "my cases" (in any served language: bot/messages/commandWords.ts): where the ratepayer's open cases stand. */
import { statusContent } from '../../platform/cards/ratepayerCards.js';
import { t } from '../../messages/index.js';
import { isCommand } from '../../messages/commandWords.js';
import { typeExamples } from '../../messages/programme.js';
import { text, type Reply } from '../replies.js';
import type { Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';

/** Whether the turn asks where their open cases stand ("status", "where am i", "isimo", "waar is ek"…). */
export const asksStatus = (turn: Turn): boolean => turn.channel.personal && isCommand('status', turn.text);
/** Whether the turn asks for their recent cases, closed ones too ("my cases", "izindaba zami", "my sake"…). */
export const asksMyCases = (turn: Turn): boolean => turn.channel.personal && isCommand('myCases', turn.text);

/** The open cases with their place (`all`: the recent ones, closed too), or how to join the queue. */
export async function status(turn: Turn, deps: ConversationDeps, all = false): Promise<Reply[]> {
  const locale = turn.locale;
  const cases = all ? await deps.intake.myCases(turn.conversationId) : await deps.intake.status(turn.conversationId);
  if (cases.length === 0) {
    const none = t(locale, all ? 'status.noCases' : 'status.noOpenCases');
    // In the middle of a form (WhatsApp, SMS) its question comes next: "type the kind of query" would
    // start another. At its review what comes next is the answers to check, not a question.
    if (turn.formOpen) return [text(t(locale, turn.formReview ? 'status.formReview' : 'status.formNotSent', { none }))];
    return [text(t(locale, 'status.joinHint', { none, examples: typeExamples(locale, deps.intake.definition) }))];
  }
  const count = cases.length;
  return [
    {
      kind: 'facts',
      view: 'status',
      content: statusContent(deps.intake.definition, cases, all, locale, deps.clock.now()),
      summary: t(locale, all ? 'status.recentFallback' : 'status.openFallback', { count }),
    },
  ];
}
