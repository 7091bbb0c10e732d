/** Greeting: when the bot is added to a chat, or someone says hello or asks for help. */
import { welcomeContent } from '../../platform/cards/ratepayerCards.js';
import { t } from '../../messages/index.js';
import { programmeIn, servedLanguages } from '../../messages/programme.js';
import type { Reply } from '../replies.js';
import type { Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';
import { languageChoice } from './languageChoice.js';

/**
 * Greetings and calls for the menu in the languages served (issue 16), each alone or with a
 * courtesy word: English "hi", "hello", "help"; isiZulu "sawubona", "sanibonani"; isiXhosa "molo",
 * "molweni", "mholo"; Sesotho and Setswana "dumela", "dumelang", Sesotho "lumela"; Sepedi
 * "thobela"; Afrikaans "hallo", "goeie môre", "goeiemiddag", "goeienaand".
 */
const GREETINGS =
  /^(hi|hello|hey|help|start|menu|howzit|good (morning|afternoon|evening)|sawubona|sanibonani|molo|molweni|mholo|dumela|dumelang|lumela|lumelang|thobela|hallo|goeie\s?(more|môre|middag|naand|dag)|goeiemore|goeiemôre|goeiemiddag|goeienaand|goeiedag)\b[\s!.?,]*(sir|madam|mam|ma'am|baba|mama|ntate|mme|rra|mma|meneer|mevrou)?[\s!.?]*$/i;

/** Whether a message is only a greeting or a call for the menu ("hi", "help", "sawubona", "dumela"). */
export function isGreeting(text: string): boolean {
  return GREETINGS.test(text.trim());
}

/**
 * The programme's welcome with the categories to choose from, in the turn's language, with the
 * language choice on it. When the first words could equally be several languages ("Dumela":
 * Sesotho or Setswana), the language card follows, those languages first.
 */
export async function welcome(turn: Pick<Turn, 'locale' | 'languageOffer'>, deps: ConversationDeps): Promise<Reply[]> {
  const def = deps.intake.definition;
  const replies: Reply[] = [
    {
      kind: 'choice',
      view: 'welcome',
      content: welcomeContent(def, deps.intake.sessions(), turn.locale),
      summary: t(turn.locale, 'welcome.fallback', { programme: programmeIn(def, turn.locale).name }),
    },
  ];
  if (turn.languageOffer?.length && servedLanguages(def).length > 1) replies.push(languageChoice(def, turn.locale, turn.languageOffer));
  return replies;
}
