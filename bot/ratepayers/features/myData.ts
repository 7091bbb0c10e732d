/**
 * "my data" (in any served language: bot/messages/commandWords.ts): what the service holds about the ratepayer (POPIA s23), from this chat only. A
 * ratepayer cannot ask about an account number: whoever typed one would see another's details.
 */
import { myDataContent } from '../../platform/cards/ratepayerCards.js';
import { t } from '../../messages/index.js';
import { isCommand } from '../../messages/commandWords.js';
import type { Reply } from '../replies.js';
import type { Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';

/** Whether the turn asks what is held about them ("my data", "imininingwane yami", "my inligting"…). */
export const asksMyData = (turn: Turn): boolean => turn.channel.personal && isCommand('myData', turn.text);

/** Every case of this conversation (at most 50), what it holds and until when. */
export async function myData(turn: Turn, deps: ConversationDeps): Promise<Reply[]> {
  const cases = await deps.intake.myCases(turn.conversationId, 50);
  return [
    {
      kind: 'facts',
      view: 'myData',
      content: myDataContent(deps.intake.definition, cases.map((q) => q.case), turn.locale, turn.channel.id),
      summary: t(turn.locale, 'myData.fallback'),
    },
  ];
}
