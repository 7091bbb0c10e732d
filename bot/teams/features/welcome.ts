/** Greeting: when the bot is added to a chat, or someone says hello or asks for help. */
import type { TurnContext } from 'botbuilder';
import { welcomeCard } from '../../cards/ratepayerCards.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { conversationOf, isPersonal, sendCard, typedText } from '../context.js';
import { localeOf, t } from '../../messages/index.js';

const GREETINGS = /^(hi|hello|hey|help|start|menu|sawubona|dumela|molo|hallo|howzit)\b[\s!.?]*$/i;

/** Whether a message is only a greeting or a call for the menu ("hi", "help"). */
export function isGreeting(text: string): boolean {
  return GREETINGS.test(text);
}

/** Sends the programme's welcome card with the categories to choose from. */
export async function sendWelcome(context: TurnContext, deps: BotDependencies): Promise<void> {
  const def = deps.intake.definition;
  await sendCard(context, welcomeCard(def, deps.intake.sessions()), t(localeOf(context), 'welcome.fallback', { programme: def.programme.name }));
}

/** Registers the welcome routes. */
export function registerWelcome(app: BotApplication, deps: BotDependencies): void {
  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient.id;
    const added = context.activity.membersAdded ?? [];
    if (!added.some((m) => m.id === botId) || !isPersonal(context)) return;
    await deps.conversations.save(conversationOf(context, deps.clock.now()));
    await sendWelcome(context, deps);
  });
  app.message(async (context) => isGreeting(typedText(context)), async (context) => sendWelcome(context, deps));
}
