/** "status" / "my cases": where the ratepayer's open cases stand. */
import type { TurnContext } from 'botbuilder';
import { statusCard } from '../../cards/ratepayerCards.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal, sendCard, typedText } from '../context.js';

const STATUS = /^(status|where am i|position|place|check my place)[\s!.?]*$/i;
const MY_CASES = /^(my cases|my case|cases|history)[\s!.?]*$/i;

async function sendStatus(context: TurnContext, deps: BotDependencies, all = false): Promise<void> {
  const id = context.activity.conversation.id;
  const cases = all ? await deps.intake.myCases(id) : await deps.intake.status(id);
  if (cases.length === 0) {
    await context.sendActivity(
      `${all ? 'You have no cases with us yet.' : 'You have no open cases.'} Type the kind of query you have (for example "billing" or "water meter") to join a queue.`,
    );
    return;
  }
  await sendCard(context, statusCard(deps.intake.definition, cases, all), all ? `Your ${cases.length} most recent case(s).` : `You have ${cases.length} open case(s).`);
}

/** Registers the status routes. */
export function registerStatus(app: BotApplication, deps: BotDependencies): void {
  app.message(async (context) => isPersonal(context) && STATUS.test(typedText(context)), (context) => sendStatus(context, deps));
  app.message(async (context) => isPersonal(context) && MY_CASES.test(typedText(context)), (context) => sendStatus(context, deps, true));
  app.adaptiveCards.actionSubmit('case.status', (context) => sendStatus(context, deps));
}
