/**
 * Choosing a category: from a category link (its text is the category), from words the
 * ratepayer types, or from a button on the welcome card. Answers with the intake card.
 */
import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { intakeCard, sessionLine } from '../../cards/ratepayerCards.js';
import type { Category } from '../../domain/serviceDefinition.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal, sendCard, typedText } from '../context.js';
import { sendWelcome } from './welcome.js';
import { localeOf, t } from '../../messages/index.js';

/** Sends the intake card for a category, or says there is nothing to queue for. */
export async function offerIntake(context: TurnContext, deps: BotDependencies, category: Category): Promise<void> {
  const def = deps.intake.definition;
  const news = deps.intake.sessions();
  if (!news.open && !news.next) {
    await context.sendActivity(t(localeOf(context), 'category.noSessions', { category: category.name, sessionLine: sessionLine(def, news) }));
    return;
  }
  await sendCard(context, intakeCard(def, category, news, { draftId: randomUUID() }), t(localeOf(context), 'category.intakeFallback', { category: category.name }));
}

/** Registers the category routes; the free-text route is last and catches everything else. */
export function registerCategoryChoice(app: BotApplication, deps: BotDependencies): void {
  app.adaptiveCards.actionSubmit<{ category?: unknown }>('category.choose', async (context, _state, data) => {
    const category = typeof data.category === 'string' ? deps.intake.categoryFor(data.category) : undefined;
    if (category) await offerIntake(context, deps, category);
    else await sendWelcome(context, deps);
  });

  app.activity('message', async (context) => {
    if (!isPersonal(context)) {
      await context.sendActivity(t(localeOf(context), 'turn.chatOneToOne'));
      return;
    }
    const text = typedText(context);
    const category = text ? deps.intake.categoryFor(text) : undefined;
    if (category) {
      await offerIntake(context, deps, category);
      return;
    }
    if (text) await context.sendActivity(t(localeOf(context), 'category.notCaught'));
    await sendWelcome(context, deps);
  });
}
