/** The ratepayer's satisfaction survey after resolution: a rating from 1 to 5 and a comment. */
import { checkFreeText } from '../domain/validation.js';
import { normaliseReference } from '../domain/reference.js';
import type { CaseStore } from '../ports/caseStore.js';
import type { Clock } from '../ports/clock.js';
import { message, type Message } from '../domain/message.js';

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
    const result = await this.cases.recordSurvey(id, conversationId, {
      rating,
      ...(comment ? { comment } : {}),
      at: this.clock.now().toISOString(),
    });
    return result === 'recorded' ? { kind: 'recorded', rating } : { kind: result };
  }
}
