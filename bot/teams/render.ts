/**
 * The Teams renderer: the conversation core's replies (bot/conversation/replies.ts) as Bot
 * Framework activities. A sentence is a plain message; every other reply is its view's Adaptive
 * Card template (schema 1.5, bot/cards/templates) expanded with the reply's content, with the
 * reply's summary as the notification preview and the fallback for clients that cannot show it.
 * The same content gives byte-for-byte the card the builders in bot/cards/ratepayerCards.ts give.
 */
import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { renderCard } from '../cards/render.js';
import type { Reply } from '../conversation/replies.js';

/** The Adaptive Card for a reply that has a view. */
function cardOf(reply: Exclude<Reply, { kind: 'text' }>): Record<string, unknown> {
  return renderCard(reply.view, reply.content);
}

/** One reply as the activity to send. */
export function renderReply(reply: Reply): Partial<Activity> {
  if (reply.kind === 'text') return MessageFactory.text(reply.text);
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(cardOf(reply)));
  activity.summary = reply.summary;
  return activity;
}
