/**
 * Sending to a conversation outside a turn (proactive messages): telling a ratepayer they are
 * connected, relaying an expert's words, updating a supervisors' summary card.
 */

import type { NoticeKind } from '../../domain/serviceDefinition.js';
import type { SentLaterReply } from '../../ratepayers/replies.js';
import type { Locale } from '../../messages/index.js';

/**
 * What can be sent: a plain message; a reply of the conversation core (bot/ratepayers/replies.ts),
 * which each channel's messenger renders as that channel shows it (Teams: its Adaptive Card,
 * bot/platform/cards/render.ts; WhatsApp and SMS: text, bot/platform/text/render.ts), with
 * `fallback` the sentence for a notification preview; or an Adaptive Card already built (the
 * supervisors' channel, which is Teams only).
 */
export type OutboundMessage = (
  | { text: string }
  | { reply: SentLaterReply; fallback: string }
  | { card: Record<string, unknown>; fallback: string }
) & {
  notice?: Notice;
  /** The transcript entry the message carries, so a channel that reports delivery later (WhatsApp) can record a failure on it. */
  entryId?: string;
  /** The language its words are in (a catalogue code), for a channel whose messages say so (Bot Framework's activity `locale`). */
  locale?: Locale;
};

/**
 * Which notice a message is, and the values its template needs (the case's reference, the
 * expert's first name, the category, the place…), for a channel that must send a template once
 * it may no longer send free text (WhatsApp after 24 hours: bot/platform/whatsapp).
 */
export interface Notice {
  kind: NoticeKind;
  params: Record<string, string>;
}

/** What a fallback for a notice the chat could not take did (an SMS): words for the case's record, and whether it went. */
export interface Fallback {
  reason: string;
  sent: boolean;
}

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

/**
 * The channel would not carry the message, for a reason of its own (WhatsApp's 24-hour window),
 * said in words staff can act on: recorded on the case as it is.
 */
export class ChannelRefusalError extends DeliveryFailedError {
  constructor(
    conversationId: string,
    reason: string,
    /** Whether the channel sent the notice by SMS instead (WhatsApp's fallback), so the ratepayer was reached. */
    readonly smsSent = false,
  ) {
    super(conversationId, reason, 0);
    this.name = 'ChannelRefusalError';
  }
}

/**
 * The messenger stopped (the service is shutting down) before this message was delivered. Not a
 * failed delivery: nothing is recorded, so the message stays without an outcome on the case and
 * delivery recovery sends it from another instance (or this one's successor), as after a crash.
 */
export class MessengerStoppedError extends Error {
  constructor(readonly conversationId: string) {
    super(`The service stopped before the message to ${conversationId} was delivered.`);
    this.name = 'MessengerStoppedError';
  }
}

/** Delivers proactive messages; messages to one conversation arrive in the order they were given. */
export interface Messenger {
  /** Resolves with the new activity's id once delivered; rejects with DeliveryFailedError. */
  send(conversationId: string, message: OutboundMessage): Promise<{ activityId?: string }>;
  /** Replaces an activity the bot sent earlier (a card updated in place). */
  update(conversationId: string, activityId: string, message: OutboundMessage): Promise<void>;
  /**
   * Stops at once, whatever the network does: sends under way are abandoned and every waiting or
   * later one rejects with MessengerStoppedError. Optional: stand-ins in tests need not stop.
   */
  close?(): void;
}
