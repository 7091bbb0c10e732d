/**
 * Which incoming Bot Framework activities have been processed, so a redelivered one is not
 * processed again. Teams resends an activity it got no answer to in time (about 15 s) and may
 * deliver one twice; a resend has the same activity `id` in the same conversation (DESIGN §6).
 * Shared by every instance (kept on the conversation's own document, which the turn reads anyway:
 * bot/platform/cosmos/conversationStore.ts), so a resend that reaches another instance is
 * recognised too.
 *
 * An activity is recorded once its turn has completed, not when it starts: an instance that dies
 * mid-turn leaves nothing, so the resend Teams sends because it got no answer is processed.
 */
import type { StoredConversation } from './conversationStore.js';

/** How long a processed activity is remembered: far longer than any resend (a day). */
export const PROCESSED_ACTIVITY_KEEP_MS = 24 * 60 * 60_000;

/**
 * How many of a conversation's latest processed activities are remembered: a resend comes within
 * minutes, and nobody sends fifty messages in those.
 */
export const PROCESSED_ACTIVITIES_KEPT = 50;

/** The record of processed activities. */
export interface ProcessedActivities {
  /**
   * Runs one activity's turn (the check, the work, the record) so that the conversation is read
   * once for all of it: the check's read serves the turn's own reads of that conversation until
   * the turn writes it.
   */
  duringTurn<T>(turn: () => Promise<T>): Promise<T>;
  /**
   * Whether the activity's turn completed within PROCESSED_ACTIVITY_KEEP_MS before `now` (and is
   * among the conversation's PROCESSED_ACTIVITIES_KEPT latest). Rejects when the store cannot be reached.
   */
  wasProcessed(conversationId: string, activityId: string, now: Date): Promise<boolean>;
  /** Records that the activity's turn completed at `now`; `kind`: the conversation's, when it is not stored yet. */
  markProcessed(conversationId: string, activityId: string, now: Date, kind?: StoredConversation['kind']): Promise<void>;
}
