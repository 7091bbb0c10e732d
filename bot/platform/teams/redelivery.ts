/**
 * One processing per activity: Teams resends an activity it got no answer to within about 15 s,
 * and may deliver one twice, with the same activity `id` in the same conversation (DESIGN §6).
 * Processed again, a ratepayer's message reached the expert's transcript once per delivery and a
 * repeated "status" got a reply per delivery. So each message and conversationUpdate is:
 *
 * - ignored while the same activity is being processed on this instance (deliveries at once);
 * - ignored when the shared record (bot/platform/ports/processedActivities.ts) says its turn completed,
 *   on this instance or another: the record is on the conversation's document, whose read then
 *   serves the turn's own reads of the conversation (duringTurn), so the check costs no request
 *   of its own where the turn reads the conversation anyway (a ratepayer's message);
 * - else processed, and recorded once its turn has completed. A turn that fails, or an instance
 *   that dies mid-turn, records nothing: the resend Teams then sends is processed (the ratepayer
 *   was told "your last message was not processed", or got no answer at all).
 *
 * An ignored delivery is answered 200 with nothing sent. What remains: two deliveries of one
 * activity at the same moment on two instances are both processed (intake is still one case per
 * card). Runs after the SDK has authenticated the activity, so an unauthenticated request reads
 * and records nothing. Invokes are not covered: Teams expects each to be answered in its own
 * HTTP response.
 */
import type { TurnContext } from 'botbuilder';
import type { Clock } from '../ports/clock.js';
import type { StoredConversation } from '../ports/conversationStore.js';
import type { ProcessedActivities } from '../ports/processedActivities.js';
import { log } from '../log.js';

/** Activity types that change something and are recorded. */
const RECORDED = new Set(['message', 'conversationUpdate']);

/** Wraps turn logic so each activity id runs once per conversation. */
export function oncePerActivity(processed: ProcessedActivities, clock: Clock, logic: (context: TurnContext) => Promise<void>) {
  // Activities being processed on this instance now, by conversation and activity id.
  const inFlight = new Set<string>();
  return async (context: TurnContext): Promise<void> => {
    const { id, type, conversation } = context.activity;
    if (!id || !conversation?.id || !RECORDED.has(type)) return logic(context);
    const key = `${conversation.id}\n${id}`;
    if (inFlight.has(key)) return ignore(type);
    inFlight.add(key);
    try {
      await processed.duringTurn(async () => {
        if (await processed.wasProcessed(conversation.id, id, clock.now())) return ignore(type);
        await logic(context);
        // The turn's work is done and answered: failing to record it only means a resend would be processed again.
        await processed.markProcessed(conversation.id, id, clock.now(), kindOf(conversation.conversationType)).catch((error: unknown) =>
          log.warn({ err: error, component: 'bot' }, 'could not record a processed activity'),
        );
      });
    } finally {
      inFlight.delete(key);
    }
  };
}

/** The kind of conversation, as the conversation store keeps it. */
function kindOf(conversationType: string | undefined): StoredConversation['kind'] {
  return conversationType === 'channel' ? 'channel' : conversationType === 'groupChat' ? 'groupChat' : 'personal';
}

function ignore(type: string): void {
  log.info({ component: 'bot', activity: type }, 'redelivered activity ignored');
}
