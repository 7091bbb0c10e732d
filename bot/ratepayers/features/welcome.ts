/** Greeting: when the bot is added to a chat, or someone says hello or asks for help. */
import { welcomeContent } from '../../platform/cards/ratepayerCards.js';
import { t } from '../../messages/index.js';
import type { Reply } from '../replies.js';
import type { Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';

const GREETINGS = /^(hi|hello|hey|help|start|menu|sawubona|dumela|molo|hallo|howzit)\b[\s!.?]*$/i;

/** Whether a message is only a greeting or a call for the menu ("hi", "help"). */
export function isGreeting(text: string): boolean {
  return GREETINGS.test(text);
}

/** The programme's welcome with the categories to choose from. */
export async function welcome(turn: Pick<Turn, 'locale'>, deps: ConversationDeps): Promise<Reply[]> {
  const def = deps.intake.definition;
  return [
    {
      kind: 'choice',
      view: 'welcome',
      content: welcomeContent(def, deps.intake.sessions()),
      summary: t(turn.locale, 'welcome.fallback', { programme: def.programme.name }),
    },
  ];
}
