/**
 * Which incoming Bot Framework activities have been processed, so a redelivered one is not
 * processed again. Teams resends an activity it got no answer to in time (about 15 s) and may
 * deliver one twice; a resend has the same activity `id` in the same conversation (DESIGN §6).
 * Shared by every instance (the `processedActivities` container), so a resend that reaches
 * another instance is recognised too.
 */

/** How long a processed activity is remembered: far longer than any resend (a day). */
export const PROCESSED_ACTIVITY_KEEP_MS = 24 * 60 * 60_000;

/** The record of processed activities. */
export interface ProcessedActivities {
  /**
   * Claims an activity for processing: true the first time (process it), false when it was already
   * claimed within PROCESSED_ACTIVITY_KEEP_MS (a redelivery: ignore it). Atomic across instances.
   * Rejects when the store cannot be reached (the turn then fails and says so).
   */
  claim(conversationId: string, activityId: string, now: Date): Promise<boolean>;
  /** Gives a claim back because its turn failed, so a redelivery of it is processed. */
  release(conversationId: string, activityId: string): Promise<void>;
  /** Deletes up to `max` claims made before `cutoff` (where the store has no TTL); returns how many. */
  removeBefore(cutoff: Date, max: number): Promise<number>;
}
