/**
 * One expert per chat, race-proof (bot/domain/case.ts otherExpertInChat): before a case is given
 * to an expert (a claim, a supervisor's assignment), the chat's claim (bot/platform/ports/chatClaims.ts)
 * is taken for that expert, and only then are the chat's cases read and the change decided on them
 * and written with the case's ETag.
 *
 * What it guarantees: two experts taking two cases of one chat at the same instant do not both
 * get one. The claim's document is written conditionally (create, or replace on its ETag), so the
 * takers are put in an order; a later taker reads the chat's cases after the earlier one's claim
 * and finds either the earlier expert's case in progress (refused by the rule), or, while that
 * claim's case shows no claim written since and the claim is younger than CHAT_CLAIM_SETTLE_MS, a
 * claim in flight (refused too, naming it). The window left: a claim whose case write takes longer
 * than CHAT_CLAIM_SETTLE_MS after taking the chat (the same assumption as the open-case claims,
 * bot/ratepayers/intake.ts); and the rule holds only for paths that come through here (every
 * claim and assignment does: AgentDesk.claim, Assignment.assign).
 *
 * Claimers of the same case do not take the chat from each other while one of them is on its way:
 * the case's ETag decides among them (twenty at once: one wins, the others are told who has it),
 * and the chat's claim naming one of them keeps the chat for whichever wins. A claim is never released when its case ends: a later taker
 * finds its holder with no case in progress and takes it over; it is given up (giveUp) only when
 * the change it was taken for was not made.
 */
import { ChatWithOtherExpertError } from '../../domain/case.js';
import type { CaseStore, StoredCase } from '../ports/caseStore.js';
import type { ChatClaim, ChatClaims, ChatHolder } from '../ports/chatClaims.js';

/** A chat's cases read for the rule (the newest; a chat has at most a few open). */
const CHAT_CASES = 20;

/** How long a chat's claim whose case shows no claim since counts as a claim in flight (a slow Cosmos write included). */
const CHAT_CLAIM_SETTLE_MS = 60_000;

/** Audit actions that give a case to an expert (claimCase, assignCase). */
const GIVEN = new Set(['claimed', 'assigned', 'reassigned']);

/** The chat held for the change: its cases as read after the claim, and how to give the claim up if the change is not made. */
export interface HeldChat {
  sameChat: StoredCase[];
  giveUp(): Promise<void>;
}

const nothingToGiveUp = async (): Promise<void> => undefined;

/**
 * Takes the chat of `target` for `expert` and reads its cases (`purpose`: an assignment may be of a
 * case in progress, a reassignment; a claim only of a waiting one). Throws ChatWithOtherExpertError
 * when another expert holds the chat with a case in progress or a claim in flight. Without
 * `claims` (tests of the desk alone), the cases are read and nothing is held.
 */
export async function holdChat(
  claims: ChatClaims | undefined,
  cases: Pick<CaseStore, 'listForConversation'>,
  target: StoredCase,
  expert: { id: string; name: string },
  now: Date,
  purpose: 'claim' | 'assignment',
): Promise<HeldChat> {
  const conversationId = target.ratepayer.conversationId;
  const read = () => cases.listForConversation(conversationId, CHAT_CASES);
  if (!claims) return { sameChat: await read(), giveUp: nothingToGiveUp };
  const mine: ChatHolder = { staffId: expert.id, name: expert.name, caseId: target.id, category: target.category };
  for (let attempt = 0; attempt < 4; attempt++) {
    const result = await claims.claim(conversationId, mine, now);
    if (result.claimed) return { sameChat: await read(), giveUp: () => claims.release(conversationId, result.current) };
    const current = result.current;
    // Read after the claim was seen: its holder's case, if they got it, is written by now (or the claim is young).
    const sameChat = await read();
    // A claim of a case someone has meanwhile: refused by the case's own rule (who has it), holding nothing.
    if (purpose === 'claim' && sameChat.some((c) => c.id === target.id && c.state !== 'waiting')) return { sameChat, giveUp: nothingToGiveUp };
    if (current.staffId !== expert.id) {
      const flying = inFlight(current, sameChat, now);
      // Another claimer of this very case, on its way: its ETag decides between us, and the claim
      // naming them keeps the chat for whichever of us wins. (A claim of this case that is not on
      // its way holds nothing: it is taken over like any other, so a taker of another case waits.)
      if (flying && current.caseId === target.id) return { sameChat, giveUp: nothingToGiveUp };
      const busy = sameChat.find((c) => c.id !== target.id && c.state === 'in_progress' && c.assignedTo?.staffId === current.staffId);
      if (busy?.assignedTo) throw new ChatWithOtherExpertError({ ...busy, assignedTo: busy.assignedTo });
      if (flying)
        throw new ChatWithOtherExpertError({ id: current.caseId, category: current.category, assignedTo: { staffId: current.staffId, name: current.name, since: current.claimedAt } });
    }
    // Free to take (its holder has nothing in progress here), or ours from before: refreshed, so a
    // claim in flight now is seen as young by the next taker.
    const taken = await claims.takeOver(conversationId, mine, now, current);
    if (taken) return { sameChat, giveUp: () => claims.release(conversationId, taken) };
  }
  throw new ChatClaimKeepsChangingError();
}

/** The chat's claim changed under us on every attempt (many experts taking its cases at once). */
export class ChatClaimKeepsChangingError extends Error {
  constructor() {
    super("Several people are taking this ratepayer's cases at once; try again.");
    this.name = 'ChatClaimKeepsChangingError';
  }
}

/**
 * Whether a claim may still be on its way to its case: young, and its case shows nobody given it
 * since. Once it was given to anyone since, the holder's claim is over: won, the case is in
 * progress with them (refused above); lost to another taker of the same case, that taker's case
 * is in progress in the chat's cases as read, and the rule itself refuses on it.
 */
function inFlight(current: ChatClaim, sameChat: readonly StoredCase[], now: Date): boolean {
  if (now.getTime() - Date.parse(current.claimedAt) >= CHAT_CLAIM_SETTLE_MS) return false;
  const c = sameChat.find((x) => x.id === current.caseId);
  return !c || !c.audit.some((e) => e.at >= current.claimedAt && GIVEN.has(e.action));
}
