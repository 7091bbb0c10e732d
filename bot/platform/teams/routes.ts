/**
 * How a conversation-core feature (bot/ratepayers/features) is put on the Teams application: the
 * activity becomes a Turn, the feature answers with replies, and this adapter sends them rendered
 * for Teams. The features never see an activity or send anything themselves.
 */
import type { TurnContext } from 'botbuilder';
import type { Answer, Handler, Turn } from '../../ratepayers/turn.js';
import type { BotApplication } from './application.js';
import { sendReplies, turnOf } from './context.js';

/** Sends a feature's answer: its replies, then what its work afterwards replies. */
async function send(context: TurnContext, answer: Answer): Promise<void> {
  if (Array.isArray(answer)) return sendReplies(context, answer);
  await sendReplies(context, answer.replies);
  await sendReplies(context, await answer.afterwards());
}

/** A route for messages: `matches` decides from the turn, `handler` answers it. */
export function onMessage(app: BotApplication, matches: (turn: Turn) => boolean | Promise<boolean>, handler: Handler): void {
  app.message(
    // Messages only: Teams AI gives a function selector every activity type (a conversationUpdate
    // or an invoke would otherwise reach a route such as the relay's).
    async (context) => context.activity.type === 'message' && (await matches(turnOf(context))),
    async (context) => send(context, await handler(turnOf(context))),
  );
}

/** A route for a card's button or form (its `verb`). */
export function onAction(app: BotApplication, verb: string, handler: Handler): void {
  app.adaptiveCards.actionSubmit(verb, async (context) => send(context, await handler(turnOf(context))));
}

/** The route every other message reaches (the last one registered). */
export function onAnyMessage(app: BotApplication, handler: Handler): void {
  app.activity('message', async (context) => send(context, await handler(turnOf(context))));
}
