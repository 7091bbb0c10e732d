/** Reading who and where a turn comes from, and replying with cards. */
import { CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import type { RatepayerIdentity } from '../domain/case.js';
import { removeInvisibles } from '../domain/validation.js';
import type { StoredConversation } from '../ports/conversationStore.js';
import type { Reply } from '../conversation/replies.js';
import type { Turn } from '../conversation/turn.js';
import { localeOf } from '../messages/index.js';
import { renderReply } from './render.js';

/** The ratepayer behind a turn, as the channel identifies them. */
export function ratepayerOf(context: TurnContext): RatepayerIdentity {
  const { from, conversation, channelId } = context.activity;
  return {
    userId: from.aadObjectId ?? from.id,
    displayName: from.name ?? 'Ratepayer',
    conversationId: conversation.id,
    channelId,
  };
}

/** Whether the turn comes from a one-to-one chat (where ratepayers are served). */
export function isPersonal(context: TurnContext): boolean {
  const type = context.activity.conversation.conversationType;
  return type === undefined || type === 'personal';
}

/** The conversation reference to keep for proactive messages. */
export function conversationOf(context: TurnContext, now: Date): StoredConversation {
  const reference = TurnContext.getConversationReference(context.activity);
  const type = context.activity.conversation.conversationType;
  return {
    id: context.activity.conversation.id,
    channelId: context.activity.channelId,
    reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
    kind: type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal',
    userId: context.activity.from.aadObjectId ?? context.activity.from.id,
    updatedAt: now.toISOString(),
  };
}

/** Sends an Adaptive Card, with a text fallback for clients that cannot show it. */
export async function sendCard(context: TurnContext, card: Record<string, unknown>, fallback: string): Promise<void> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = fallback;
  await context.sendActivity(activity);
}

/**
 * Replaces the card that was pressed (the message the press replies to) with a read-only one, so
 * it cannot be answered again. A channel that cannot update messages, or a card too old to
 * find, keeps it as it was: a second press is then answered plainly by the route. Never throws.
 */
export async function replaceUsedCard(context: TurnContext, card: Record<string, unknown>, onError: (error: unknown) => void): Promise<void> {
  const cardMessage = context.activity.replyToId;
  if (!cardMessage) return;
  try {
    await context.updateActivity({ id: cardMessage, type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
  } catch (error) {
    onError(error);
  }
}

/**
 * The text of a message without the bot's @mention, surrounding space and the invisible format
 * characters copy and paste brings (so "\u200bstatus" is "status"; emoji sequences are kept).
 */
export function typedText(context: TurnContext): string {
  const text = context.activity.text;
  return typeof text === 'string' ? removeInvisibles(text.replace(/<at>[^<]*<\/at>/g, ''), 'text').trim() : '';
}

/** The turn as the conversation core sees it (bot/conversation/turn.ts). */
export function turnOf(context: TurnContext): Turn {
  const { from, conversation, channelId, value, attachments } = context.activity;
  // After the activity gate, a card press's value is its parsed data with its verb (bot/teams/cardValues.ts).
  const verb = value && typeof value === 'object' ? (value as { verb?: unknown }).verb : undefined;
  return {
    from: { userId: from.aadObjectId ?? from.id, displayName: from.name ?? 'Ratepayer' },
    conversationId: conversation.id,
    channel: { id: channelId, personal: isPersonal(context) },
    text: typedText(context),
    ...(typeof verb === 'string' ? { action: { verb, values: value as Record<string, unknown> } } : {}),
    attachments: (attachments ?? []).map((a) => ({ contentType: a.contentType, ...(a.name ? { name: a.name } : {}), ...(a.contentUrl ? { url: a.contentUrl } : {}) })),
    locale: localeOf(context),
  };
}

/** Sends the core's replies, in order, rendered for Teams (bot/teams/render.ts). */
export async function sendReplies(context: TurnContext, replies: Reply[]): Promise<void> {
  for (const reply of replies) await context.sendActivity(renderReply(reply));
}
