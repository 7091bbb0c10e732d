/**
 * Which cases belong to a ratepayer's conversation. Every message a ratepayer types asks this
 * (is it for an expert, or about their place?), so it is answered from the cases noted on the
 * conversation — point reads of one conversation and its few cases — rather than by a query
 * across every case in the store, which Cosmos DB would run on every partition.
 */
import type { Case } from '../domain/case.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import type { ConversationStore, StoredConversation } from '../platform/ports/conversationStore.js';

/** The most recent noted cases that are read; older ones are long closed and forgotten. */
const READ_AT_MOST = 20;

/**
 * A noted case that is not in the store after this long was never saved (a clash of references,
 * or the submission failed) and is forgotten; a younger one may still be being saved.
 */
const UNSAVED_AFTER_MS = 10 * 60_000;

const isOpen = (c: Case) => c.state === 'waiting' || c.state === 'in_progress';
/**
 * A case the expert referred to the back office and the back office has not finished: closed for
 * the session, but the City still owes the ratepayer an answer (tester 11, findings 4 and 6), so
 * it stays noted on the conversation until the referral is done.
 */
const hasOpenReferral = (c: Case) => c.state === 'resolved' && !!c.referral && !c.referral.done;

/** The cases of conversations. */
export class ConversationCases {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly cases: CaseStore,
    private readonly clock: Clock,
  ) {}

  /** Notes a case on its conversation (and where to reach it) before the case is saved, so it is never missed. */
  async opening(conversation: StoredConversation, caseId: string): Promise<void> {
    await this.conversations.noteCase(conversation, { id: caseId, at: this.clock.now().toISOString() });
  }

  /**
   * The conversation's latest noted case (open, or closed and not yet forgotten), by a point read
   * of it; none, with no request beyond the conversation's own (read once per turn), when nothing
   * is noted. Not a query of the conversation's cases: that runs on every partition, and this is
   * asked on every form offered.
   */
  async latestOf(conversationId: string): Promise<StoredCase | undefined> {
    const last = (await this.conversations.get(conversationId))?.openedCases?.at(-1);
    if (!last) return undefined;
    const c = await this.cases.get(last.id);
    // A reference noted here but held by another conversation's case (a clash) is not ours.
    return c && c.ratepayer.conversationId === conversationId ? c : undefined;
  }

  /** The conversation's cases that are not closed, oldest in the queue first. */
  async openCasesOf(conversationId: string): Promise<StoredCase[]> {
    return (await this.noted(conversationId)).open;
  }

  /**
   * The conversation's cases referred to the back office and not yet done (hasOpenReferral), the
   * latest referred first: by point reads of the cases noted on the conversation, as openCasesOf.
   */
  async openReferralsOf(conversationId: string): Promise<StoredCase[]> {
    return (await this.noted(conversationId)).referred;
  }

  private async noted(conversationId: string): Promise<{ open: StoredCase[]; referred: StoredCase[] }> {
    const noted = (await this.conversations.get(conversationId))?.openedCases?.slice(-READ_AT_MOST) ?? [];
    const ids = [...new Set(noted.map((n) => n.id))];
    if (ids.length === 0) return { open: [], referred: [] };
    const found = await Promise.all(ids.map((id) => this.cases.get(id)));
    const open: StoredCase[] = [];
    const referred: StoredCase[] = [];
    const done: string[] = [];
    const now = this.clock.now().getTime();
    ids.forEach((id, i) => {
      const c = found[i];
      // A reference noted here but held by another conversation's case: a clash, not ours.
      const ours = c && c.ratepayer.conversationId === conversationId ? c : undefined;
      if (ours && isOpen(ours)) open.push(ours);
      // Kept noted while the back office owes an answer: "status" lists it and a reply goes to it.
      else if (ours && hasOpenReferral(ours)) referred.push(ours);
      else if (c || noted.every((n) => n.id !== id || now - Date.parse(n.at) > UNSAVED_AFTER_MS)) done.push(id);
    });
    // Forgotten once, so the next message reads only what is open.
    if (done.length) await this.conversations.forgetCases(conversationId, done);
    return {
      open: open.sort((a, b) => (a.queueKey < b.queueKey ? -1 : a.queueKey > b.queueKey ? 1 : 0)),
      referred: referred.sort((a, b) => Date.parse(b.referral!.referredAt) - Date.parse(a.referral!.referredAt)),
    };
  }
}
