/**
 * Limits on open cases, so that an open door (the public web chat needs no account) cannot be
 * used to flood a queue (issue 17, "Abuse"). They hold for forms from the open doors (every
 * channel but Teams, whose people are signed in to the City's tenant and known by their
 * account); the open cases they count are those of every channel:
 *
 * - at most one open case (waiting or with an expert) per mobile number and category: a second
 *   form for the same number and category is refused, whichever chat it comes from, without
 *   naming the other case (whoever typed the number may not be its owner);
 * - at most MAX_OPEN_CASES_PER_CONVERSATION open cases per conversation (one per category for
 *   the pilot's categories, with room for a transfer).
 *
 * A resend of the same form (its draft id) is the same case, never a second one, so it is not
 * counted against itself. Pure: the caller reads the open cases.
 */
import type { Case } from './case.js';
import { channelKindOf } from './channels.js';

/** Whether forms from this channel are held to the limits (everything but signed-in Teams). */
export function limitsApplyTo(channelId: string): boolean {
  return channelKindOf(channelId) !== 'teams';
}

/** Open cases one conversation may have at once. */
export const MAX_OPEN_CASES_PER_CONVERSATION = 3;

/** Why a new case may not be opened; undefined: it may. */
export type OpenCaseRefusal = 'same_number_open' | 'too_many_in_conversation' | 'with_expert';

/**
 * The conversation's case an expert is talking to the ratepayer about, if any (any channel). While
 * there is one, no other case is opened from the chat: what the ratepayer types goes to that
 * expert, and a second case taken by a second expert would put two experts in one chat, each
 * reading every reply. A resend of the form of that very case (its draft id) is not refused.
 */
export function caseWithExpert<C extends Pick<Case, 'draftId' | 'state'>>(inConversation: readonly C[], draftId?: string): C | undefined {
  return inConversation.find((c) => c.state === 'in_progress' && c.draftId !== draftId);
}

/**
 * Decides whether a form (`draftId`) may open a case. `inConversation`: the conversation's open
 * cases; `sameNumberAndCategory`: open cases of the programme with the form's mobile number and
 * category (any conversation).
 */
export function refuseOpenCase(
  draftId: string,
  inConversation: readonly Pick<Case, 'draftId'>[],
  sameNumberAndCategory: readonly Pick<Case, 'draftId'>[],
): OpenCaseRefusal | undefined {
  if (inConversation.some((c) => c.draftId === draftId) || sameNumberAndCategory.some((c) => c.draftId === draftId)) return undefined;
  if (sameNumberAndCategory.length > 0) return 'same_number_open';
  if (inConversation.length >= MAX_OPEN_CASES_PER_CONVERSATION) return 'too_many_in_conversation';
  return undefined;
}
