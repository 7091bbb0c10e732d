/**
 * The ratepayer's language (issue 16): settled once per turn before any feature answers, chosen
 * on the language card or with the language command, and stored on the conversation (and on the
 * open cases) so that messages sent outside a turn use it too.
 *
 * The order (bot/domain/language.ts `chooseLanguage`): what they picked; else the client's locale
 * (Teams `locale`, e.g. "zu-ZA"); else their first message's words when clearly one language
 * (greetings, and the categories' keywords per language from the service definition); else
 * English. Only the languages the programme lists (`programme.languages`, each with a catalogue:
 * checked at start-up) are used or offered.
 */
import { chooseLanguage, languageCommand, languageOfLocale, type LanguageCode } from '../../domain/language.js';
import { channelKindOf } from '../../domain/channels.js';
import { servedLanguages } from '../../messages/programme.js';
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';
import { categoryByCode, categoryWordsIn } from '../../domain/serviceDefinition.js';
import { offerIntake } from './categoryChoice.js';
import { isLocale, t, type Locale } from '../../messages/index.js';
import type { ConversationStore } from '../../platform/ports/conversationStore.js';
import type { Reply } from '../replies.js';
import { languageChoice } from './languageChoice.js';
import { moreDetailsReply } from './moreDetails.js';
import { text } from '../replies.js';
import { conversationOfTurn, ratepayerOfTurn, type Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';

/** What settling and changing the language need. */
export interface LanguageDeps extends ConversationDeps {
  conversations: ConversationStore;
}

/** Per definition (fixed once loaded): the words below, so the first-words rule normalises them once, not on every turn. */
const wordsOfProgramme = new WeakMap<ServiceDefinition, Partial<Record<LanguageCode, string[]>>>();

/** Each served language's category keywords (the definition's words), for the first-words rule. */
function programmeWords(def: ServiceDefinition, available: readonly Locale[]): Partial<Record<LanguageCode, string[]>> {
  let words = wordsOfProgramme.get(def);
  if (!words) {
    words = Object.fromEntries(
      available.filter((code) => code !== 'en').map((code) => [code, def.categories.flatMap((c) => (c.words[code] ? categoryWordsIn(c, code).keywords : []))]),
    );
    wordsOfProgramme.set(def, words);
  }
  return words;
}

/**
 * Sets `turn.locale` (and `turn.languageOffer`) before the features run: the conversation's stored
 * language when it has one the programme still serves; else the choice from the evidence, which
 * is stored once it is decisive (a client locale in one of our languages) or once the ratepayer
 * has written something (their first words decide, or English does): the language then stays
 * until they change it, so a later "hallo" does not switch them to Afrikaans.
 */
export async function settleLanguage(turn: Turn, deps: LanguageDeps): Promise<void> {
  if (!turn.channel.personal) return;
  const def = deps.intake.definition;
  const available = servedLanguages(def);
  if (available.length === 1) return;
  // The stored choice, also where no reference is kept yet (a language the public page preset before the chat started).
  const stored = await deps.conversations.languageOf(turn.conversationId);
  if (stored?.language && (available as string[]).includes(stored.language) && isLocale(stored.language)) {
    turn.locale = stored.language;
    return;
  }
  const choice = chooseLanguage(
    { ...(turn.clientLocale ? { clientLocale: turn.clientLocale } : {}), ...(turn.text ? { firstWords: turn.text } : {}), programmeWords: programmeWords(def, available) },
    available,
  );
  if (!isLocale(choice.language)) return;
  turn.locale = choice.language;
  if (choice.offerFirst) turn.languageOffer = choice.offerFirst;
  const decisive = choice.source === 'locale' && choice.language !== 'en';
  // A typed message or a pressed card begins the conversation: its language is kept from then on
  // (a card answered in English, then "dankie", stays English). The welcome on install does not.
  if (decisive || turn.text || turn.action) await deps.conversations.setLanguage(conversationOfTurn(turn, deps.clock.now()), choice.language, choice.source);
}

/**
 * A new web chat's browser language (the page's `navigator.language`, a BCP 47 tag), recorded
 * before the chat starts so that the welcome answering its start is in it: Direct Line's
 * conversationUpdate carries no locale. Only a language the programme serves other than English
 * (English is the default anyway, and an English browser says little, as in chooseLanguage).
 */
export async function presetChatLanguage(conversations: ConversationStore, def: ServiceDefinition, conversationId: string, locale: string | undefined): Promise<void> {
  const language = languageOfLocale(locale);
  if (!language || language === 'en' || !(servedLanguages(def) as string[]).includes(language)) return;
  await conversations.presetLanguage(conversationId, language);
}

/** Whether a message is the language command, in any served language ("language", "ulimi", "puo", "taal", "isiZulu"…). */
export function asksLanguage(turn: Turn): boolean {
  return turn.channel.personal && languageCommand(turn.text) !== undefined;
}

/**
 * Records a picked language: on the conversation and on the open cases (through the lifecycle),
 * and for the rest of this turn. A language the programme does not serve is refused with the card.
 */
async function pick(turn: Turn, deps: LanguageDeps, code: string): Promise<Reply[]> {
  const def = deps.intake.definition;
  if (!isLocale(code) || !(servedLanguages(def) as string[]).includes(code)) {
    return [text(t(turn.locale, 'language.notOffered')), languageChoice(def, turn.locale)];
  }
  await deps.conversations.setLanguage(conversationOfTurn(turn, deps.clock.now()), code, 'picked');
  await deps.intake.changeLanguage(turn.conversationId, ratepayerOfTurn(turn), code);
  turn.locale = code;
  const changed = text(t(code, 'language.changed', { language: t(code, `language.name.${code}`) }));
  return [changed, ...(await formAgain(turn, deps)), ...(await detailsAgain(turn, deps))];
}

/**
 * The details form of an open case being filled in one question at a time (`turn.openDetails`:
 * WhatsApp), again in the language just chosen: the channel takes its words and keeps the answers.
 * Nothing when the case is not open in this chat or asks nothing any more.
 */
async function detailsAgain(turn: Turn, deps: LanguageDeps): Promise<Reply[]> {
  const reference = turn.openDetails?.reference;
  if (!reference) return [];
  const c = (await deps.intake.status(turn.conversationId)).find((q) => q.case.id === reference)?.case;
  return c?.detailsAsked ? [moreDetailsReply(deps.intake.definition, c, turn.locale)] : [];
}

/**
 * The unsent intake form the client shows (`turn.openForm`: the public web page; WhatsApp for the
 * form it is asking one question at a time; for Teams, whose client does not say, the form the
 * service remembers offering, bot/platform/teams/openFormMemory.ts), again in the language just
 * chosen: the same category, filling-in (draftId, so the two forms queue one case)
 * and earlier case; the page fills this one with what was typed in the first (`withTyped`,
 * web/src/openForm.ts), and the service starts it as any form of this chat
 * (IntakeService.carriedAnswers). A Teams card cannot be read before it is sent, so there the new
 * form does not have what was typed in the old one, and its note says so (`language.formAgainBlank`).
 * Nothing when there is no such form, its category is unknown, or
 * its case is open (it was sent; the open cases are point reads, as for every message). A form
 * whose case was sent and has since closed is offered again: sent, it is told the case is closed.
 */
async function formAgain(turn: Turn, deps: LanguageDeps): Promise<Reply[]> {
  const form = turn.openForm;
  const category = form ? categoryByCode(deps.intake.definition, form.category) : undefined;
  if (!form || !category) return [];
  const open = await deps.intake.status(turn.conversationId);
  if (open.some((q) => q.case.draftId === form.draftId)) return [];
  const offered = await offerIntake(turn, deps, category, { ...(form.follows ? { follows: form.follows } : {}), draftId: form.draftId });
  // Only a form is offered again with its note: no session to queue for says so itself. Asked one
  // question at a time (`formOpen`: WhatsApp), the channel keeps the answers and goes on with the
  // questions in the new language rather than showing a filled-in form.
  const note = turn.formOpen ? 'language.formAgainAsked' : channelKindOf(turn.channel.id) === 'teams' ? 'language.formAgainBlank' : 'language.formAgain';
  return offered.some((r) => r.kind === 'form') ? [text(t(turn.locale, note)), ...offered] : offered;
}

/** The language command: the card, or straight to the language named ("taal afrikaans", "isiZulu"). */
export async function changeLanguageCommand(turn: Turn, deps: LanguageDeps): Promise<Reply[]> {
  const command = languageCommand(turn.text);
  if (command?.command === 'set') return pick(turn, deps, command.language);
  return [languageChoice(deps.intake.definition, turn.locale)];
}

/** A language button pressed (`values.language`: its code). */
export async function chooseLanguageAction(turn: Turn, deps: LanguageDeps): Promise<Reply[]> {
  const code = turn.action?.values.language;
  return pick(turn, deps, typeof code === 'string' ? code : '');
}
