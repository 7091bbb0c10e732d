/**
 * "my data" (in any served language: bot/messages/commandWords.ts): what the service holds about the ratepayer (POPIA s23), from this chat only. A
 * ratepayer cannot ask about an account number: whoever typed one would see another's details.
 */
import { detailsSentLines, myDataContent } from '../../platform/cards/ratepayerCards.js';
import { INTAKE_FIELDS, type IntakeFieldName } from '../../domain/intakeFields.js';
import { t } from '../../messages/index.js';
import { isCommand } from '../../messages/commandWords.js';
import { text, type Reply } from '../replies.js';
import type { Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';

/** Whether the turn asks what is held about them ("my data", "imininingwane yami", "my inligting"…). */
export const asksMyData = (turn: Turn): boolean => turn.channel.personal && isCommand('myData', turn.text);

/**
 * Every case of this conversation (at most 50), what it holds and until when; and, in the middle
 * of a form (WhatsApp, SMS: `turn.formAnswers`), the answers given so far, which the conversation
 * keeps though no case exists yet (tester 8, finding 8): each under its field's label from the
 * catalogue, a choice by its option's words, an ID number masked (detailsSentLines).
 */
export async function myData(turn: Turn, deps: ConversationDeps): Promise<Reply[]> {
  const def = deps.intake.definition;
  const cases = await deps.intake.myCases(turn.conversationId, 50);
  const kept = turn.formOpen ? answersKept(turn.formAnswers) : [];
  const facts: Reply = {
    kind: 'facts',
    view: 'myData',
    content: myDataContent(def, cases.map((q) => q.case), turn.locale, turn.channel.id, kept.length > 0, deps.clock.now()),
    summary: t(turn.locale, 'myData.fallback'),
  };
  if (!kept.length) return [facts];
  const answers = detailsSentLines(def, turn.formAnswers ?? {}, kept, turn.locale);
  return [facts, text(t(turn.locale, 'myData.formSoFar', { answers, days: def.limits.retentionDays }))];
}

/** The intake fields answered so far (a skipped one, kept empty, is not held), in the fields' order. */
function answersKept(answers: Record<string, string> | undefined): IntakeFieldName[] {
  if (!answers) return [];
  return (Object.keys(INTAKE_FIELDS) as IntakeFieldName[]).filter((name) => typeof answers[name] === 'string' && answers[name].trim() !== '');
}
