/** The closing offer's buttons: keep the place for the next session, or a callback at a chosen time. */
import { text, type Reply } from '../replies.js';
import type { Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';

/** Records the choice (`turn.action.values`) and says what happens now; nothing outside a one-to-one chat. */
export async function chooseAtClosing(turn: Turn, deps: ConversationDeps): Promise<Reply[]> {
  if (!turn.channel.personal) return [];
  const result = await deps.sessionClose.choose(turn.conversationId, turn.action?.values ?? {}, turn.locale);
  return [text(result.text)];
}
