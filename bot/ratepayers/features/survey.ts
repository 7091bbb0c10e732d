/** The survey's Send: the rating and comment recorded once on the resolved case. */
import { surveyAnsweredContent } from '../../platform/cards/ratepayerCards.js';
import { normaliseReference } from '../../domain/reference.js';
import { say, t } from '../../messages/index.js';
import { text, type Reply } from '../replies.js';
import type { Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';

/** Records the survey (`turn.action.values`: rating, comment, reference); nothing outside a one-to-one chat. */
export async function answerSurvey(turn: Turn, deps: ConversationDeps): Promise<Reply[]> {
  if (!turn.channel.personal) return [];
  const values = turn.action?.values ?? {};
  const result = await deps.feedback.recordSurvey(turn.conversationId, values);
  switch (result.kind) {
    case 'recorded': {
      const thanks = text(t(turn.locale, 'survey.thanks'));
      if (typeof values.reference !== 'string') return [thanks];
      // The used survey becomes its answer, read-only: it cannot be sent again.
      const c = { id: normaliseReference(values.reference) ?? values.reference };
      return [{ kind: 'receipt', replacesPressed: true, view: 'answered', content: surveyAnsweredContent(c, result.rating, turn.locale) }, thanks];
    }
    case 'already_answered':
      return [text(t(turn.locale, 'survey.alreadyAnswered'))];
    case 'invalid':
      return [text(say(turn.locale, result.error))];
    case 'not_found':
      return [text(t(turn.locale, 'survey.notFound'))];
  }
}
