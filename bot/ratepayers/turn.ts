/**
 * One turn of a ratepayer's conversation, as the core sees it, whatever the channel: who wrote,
 * in which conversation and channel, what they sent and in which language. The channel's adapter
 * (bot/platform/teams for Teams) builds it from what the channel delivers.
 */
import type { RawAttachment } from '../domain/attachments.js';
import type { RatepayerIdentity } from '../domain/case.js';
import type { Locale } from '../messages/index.js';
import type { StoredConversation } from '../platform/ports/conversationStore.js';
import type { Reply } from './replies.js';

/** What the person sent: typed words, or an action (a pressed button, a submitted form's values). */
/** The name a ratepayer goes by when their channel gives none (the public web chat's Direct Line sends no name). */
export const UNNAMED = 'Ratepayer';

export interface Turn {
  /** Who wrote, as the channel identifies them. */
  /** Who sent it; `displayName` is UNNAMED when the channel gives no name (Direct Line, the public web chat). */
  from: { userId: string; displayName: string };
  /** The conversation, as the channel names it (the key of its stored conversation and cases). */
  conversationId: string;
  /**
   * The channel: its id ("msteams", "webchat"…), the kind of conversation, whether it is
   * one-to-one, and `reference`: the channel's own address of this conversation, kept (opaque to
   * the core) so that messages can be sent later (bot/platform/ports/conversationStore.ts).
   */
  channel: { id: string; kind: 'personal' | 'groupChat' | 'channel'; personal: boolean; reference: Record<string, unknown> };
  /** What they typed, without mentions of the bot, invisible characters or surrounding space; empty for an action. */
  text: string;
  /** A pressed button or a submitted form: the action's name and the values it carried. */
  action?: { verb: string; values: Record<string, unknown> };
  /** What they attached, as the channel gave it (type, address, name, channel's details): sorted by bot/domain/attachments.ts. */
  attachments: RawAttachment[];
  /**
   * The ratepayer's language for this turn: the channel adapter starts it at English and
   * `settleLanguage` (./features/language.ts) sets it, before any feature runs, from the
   * conversation's stored language or the evidence (issue 16).
   */
  locale: Locale;
  /** The client's own locale as the channel sent it (Teams: `activity.locale`, e.g. "zu-ZA"), if any. */
  clientLocale?: string;
  /**
   * Languages the ratepayer's first words could equally be ("Dumela": Sesotho or Setswana), to
   * offer first on the language choice; set by `settleLanguage` when it answers in English for that reason.
   */
  languageOffer?: string[];
  /**
   * A form of this chat is being filled in one question at a time (WhatsApp and SMS,
   * bot/platform/whatsapp/channel.ts) and the turn is a command typed in the middle of it, answered
   * with the form kept: what it says must not send the person off to start another.
   */
  formOpen?: boolean;
  /**
   * With `formOpen`: the answers given so far in that form (field id → value as the channel keeps
   * it on the conversation, docs/whatsapp.md "What is kept between messages"), so that "my data"
   * lists them (POPIA s23: they are held, though no case exists yet).
   */
  formAnswers?: Record<string, string>;
  /** With `formOpen`: the form is at its review (its answers and "join the queue"), not at a question. */
  formReview?: boolean;
  /**
   * The intake form the client shows and has not sent yet, as the client says (the public web
   * page, web/src/openForm.ts), or as the channel's adapter remembers it where the client says
   * nothing (Teams: bot/platform/teams/openFormMemory.ts): its category code, its filling-in
   * (`draftId`) and the earlier case it follows. Only what the form's own submit carries, never a
   * typed value. A language change sends that form again in the new language (./features/language.ts).
   */
  openForm?: { category: string; draftId: string; follows?: string };
  /**
   * The details form of a case (asked after a transfer, bot/ratepayers/features/moreDetails.ts)
   * being filled in one question at a time (WhatsApp): its case's reference. A language change
   * sends that form again in the new language (./features/language.ts), as `openForm` does the intake's.
   */
  openDetails?: { reference: string };
}

/**
 * What a feature answers a turn with: the replies to send, in order; or those and `afterwards`,
 * work to do once they are sent (whose own replies are sent then), for a reply that must reach
 * the person before the work it announces (a used card made read-only first).
 */
export type Answer = Reply[] | { replies: Reply[]; afterwards: () => Promise<Reply[]> };

/** A feature of the conversation: given a turn, its answer (the channel's adapter sends it). */
export type Handler = (turn: Turn) => Promise<Answer>;

/** Where to reach the turn's conversation later, as the conversation store keeps it. `now`: when it was seen. */
export function conversationOfTurn(turn: Turn, now: Date): StoredConversation {
  return {
    id: turn.conversationId,
    channelId: turn.channel.id,
    reference: turn.channel.reference,
    kind: turn.channel.kind,
    userId: turn.from.userId,
    updatedAt: now.toISOString(),
  };
}

/** The ratepayer behind the turn, as a case records them. */
export function ratepayerOfTurn(turn: Turn): RatepayerIdentity {
  return { ...turn.from, conversationId: turn.conversationId, channelId: turn.channel.id };
}
