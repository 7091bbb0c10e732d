/**
 * One processing per activity: Teams resends an activity it got no answer to within about 15 s,
 * and may deliver one twice, with the same activity `id` in the same conversation (DESIGN §6).
 * Processed again, a ratepayer's message reached the expert's transcript once per delivery and a
 * repeated "status" got a reply per delivery. Each message and conversationUpdate is claimed in
 * the shared record (bot/ports/processedActivities.ts) before it runs; a delivery whose claim is
 * taken is answered 200 with nothing sent. A turn that fails gives its claim back, so the resend
 * it asks for ("your last message was not processed") is processed.
 *
 * Runs after the SDK has authenticated the activity, so an unauthenticated request claims nothing.
 * Invokes are not claimed: Teams expects each to be answered in its own HTTP response.
 */
import type { TurnContext } from 'botbuilder';
import type { Clock } from '../ports/clock.js';
import type { ProcessedActivities } from '../ports/processedActivities.js';
import { log } from '../log.js';

/** Activity types that change something and are claimed. */
const CLAIMED = new Set(['message', 'conversationUpdate']);

/** Wraps turn logic so each activity id runs once per conversation. */
export function oncePerActivity(processed: ProcessedActivities, clock: Clock, logic: (context: TurnContext) => Promise<void>) {
  return async (context: TurnContext): Promise<void> => {
    const { id, type, conversation } = context.activity;
    if (!id || !conversation?.id || !CLAIMED.has(type)) return logic(context);
    if (!(await processed.claim(conversation.id, id, clock.now()))) {
      log.info({ component: 'bot', activity: type }, 'redelivered activity ignored');
      return;
    }
    try {
      await logic(context);
    } catch (error) {
      // Not awaited: the failure is told at once, even when the store itself is what failed (a
      // hung database would hold the answer another request timeout); the resend comes seconds later.
      void processed.release(conversation.id, id).catch((releaseError: unknown) =>
        log.warn({ err: releaseError, component: 'bot' }, 'could not give back the claim of a failed turn'),
      );
      throw error;
    }
  };
}
