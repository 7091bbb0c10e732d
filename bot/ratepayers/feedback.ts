/** The ratepayer's satisfaction survey after resolution: a rating from 1 to 5 and a comment. */
import { answerSurvey, CaseRuleError, ratepayerActor } from '../domain/case.js';
import { checkFreeText } from '../domain/validation.js';
import { normaliseReference } from '../domain/reference.js';
import type { CaseStore } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import { message, type Message } from '../domain/message.js';
import { changeCase } from '../platform/flow/caseChanges.js';

/** The answer to a survey submission, in the ratepayer's terms. */
export type SurveyResult =
  | { kind: 'recorded'; rating: number }
  | { kind: 'already_answered' | 'not_found' }
  | { kind: 'invalid'; error: Message };

/** Records survey answers on the case. */
export class FeedbackService {
  constructor(
    private readonly cases: CaseStore,
    private readonly clock: Clock,
  ) {}

  /** Checks and records one answer, once, for a resolved case of this conversation only. */
  async recordSurvey(conversationId: string, raw: { reference?: unknown; rating?: unknown; comment?: unknown }): Promise<SurveyResult> {
    const id = typeof raw.reference === 'string' ? normaliseReference(raw.reference) : undefined;
    if (!id) return { kind: 'not_found' };
    // Strictly a whole number 1–5, or its digit as Input.ChoiceSet sends it: not `true` (Number(true) is 1), not "0x3".
    const rating =
      typeof raw.rating === 'number' ? raw.rating : typeof raw.rating === 'string' && /^\s*[1-5]\s*$/.test(raw.rating) ? Number(raw.rating) : NaN;
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) return { kind: 'invalid', error: message('survey.chooseRating') };
    let comment: string | undefined;
    if (typeof raw.comment === 'string' && raw.comment.trim() !== '') {
      const checked = checkFreeText(raw.comment, { min: 1, max: 500, field: 'comment' });
      if (!checked.ok) return { kind: 'invalid', error: checked.error };
      comment = checked.value;
    }
    // Through the lifecycle (answerSurvey), written with the case's ETag: of two answers sent at
    // once, the second re-reads the case, finds it answered and is told so.
    try {
      const result = await changeCase(this.cases, id, (current) => {
        // Only the conversation the case came from may answer: to anyone else it does not exist.
        if (current.ratepayer.conversationId !== conversationId) throw new SurveyRefused('not_found');
        try {
          return answerSurvey(current, this.clock.now(), ratepayerActor(current.ratepayer), { rating, ...(comment ? { comment } : {}) });
        } catch (error) {
          if (!(error instanceof CaseRuleError)) throw error;
          throw new SurveyRefused(error.reason === 'already_done' ? 'already_answered' : 'not_found');
        }
      });
      return result.kind === 'saved' ? { kind: 'recorded', rating } : { kind: 'not_found' };
    } catch (error) {
      if (error instanceof SurveyRefused) return { kind: error.kind };
      throw error;
    }
  }
}

/** Why an answer is not recorded, thrown out of the decision so nothing is written. */
class SurveyRefused extends Error {
  constructor(readonly kind: 'already_answered' | 'not_found') {
    super(kind);
  }
}
