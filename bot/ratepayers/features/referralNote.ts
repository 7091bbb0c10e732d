/**
 * A message typed in a chat with a case still open with the back office (tester 11, finding 6):
 * kept on the referral for the back office (IntakeService.noteForBackOffice, through
 * noteFromRatepayer in bot/domain/case.ts, with its audit entry; the team's referral page shows
 * it), and the ratepayer told it was passed on, by when to expect the answer, and how to start a
 * new query instead: by typing only the kind of query, which this route leaves to the category
 * route.
 *
 * Any open referral of the chat, not only one the back office has written to: the ratepayer was
 * told at the referral that the team would answer in this chat, so what they write next ("did
 * you get my statement?") is most likely about it; reading it by keyword would offer a form for a
 * query already in the system (a duplicate case) and lose the words. A new query costs them one
 * message naming its kind. The route comes after every command ("status", "language", "cancel"…),
 * the relay to an expert (an open case comes first), courtesy ("thank you") and greetings ("hi"),
 * so none of those is swallowed.
 */
import { namesCategoryExactly } from '../../domain/categoryMatch.js';
import { stageOf } from '../../domain/followThrough.js';
import { formatReference } from '../../domain/reference.js';
import { characterCount, formatCount, MESSAGE_CHARACTERS } from '../../domain/textLimits.js';
import { t } from '../../messages/index.js';
import { typeExamples } from '../../messages/programme.js';
import { longDate } from '../../messages/time.js';
import { text, type Reply } from '../replies.js';
import { ratepayerOfTurn, type Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';
import { categoryFromText } from './categoryChoice.js';

/**
 * Whether the turn is words for an open referral of this chat: typed text in a one-to-one chat,
 * not a form being filled in, not a category named exactly (namesCategoryExactly), and the chat
 * has a case referred to the back office and not yet done.
 */
export async function writesAboutReferral(turn: Turn, deps: ConversationDeps): Promise<boolean> {
  if (!turn.channel.personal || turn.action || turn.formOpen || !turn.text.trim()) return false;
  const def = deps.intake.definition;
  if (namesCategoryExactly(def.categories, turn.text)) return false;
  return (await deps.intake.openReferrals(turn.conversationId)).length > 0;
}

/** Keeps the words on the latest open referral and says so, with its due date (or that it is overdue) and how to start a new query. */
export async function noteOnReferral(turn: Turn, deps: ConversationDeps): Promise<Reply[]> {
  const locale = turn.locale;
  const characters = characterCount(turn.text.trim());
  if (characters > MESSAGE_CHARACTERS) return [text(t(locale, 'relay.tooLongToKeep', { characters: formatCount(characters), limit: formatCount(MESSAGE_CHARACTERS) }).trim())];
  const [latest] = await deps.intake.openReferrals(turn.conversationId);
  const saved = latest ? await deps.intake.noteForBackOffice(turn.conversationId, ratepayerOfTurn(turn), latest.id, turn.text) : undefined;
  // Done by the back office between the read and the write: read as any other message.
  if (!saved?.referral) return categoryFromText(turn, deps);
  const r = saved.referral;
  const stage = stageOf(saved, deps.clock.now());
  const params = { reference: formatReference(saved.id), team: r.team.name, date: longDate(r.dueDate, locale) };
  const passedOn = stage === 'back_office' ? t(locale, 'followThrough.passedOn.due', params) : t(locale, 'followThrough.passedOn.overdue', { ...params, stage: t(locale, `followThrough.status.stage.${stage}`) });
  return [text(`${passedOn} ${t(locale, 'followThrough.passedOn.newQuery', { examples: typeExamples(locale, deps.intake.definition) })}`)];
}
