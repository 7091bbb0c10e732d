/**
 * What a ratepayer can do after the session (issue 19): reopen a finished case ("not resolved",
 * "reopen K7M-3PQ") within the programme's period, and see where an older case stands
 * ("status K7M-3PQ") from any chat once they prove it is theirs: the chat it was opened from, or
 * the account number and the last four digits of the mobile number given at intake. A wrong proof
 * and an unknown reference get the same answer (nothing about the case is revealed). Failed proofs
 * are limited per chat (FAILED_PROOFS_LIMIT) and per case reference from all chats together
 * (FAILED_PROOFS_PER_REFERENCE: a new chat must not mean a new count), both in
 * FAILED_PROOFS_WINDOW_MS and counted in the store so across instances
 * (bot/platform/ports/proofAttempts.ts); a reference at its limit refuses every proof, the right
 * one too, until the window has passed. Failed proofs, and the lock they lead to, are recorded on
 * the case's audit trail (POPIA: who tried to see it), never what was typed, and the supervisors' channels are told of
 * the lock. A stranger's right
 * proof shows where the case stands, not the expert's or the back office's own words (POPIA's
 * minimum necessary: those went to the chat the case was opened from).
 */
import { firstName, ratepayerActor, recordChange, type Case, type RatepayerIdentity } from '../domain/case.js';
import { nextSessionAfter, openSessionAt } from '../domain/calendar.js';
import { mayReopen, reopenCase, stageOf } from '../domain/followThrough.js';
import { formatReference, normaliseReference } from '../domain/reference.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import { DEFAULT_LOCALE, t, type Locale } from '../messages/index.js';
import { referralLines, summaryAsRead } from '../platform/cards/ratepayerCards.js';
import { categoryName, typeExamples } from '../messages/programme.js';
import { CaseKeepsChangingError, changeCase } from '../platform/flow/caseChanges.js';
import type { CaseEvents } from '../platform/flow/caseEvents.js';
import type { CaseStore } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import type { ConversationStore, StoredConversation } from '../platform/ports/conversationStore.js';
import type { ProofAttempts } from '../platform/ports/proofAttempts.js';
import type { FollowThroughAlerts } from '../supervisors/followThroughAlerts.js';

/** Failed proofs a chat may make within the window before it must wait. */
const FAILED_PROOFS_LIMIT = 5;
/**
 * Failed proofs on one case reference, from all chats together, within the window before the
 * reference is locked: about 6 guesses in 15 minutes of the 10,000 possible last four digits.
 */
const FAILED_PROOFS_PER_REFERENCE = 6;
/** The window of both limits (ms). */
const FAILED_PROOFS_WINDOW_MS = 15 * 60_000;

/**
 * The answer to "reopen": words, and, after the reopen period, the category whose form is offered
 * next for a new case that follows the old one (issue 19).
 */
export interface ReopenAnswer {
  words: string;
  newCase?: { category: string; follows: string };
}

