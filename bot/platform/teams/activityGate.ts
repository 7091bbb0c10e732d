/**
 * What of an incoming activity reaches the bot's routes, decided once at the edge:
 *
 * - a `message` reaches them only with something to read: typed text (after the @mention and
 *   invisible characters are removed), a card value that parses (bot/platform/teams/cardValues.ts), or an
 *   attachment. A card value that does not parse gets one sensible answer here; an empty message
 *   is ignored.
 * - `conversationUpdate` (the bot added to a chat: the welcome) and `invoke` (Action.Execute and
 *   Teams' own requests, which expect an HTTP answer) reach them.
 * - every other type the Bot Framework schema defines is ignored on purpose, without a reply:
 *   `typing`, `messageReaction`, `installationUpdate` (its `conversationUpdate` twin greets),
 *   `endOfConversation`, `event`, `deleteUserData`, `messageUpdate`, `messageDelete`,
 *   `contactRelationUpdate`, `suggestion`, `trace`, `handoff`, `command`, `commandResult` and
 *   any type not yet invented. Answering them as messages made a 👍 or "is typing…" produce
 *   "You are in the queue…".
 *
 * Every activity, answered or not, counts towards the per-conversation limit (conversationGuard).
 */
import type { TurnContext } from 'botbuilder';
import { readCardValue, type CardVerb } from './cardValues.js';
import { isPersonal, localeOfContext, typedText } from './context.js';
import type { BotDependencies } from './application.js';
import { answerOutsidePersonalChat } from './features/personalOnly.js';
import { sendWelcome } from './features/welcome.js';
import { t, type MessageKey } from '../../messages/index.js';

/** Activity types that reach the routes as they are. */
const PASSED = new Set(['conversationUpdate', 'invoke']);

/** What a ratepayer is told when a card's value cannot be read, by the card it came from. */
const UNREADABLE: Partial<Record<CardVerb, MessageKey>> = {
  'survey.submit': 'turn.unreadableSurvey',
  'closing.choose': 'turn.unreadableClosing',
  'case.endChat': 'turn.unreadableEndChat',
};

/** The answer to a card value that cannot be read: what to do next, in the ratepayer's terms. */
async function answerUnreadableCard(context: TurnContext, deps: BotDependencies, verb?: CardVerb): Promise<void> {
  if (!isPersonal(context)) return answerOutsidePersonalChat(context);
  const specific = verb ? UNREADABLE[verb] : undefined;
  if (specific) {
    await context.sendActivity(t(localeOfContext(context), specific));
    return;
  }
  await context.sendActivity(t(localeOfContext(context), 'turn.unreadableForm'));
  await sendWelcome(context, deps);
}

/** Wraps the bot's turn logic with the gate described above. */
export function gateActivities(deps: BotDependencies, logic: (context: TurnContext) => Promise<void>) {
  return async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    if (activity.type !== 'message') {
      if (PASSED.has(activity.type)) await logic(context);
      return;
    }
    const card = readCardValue(activity.value);
    if (card.kind === 'unreadable') return answerUnreadableCard(context, deps, card.verb);
    if (card.kind === 'card') {
      // The routes get the parsed value; a card press carries no text of its own (Teams' messageBack may).
      activity.value = card.data;
      activity.text = undefined as unknown as string;
      return logic(context);
    }
    if (typedText(context) === '' && !activity.attachments?.length) return;
    await logic(context);
  };
}
