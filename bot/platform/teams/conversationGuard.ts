/**
 * The bot's rate limit per conversation: a ratepayer (or a script) sending faster than a person
 * types gets one polite "slow down" and the rest of the burst is not processed, so the service
 * stays responsive for everyone else. Checked after the adapter has authenticated the activity.
 */
import type { TurnContext } from 'botbuilder';
import { RateLimiter, type RateLimit } from '../http/rateLimiter.js';
import { DEFAULT_LOCALE, t } from '../../messages/index.js';

export const SLOW_DOWN = t(DEFAULT_LOCALE, 'turn.slowDown');

/** Wraps the bot's turn logic with the per-conversation limit. */
export function guardConversations(limit: RateLimit, logic: (context: TurnContext) => Promise<void>) {
  const limiter = new RateLimiter(limit);
  // One "slow down" per conversation per quiet spell: the flood itself is never answered in kind.
  const told = new Map<string, number>();
  return async (context: TurnContext): Promise<void> => {
    const { type, conversation } = context.activity;
    if (!conversation?.id) return logic(context);
    // Every activity counts, whatever its type: five "typing" or reactions cost as much work as
    // five messages, and a script can send any type. Only a person's message is told to slow down.
    const decision = limiter.take(conversation.id);
    if (decision.ok) return logic(context);
    if (type !== 'message') return;
    const now = Date.now();
    const last = told.get(conversation.id);
    if (last !== undefined && now - last < 30_000) return;
    told.set(conversation.id, now);
    if (told.size > 10_000) for (const [k, at] of told) if (now - at > 30_000) told.delete(k);
    await context.sendActivity(SLOW_DOWN);
  };
}
