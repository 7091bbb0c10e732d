/** The survey card's Send button: the rating and comment recorded once on the resolved case. */
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal } from '../context.js';

/** Registers the survey route. */
export function registerSurvey(app: BotApplication, deps: BotDependencies): void {
  app.adaptiveCards.actionSubmit<Record<string, unknown>>('survey.submit', async (context, _state, data) => {
    if (!isPersonal(context)) return;
    const result = await deps.feedback.recordSurvey(context.activity.conversation.id, data);
    switch (result.kind) {
      case 'recorded':
        await context.sendActivity('Thank you for your feedback. It helps the City improve these sessions.');
        return;
      case 'already_answered':
        await context.sendActivity('We already have your answer for this case. Thank you!');
        return;
      case 'invalid':
        await context.sendActivity(result.message);
        return;
      case 'not_found':
        await context.sendActivity('That survey is not for a case of yours, or the case is still open.');
        return;
    }
  });
}
