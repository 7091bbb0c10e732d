/** The closing card's buttons: keep the place for the next session, or a callback at a chosen time. */
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal } from '../context.js';

/** Registers the closing-choice route. */
export function registerClosingChoice(app: BotApplication, deps: BotDependencies): void {
  app.adaptiveCards.actionSubmit<Record<string, unknown>>('closing.choose', async (context, _state, data) => {
    if (!isPersonal(context)) return;
    const result = await deps.sessionClose.choose(context.activity.conversation.id, data);
    await context.sendActivity(result.text);
  });
}
