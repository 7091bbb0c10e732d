/** The survey card's Send button: the rating and comment recorded once on the resolved case. */
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal, replaceUsedCard } from '../context.js';
import { surveyAnsweredCard } from '../../cards/ratepayerCards.js';
import { log } from '../../log.js';
import { normaliseReference } from '../../domain/reference.js';
import { localeOf, say, t } from '../../messages/index.js';

/** Registers the survey route. */
export function registerSurvey(app: BotApplication, deps: BotDependencies): void {
  app.adaptiveCards.actionSubmit<Record<string, unknown>>('survey.submit', async (context, _state, data) => {
    if (!isPersonal(context)) return;
    const result = await deps.feedback.recordSurvey(context.activity.conversation.id, data);
    switch (result.kind) {
      case 'recorded':
        // The used card becomes its answer, read-only: it cannot be sent again.
        if (typeof data.reference === 'string')
          await replaceUsedCard(context, surveyAnsweredCard({ id: normaliseReference(data.reference) ?? data.reference }, result.rating, localeOf(context)), (error) =>
            log.warn({ err: error, component: 'bot' }, 'the used survey card could not be updated; a press again is answered plainly'),
          );
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
