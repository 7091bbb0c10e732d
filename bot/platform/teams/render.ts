/**
 * The Teams renderer: the conversation core's replies (bot/ratepayers/replies.ts) as Bot
 * Framework activities. A sentence is a plain message; every other reply is its view's Adaptive
 * Card template (schema 1.5, bot/platform/cards/templates) expanded with the reply's content (cardOfReply,
 * bot/platform/cards/render.ts), with the reply's summary as the notification preview and the fallback for
 * clients that cannot show it. A receipt that replaces the pressed card is sent by sendReplies
 * (bot/platform/teams/context.ts) as an update of that message.
 */
import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { cardOfReply } from '../cards/render.js';
import type { Reply } from '../../ratepayers/replies.js';

/** One reply as the activity to send. */
export function renderReply(reply: Reply): Partial<Activity> {
  if (reply.kind === 'text') return MessageFactory.text(reply.text);
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(cardOfReply(reply)));
  if ('summary' in reply) activity.summary = reply.summary;
  return activity;
}
