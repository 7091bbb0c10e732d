/**
 * Courtesy: "ok thank you", "bye", "👍" after a case is closed (or at any time there is nothing
 * open) gets a short courteous answer, not "Sorry, I didn't catch which kind of query that is"
 * and the category picker. The picker comes only when they ask something new. While a case is
 * open the relay route answers first (a "thank you" then is for the expert).
 */
import { formatReference } from '../../domain/reference.js';
import { t } from '../../messages/index.js';
import { typeExamples } from '../../messages/programme.js';
import { text, type Reply } from '../replies.js';
import type { Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';

/**
 * Words that make up courtesy in the languages ratepayers write in (English, isiZulu, isiXhosa,
 * Sesotho/Setswana, Afrikaans). A message is courtesy when every word is one of these: "thank
 * you, I have another question" is not.
 */
const COURTESY_WORDS = new Set(
  (
    'ok okay oky okey k kk alright right great cool perfect nice good fine sure noted awesome wonderful lovely excellent brilliant super ' +
    'thanks thank thankyou thanku thx thnx thanx tnx ty tq you u so very much a lot lots appreciated appreciate it really all that that\'s thats ' +
    'was helpful for your help the cheers bye goodbye bye-bye byebye see later soon have day evening night take care ' +
    'ngiyabonga siyabonga ngiyabonga kakhulu enkosi kakhulu ke a leboga kea rea re kealeboga dankie baie totsiens sharp shap'
  ).split(/\s+/),
);
/** Pictographs, their skin tones and joiners: "👍", "🙏🏽", "❤️". */
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\u200d\ufe0f]/gu;
/**
 * The emoji that say thanks, approval or goodbye: a message of only these is courtesy. Others
 * ("🧾💧⚡", a receipt, water, electricity) say what the query is about, not "thank you".
 */
const THANKS_EMOJI = new Set([...'👍👌👏🙌🙏🤝❤♥💙💚💛🧡💜🖤🤍💕💖💗💓😊🙂☺😀😃😄😁🥰😍🤗😇💯✅✔🌹💐🎉👋✌']);
const TONE_OR_JOINER = /[\p{Emoji_Modifier}\u200d\ufe0f]/gu;

/** Whether every pictograph in the text is a thank-like one (modifiers and joiners aside). */
function onlyThanksEmoji(text: string): boolean {
  const pictographs = text.replace(TONE_OR_JOINER, '').match(/\p{Extended_Pictographic}/gu) ?? [];
  return pictographs.every((p) => THANKS_EMOJI.has(p));
}

/** Whether a message is only courtesy: thanks, goodbye, an emoji or a mix of these. */
export function isCourtesy(text: string): boolean {
  // "Good morning" and "good evening" open a conversation: the greeting route's business.
  if (/^\s*good\s+(morning|day|afternoon|evening)\b/i.test(text)) return false;
  const hadEmoji = EMOJI.test(text);
  EMOJI.lastIndex = 0;
  if (hadEmoji && !onlyThanksEmoji(text)) return false;
  const words = text
    .replace(EMOJI, ' ')
    .toLowerCase()
    .replace(/[’']/g, "'")
    .split(/[\s,.!?;:()]+/)
    .filter(Boolean);
  if (words.length === 0) return hadEmoji;
  return words.length <= 12 && words.every((w) => COURTESY_WORDS.has(w));
}

const GOODBYE = /\b(bye|goodbye|totsiens|see you|later|take care|good night)\b/i;

/** Whether the turn is courtesy in a one-to-one chat (the route after the relay, before greetings and categories). */
export const isCourtesyTurn = (turn: Turn): boolean => turn.channel.personal && isCourtesy(turn.text);

/** A courteous word for thanks or goodbye, naming the latest case when it is closed. */
export async function courtesy(turn: Turn, deps: ConversationDeps): Promise<Reply[]> {
  const [latest] = await deps.intake.myCases(turn.conversationId, 1);
  const locale = turn.locale;
  // "Glad we could help" only when they said so (a rating of 4 or 5): after "2 – Dissatisfied",
  // or before any rating, the answer presumes nothing about how it went.
  const rating = latest?.case.survey?.rating;
  const reference = latest ? formatReference(latest.case.id) : '';
  const thanks =
    latest?.case.state !== 'resolved'
      ? t(locale, 'courtesy.welcome')
      : rating !== undefined && rating >= 4
        ? t(locale, 'courtesy.welcomeResolved', { reference })
        : rating !== undefined && rating <= 2
          ? t(locale, 'courtesy.welcomeDissatisfied', { reference })
          : t(locale, 'courtesy.welcomeClosed', { reference });
  const goodbye = GOODBYE.test(turn.text) ? t(locale, 'courtesy.goodbye') : '';
  return [text(t(locale, 'courtesy.answer', { thanks, goodbye, examples: typeExamples(locale, deps.intake.definition) }))];
}
