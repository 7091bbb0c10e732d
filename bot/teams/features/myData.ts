/**
 * "my data": what the service holds about the ratepayer (POPIA s23), from this chat only. A
 * ratepayer cannot ask about an account number: whoever typed one would see another's details.
 */
import { myDataCard } from '../../cards/ratepayerCards.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal, sendCard, typedText } from '../context.js';
import { localeOf, t } from '../../messages/index.js';

const MY_DATA = /^(my data|my details|my information|my personal information|what do you (hold|have|keep) (on|about) me\??|popia)\b/i;

/** Registers the "my data" route (before the relay: it is a question to the bot, not the expert). */
export function registerMyData(app: BotApplication, deps: BotDependencies): void {
  app.message(
    async (context) => isPersonal(context) && MY_DATA.test(typedText(context)),
    async (context) => {
      const cases = await deps.intake.myCases(context.activity.conversation.id, 50);
      await sendCard(context, myDataCard(deps.intake.definition, cases.map((q) => q.case)), t(localeOf(context), 'myData.fallback'));
    },
  );
}
