/** "status" / "my cases": where the ratepayer's open cases stand. */
import type { TurnContext } from 'botbuilder';
import { statusCard } from '../../cards/ratepayerCards.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal, sendCard, typedText } from '../context.js';

const STATUS = /^(status|my cases|my case|where am i|position|place|check my place)[\s!.?]*$/i;

async function sendStatus(context: TurnContext, deps: BotDependencies): Promise<void> {
  const cases = await deps.intake.status(context.activity.conversation.id);
  if (cases.length === 0) {
    await context.sendActivity('You have no open cases. Type the kind of query you have (for example "billing" or "water meter") to join a queue.');
    return;
  }
  await sendCard(context, statusCard(deps.intake.definition, cases), `You have ${cases.length} open case(s).`);
}

/** Registers the status routes. */
export function registerStatus(app: BotApplication, deps: BotDependencies): void {
  app.message(async (context) => isPersonal(context) && STATUS.test(typedText(context)), (context) => sendStatus(context, deps));
  app.adaptiveCards.actionSubmit('case.status', (context) => sendStatus(context, deps));
}
