/** The survey card's Send button: the rating and comment recorded once on the resolved case. */
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal } from '../context.js';
import { localeOf, say, t } from '../../messages/index.js';

/** Registers the survey route. */
export function registerSurvey(app: BotApplication, deps: BotDependencies): void {
  app.adaptiveCards.actionSubmit<Record<string, unknown>>('survey.submit', async (context, _state, data) => {
    if (!isPersonal(context)) return;
    const result = await deps.feedback.recordSurvey(context.activity.conversation.id, data);
    switch (result.kind) {
      case 'recorded':
        await context.sendActivity(t(localeOf(context), 'survey.thanks'));
        return;
      case 'already_answered':
        await context.sendActivity(t(localeOf(context), 'survey.alreadyAnswered'));
        return;
      case 'invalid':
        await context.sendActivity(say(localeOf(context), result.error));
        return;
      case 'not_found':
        await context.sendActivity(t(localeOf(context), 'survey.notFound'));
        return;
    }
  });
}
