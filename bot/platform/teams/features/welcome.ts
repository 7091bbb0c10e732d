/** Greeting in Teams: when the bot is added to a personal chat (the conversation is kept for proactive messages). */
import type { TurnContext } from 'botbuilder';
import { welcome } from '../../../ratepayers/features/welcome.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { conversationOf, isPersonal, sendReplies, turnOf } from '../context.js';

/** Sends the programme's welcome card with the categories to choose from. */
export async function sendWelcome(context: TurnContext, deps: BotDependencies): Promise<void> {
  await sendReplies(context, await welcome(turnOf(context), deps));
}

/** Registers the welcome on the bot's being added to a personal chat. */
export function registerWelcomeOnInstall(app: BotApplication, deps: BotDependencies): void {
  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient.id;
    const added = context.activity.membersAdded ?? [];
    if (!added.some((m) => m.id === botId) || !isPersonal(context)) return;
    await deps.conversations.save(conversationOf(context, deps.clock.now()));
    await sendWelcome(context, deps);
  });
}
