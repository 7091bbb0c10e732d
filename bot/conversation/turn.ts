/**
 * One turn of a ratepayer's conversation, as the core sees it, whatever the channel: who wrote,
 * in which conversation and channel, what they sent and in which language. The channel's adapter
 * (bot/teams for Teams) builds it from what the channel delivers.
 */
import type { Locale } from '../messages/index.js';
import type { Reply } from './replies.js';

/** What the person sent: typed words, or an action (a pressed button, a submitted form's values). */
export interface Turn {
  /** Who wrote, as the channel identifies them. */
  from: { userId: string; displayName: string };
  /** The conversation, as the channel names it (the key of its stored conversation and cases). */
  conversationId: string;
  /** The channel: its id ("msteams", "webchat"…) and whether the conversation is one-to-one. */
  channel: { id: string; personal: boolean };
  /** What they typed, without mentions of the bot, invisible characters or surrounding space; empty for an action. */
  text: string;
  /** A pressed button or a submitted form: the action's name and the values it carried. */
  action?: { verb: string; values: Record<string, unknown> };
  /** Files they attached: name, type and where to fetch them. */
  attachments: { name?: string; contentType: string; url?: string }[];
  /** The ratepayer's language. */
  locale: Locale;
}

/** A feature of the conversation: given a turn, the replies to send (the adapter sends them). */
export type Handler = (turn: Turn) => Promise<Reply[]>;