/** The ratepayer follow-up service. */
export class RatepayerFollowUp {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly conversations: ConversationStore,
    private readonly events: CaseEvents,
    private readonly clock: Clock,
    /** Failed proofs per chat and per case reference, across instances: guessing is slowed down, then stopped. */
    private readonly proofs: ProofAttempts,
    /** The supervisors' channels, told when a case is locked after failed proofs. */
    private readonly alerts?: Pick<FollowThroughAlerts, 'proofsLocked'>,
  ) {}

  /**
   * Reopens the case `reference` (or, without one, the chat's most recently finished case) for
   * the ratepayer writing from `conversation`: only a case opened from this chat. Answers in words;
   * after the reopen period, with the form for a new case that follows it.
   */
  async reopen(conversation: StoredConversation, ratepayer: RatepayerIdentity, reference: string | undefined, locale: Locale): Promise<ReopenAnswer> {
    const words = (text: string): ReopenAnswer => ({ words: text });
    const now = this.clock.now();
    let c: Case | undefined;
    if (reference) {
      const id = normaliseReference(reference);
      const found = id ? await this.cases.get(id) : undefined;
      c = found && found.ratepayer.conversationId === conversation.id ? found : undefined;
      // The reference is not repeated: the answer is the same whether or not the case exists.
      if (!c) return words(t(locale, 'followThrough.reopen.notYours'));
    } else {
      const recent = await this.cases.listForConversation(conversation.id, 10);
      c = recent.find((x) => x.state === 'resolved');
      if (!c) return words(t(locale, 'followThrough.reopen.which'));
    }
    const shown = formatReference(c.id);
    const may = mayReopen(c, this.definition.followThrough, now);
    if (may === 'too_late')
      // After the period: a new case, linked to this one (the form carries its reference).
      return categoryByCode(this.definition, c.category)
        ? { words: t(locale, 'followThrough.reopen.tooLateLinked', { reference: shown, days: this.definition.followThrough.reopenDays }), newCase: { category: c.category, follows: c.id } }
        : words(t(locale, 'followThrough.reopen.tooLate', { reference: shown, days: this.definition.followThrough.reopenDays, examples: typeExamples(locale, this.definition) }));
    if (may !== 'yes') return words(t(locale, 'followThrough.reopen.notDone', { reference: shown, stage: t(locale, `followThrough.status.stage.${stageOf(c, now)}`) }));
    const session = openSessionAt(this.definition, now, c.region) ?? nextSessionAfter(this.definition, now, c.region);
    const result = await changeCase(this.cases, c.id, (current) =>
      mayReopen(current, this.definition.followThrough, now) === 'yes'
        ? reopenCase(current, now, ratepayerActor(ratepayer), this.definition.followThrough, session?.id ?? current.sessionId)
        : undefined,
    ).catch((error: unknown) => {
      if (error instanceof CaseKeepsChangingError) return { kind: 'missing' as const };
      throw error;
    });
    if (result.kind !== 'saved') return words(t(locale, 'followThrough.reopen.notDone', { reference: shown, stage: t(locale, 'followThrough.status.stage.waiting') }));
    // Noted on the chat again, so what the ratepayer types next goes to the expert who takes it.
    await this.conversations.noteCase(conversation, { id: c.id, at: now.toISOString() });
    await this.events.publish({ kind: 'case.queued', before: result.before, after: result.saved, by: { kind: 'ratepayer', id: 'ratepayer', name: 'Ratepayer' } });
    const preferred = result.saved.reopened?.preferred;
    const category = categoryName(this.definition, c.category, locale);
    return words(
      t(locale, 'followThrough.reopen.done', {
        reference: shown,
        category,
        expert: preferred ? t(locale, 'followThrough.reopen.sameExpert', { expert: firstName(preferred.name) }) : t(locale, 'followThrough.reopen.anyExpert'),
      }),
    );
  }

  /**
   * Where the case `reference` stands, for whoever proves it is theirs: the chat it was opened
   * from, or `proof` (account number and the last four digits of the mobile number). Otherwise
   * the same answer whether or not the case exists. "Too many tries" once the chat has made
   * FAILED_PROOFS_LIMIT failed proofs in the window, or any chats together FAILED_PROOFS_PER_REFERENCE
   * on this reference (then even the right proof is refused). Rejects when the store cannot be
   * reached (the turn answers that something went wrong).
   */
  async status(conversationId: string, reference: string, proof: { account: string; lastFour: string } | undefined, locale: Locale): Promise<string> {
    const now = this.clock.now();
    const windowStart = new Date(now.getTime() - FAILED_PROOFS_WINDOW_MS + 1);
    const tooMany = () => t(locale, 'followThrough.status.tooMany', { minutes: Math.ceil(FAILED_PROOFS_WINDOW_MS / 60_000) });
    const tries = await this.proofs.failedProofsSince(conversationId, windowStart);
    if (tries >= FAILED_PROOFS_LIMIT) return tooMany();
    const id = normaliseReference(reference);
    const c = id ? await this.cases.get(id) : undefined;
    if (c && c.ratepayer.conversationId === conversationId) return this.describe(c, locale, now, 'own chat');
    if (!proof) return t(locale, 'followThrough.status.proof');
    // Locked for every chat, whether or not a case has the reference (so the lock reveals nothing),
    // and for the right proof too: otherwise the lock would only slow the guessing down. The try
    // counts for the chat, not for the reference (which would keep it locked for its owner).
    if (id && (await this.proofs.failedProofsOnReferenceSince(id, windowStart)) >= FAILED_PROOFS_PER_REFERENCE) {
      await this.proofs.recordFailedProof(conversationId, now, windowStart);
      return tooMany();
    }
    const mobile = typeof c?.intake.mobile === 'string' ? c.intake.mobile.replace(/\D/g, '') : '';
    const proven = !!c && c.accountNumber === proof.account && mobile.length >= 4 && mobile.endsWith(proof.lastFour);
    const actor = { kind: 'ratepayer' as const, id: conversationId, name: 'another chat' };
    if (!proven) {
      await this.proofs.recordFailedProof(conversationId, now, windowStart);
      const onReference = id ? await this.proofs.recordFailedProofOnReference(id, now, windowStart) : 0;
      // Exactly one failed proof brings the count to the limit (the store serialises them).
      const locks = onReference === FAILED_PROOFS_PER_REFERENCE;
      const minutes = Math.ceil(FAILED_PROOFS_WINDOW_MS / 60_000);
      if (c) {
        await changeCase(this.cases, c.id, (current) => {
          const refused = recordChange(current, now, actor, 'status refused', 'wrong proof');
          return locks ? recordChange(refused, now, actor, 'status locked', `${FAILED_PROOFS_PER_REFERENCE} failed proofs from other chats in ${minutes} minutes`) : refused;
        }).catch(() => undefined);
        // Not awaited: the supervisors' channel must not hold up (or fail) the guesser's answer.
        if (locks) void this.alerts?.proofsLocked(c, FAILED_PROOFS_PER_REFERENCE, minutes, new Date(now.getTime() + FAILED_PROOFS_WINDOW_MS)).catch(() => undefined);
      }
      return t(locale, 'followThrough.status.noMatch');
    }
    await changeCase(this.cases, c.id, (current) => recordChange(current, now, actor, 'viewed', 'status with account proof')).catch(() => undefined);
    return this.describe(c, locale, now, 'proof');
  }

  /**
   * The case's stage, due date and escalation; to its own chat also the back office's last update
   * and the expert's summary (free text that may hold personal details), which a chat that proved
   * ownership with account and mobile digits does not get: it is told where the summary went.
   */
  private describe(c: Case, locale: Locale, now: Date, to: 'own chat' | 'proof'): string {
    const stage = stageOf(c, now);
    const category = categoryName(this.definition, c.category, locale);
    const lines = [t(locale, 'followThrough.status.line', { reference: formatReference(c.id), category, stage: t(locale, `followThrough.status.stage.${stage}`) })];
    // The same lines as "status" and "my cases" give an open referral (referralLines).
    lines.push(...referralLines(this.definition, c, locale, to));
    if (stage === 'done' && c.outcome)
      lines.push(
        to === 'own chat'
          ? t(locale, 'followThrough.status.outcome', { outcome: t(locale, `cards.outcome.${c.outcome.kind}`), summary: summaryForStatus(c, locale) })
          : t(locale, 'followThrough.status.outcomeElsewhere', { outcome: t(locale, `cards.outcome.${c.outcome.kind}`) }),
      );
    return lines.join('\n');
  }
}

/**
 * The case's summary (the expert's, or the back office's once done) as the status reply quotes it
 * in `locale`: as the summary card and the receipt gave it (summaryAsRead: the machine translation
 * kept on the case, marked so, or as written and marked as not translated). A reader of another
 * language than the one it was translated into (they changed language since) or than the experts'
 * (the expert turned translation off) gets it as written, marked as not translated, rather than
 * staff's English unmarked; no Translator is called for a status (issue 16, tester 9).
 */
function summaryForStatus(c: Case, locale: Locale): string {
  const outcome = c.outcome;
  if (!outcome) return '';
  const read = summaryAsRead(outcome, locale, c.referral?.done ? 'backOffice' : 'expert');
  return read === outcome.summary && locale !== DEFAULT_LOCALE ? `${outcome.summary} ${t(locale, 'translation.notTranslated')}` : read;
}
