/**
 * Which incoming Bot Framework activities have been processed, so a redelivered one is not
 * processed again. Teams resends an activity it got no answer to in time (about 15 s) and may
 * deliver one twice; a resend has the same activity `id` in the same conversation (DESIGN §6).
 * Shared by every instance (the `processedActivities` container), so a resend that reaches
 * another instance is recognised too.
 *
 * An activity is recorded once its turn has completed, not when it starts: an instance that dies
 * mid-turn leaves nothing, so the resend Teams sends because it got no answer is processed.
 */

/** How long a processed activity is remembered: far longer than any resend (a day). */
export const PROCESSED_ACTIVITY_KEEP_MS = 24 * 60 * 60_000;

/** The record of processed activities. */
export interface ProcessedActivities {
  /** Whether the activity's turn completed within PROCESSED_ACTIVITY_KEEP_MS before `now`. Rejects when the store cannot be reached. */
  wasProcessed(conversationId: string, activityId: string, now: Date): Promise<boolean>;
  /** Records that the activity's turn completed at `now`. */
  markProcessed(conversationId: string, activityId: string, now: Date): Promise<void>;
  /** Deletes up to `max` records made before `cutoff` (where the store has no TTL); returns how many. */
  removeBefore(cutoff: Date, max: number): Promise<number>;
}
