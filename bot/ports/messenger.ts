/**
 * Sending to a conversation outside a turn (proactive messages): telling a ratepayer they are
 * connected, relaying an expert's words, updating a supervisors' summary card.
 */

/** What can be sent: a plain message, or an Adaptive Card with a text fallback. */
export type OutboundMessage = { text: string } | { card: Record<string, unknown>; fallback: string };

/** A message that could not be delivered after every retry. */
export class DeliveryFailedError extends Error {
  constructor(
    readonly conversationId: string,
    readonly reason: string,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(`Could not deliver to ${conversationId} after ${attempts} attempt(s): ${reason}`);
    this.name = 'DeliveryFailedError';
  }
}

/** Delivers proactive messages; messages to one conversation arrive in the order they were given. */
export interface Messenger {
  /** Resolves with the new activity's id once delivered; rejects with DeliveryFailedError. */
  send(conversationId: string, message: OutboundMessage): Promise<{ activityId?: string }>;
  /** Replaces an activity the bot sent earlier (a card updated in place). */
  update(conversationId: string, activityId: string, message: OutboundMessage): Promise<void>;
}
