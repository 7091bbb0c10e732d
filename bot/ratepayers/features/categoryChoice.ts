/**
 * Choosing a category: from a category link (its text is the category), from words the
 * ratepayer types, or from a button on the welcome card. Answers with the intake form.
 */
import { randomUUID } from 'node:crypto';
import { intakeContent, sessionLine } from '../../platform/cards/ratepayerCards.js';
import { categoryWordsIn, type Category } from '../../domain/serviceDefinition.js';
import { channelKindOf } from '../../domain/channels.js';
import { firstName, type Case } from '../../domain/case.js';
import { t, type Locale } from '../../messages/index.js';
import { categoryName } from '../../messages/programme.js';
import { text, type Reply } from '../replies.js';
import type { Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';
import { welcome } from './welcome.js';

/** "You are talking with Thandi about Account and billing queries now…": no new query while an expert has one of this chat. */
export function withExpertText(deps: ConversationDeps, busy: Pick<Case, 'category' | 'assignedTo'>, locale: Locale): Reply {
  return text(t(locale, 'openCaseLimits.withExpert', { expert: firstName(busy.assignedTo?.name ?? ''), category: categoryName(deps.intake.definition, busy.category, locale) }));
}

/**
 * The intake form for a category, or that there is no session to queue for; `follows`: the
 * earlier case the new one will follow (issue 19), carried by the form. A form in a chat that
 * has had a case starts with the answers the two share (account, name, mobile, email:
 * IntakeService.carriedAnswers), in the form itself: nothing of them goes into a link or a log.
 * `draftId`: the filling-in the form continues (the same form again in another language), else a new one.
 * `typed`: what the form starts with instead of the carried answers (an old form's answers, sent
 * for another account: intakeSubmit.ts).
 */
export async function offerIntake(
  turn: Pick<Turn, 'locale' | 'channel' | 'conversationId'>,
  deps: ConversationDeps,
  category: Category,
  options: { follows?: string; draftId?: string; typed?: Record<string, string> } = {},
): Promise<Reply[]> {
  const { follows, draftId = randomUUID() } = options;
  const def = deps.intake.definition;
  const news = deps.intake.sessions();
  if (!news.open && !news.next) {
    return [text(t(turn.locale, 'category.noSessions', { category: categoryWordsIn(category, turn.locale).name, sessionLine: sessionLine(def, news, turn.locale) }))];
  }
  // A card's fields show what they start with; WhatsApp and SMS ask question by question and
  // confirm the number themselves (bot/platform/whatsapp/channel.ts), so nothing is carried there.
  const kind = channelKindOf(turn.channel.id);
  const typed = options.typed ?? (kind === 'web' || kind === 'teams' ? await deps.intake.carriedAnswers(turn.conversationId, category) : {});
  return [
    {
      kind: 'form',
      view: 'intake',
      content: intakeContent(def, category, news, { draftId, channel: turn.channel.id, smsNotices: deps.intake.textsWebChat, typed, ...(follows ? { follows } : {}) }, turn.locale),
      summary: t(turn.locale, 'category.intakeFallback', { category: categoryWordsIn(category, turn.locale).name }),
    },
  ];
}

/** A category button pressed on the welcome (`values.category`: its code): its form, or the welcome again. */
export async function chooseCategory(turn: Turn, deps: ConversationDeps): Promise<Reply[]> {
  const code = turn.action?.values.category;
  const category = typeof code === 'string' ? deps.intake.categoryFor(code) : undefined;
  if (!category) return welcome(turn, deps);
  // An old welcome card's button, or a second category link on the web page, while an expert is
  // talking to them in this chat: no second form (bot/domain/openCaseLimits.ts caseWithExpert).
  const busy = await deps.intake.caseWithExpert(turn.conversationId);
  if (busy) return [withExpertText(deps, busy, turn.locale)];
  return offerIntake(turn, deps, category);
}

/**
 * Anything else a ratepayer types (the last route): the category it names, or "didn't catch
 * that" and the welcome. Outside a one-to-one chat: where to write instead.
 */
export async function categoryFromText(turn: Turn, deps: ConversationDeps): Promise<Reply[]> {
  if (!turn.channel.personal) return [text(t(turn.locale, 'turn.chatOneToOne'))];
  const category = turn.text ? deps.intake.categoryFor(turn.text) : undefined;
  if (category) return offerIntake(turn, deps, category);
  const replies: Reply[] = turn.text ? [text(t(turn.locale, 'category.notCaught'))] : [];
  return [...replies, ...(await welcome(turn, deps))];
}
