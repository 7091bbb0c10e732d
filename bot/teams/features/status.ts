/** "status" / "my cases": where the ratepayer's open cases stand. */
import type { TurnContext } from 'botbuilder';
import { statusCard } from '../../cards/ratepayerCards.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal, sendCard, typedText } from '../context.js';
import { localeOf, t } from '../../messages/index.js';
import { typeExamples } from '../../messages/programme.js';

const STATUS = /^(status|where am i|position|place|check my place)[\s!.?]*$/i;
const MY_CASES = /^(my cases|my case|cases|history)[\s!.?]*$/i;

async function sendStatus(context: TurnContext, deps: BotDependencies, all = false): Promise<void> {
  const id = context.activity.conversation.id;
  const locale = localeOf(context);
  const cases = all ? await deps.intake.myCases(id) : await deps.intake.status(id);
  if (cases.length === 0) {
    const none = t(locale, all ? 'status.noCases' : 'status.noOpenCases');
    await context.sendActivity(t(locale, 'status.joinHint', { none, examples: typeExamples(locale, deps.intake.definition) }));
    return;
  }
  const count = cases.length;
  await sendCard(context, statusCard(deps.intake.definition, cases, all), t(locale, all ? 'status.recentFallback' : 'status.openFallback', { count }));
}

/** Registers the status routes. */
export function registerStatus(app: BotApplication, deps: BotDependencies): void {
  app.message(async (context) => isPersonal(context) && STATUS.test(typedText(context)), (context) => sendStatus(context, deps));
  app.message(async (context) => isPersonal(context) && MY_CASES.test(typedText(context)), (context) => sendStatus(context, deps, true));
  app.adaptiveCards.actionSubmit('case.status', (context) => sendStatus(context, deps));
}
