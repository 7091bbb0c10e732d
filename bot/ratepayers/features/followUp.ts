/**
 * After the session (issue 19): "not resolved" / "reopen K7M-3PQ" reopens a finished case of
 * this chat; "status K7M-3PQ" (with, from another chat, the account number and the last four
 * digits of the mobile number) says where an older case stands. The rules and the proof are the
 * follow-up service's (bot/backOffice/ratepayerFollowUp.ts). The commands are recognised in every
 * served language ("vula futhi K7M-3PQ", "isimo K7M-3PQ", "heropen"): bot/messages/commandWords.ts.
 */
import { conversationOfTurn, ratepayerOfTurn, type Turn } from '../turn.js';
import { text, type Reply } from '../replies.js';
import type { RatepayerFollowUp } from '../../backOffice/ratepayerFollowUp.js';
import type { Clock } from '../../platform/ports/clock.js';
import { reopenCommand, statusOfCommand } from '../../messages/commandWords.js';
import type { ConversationDeps } from './deps.js';
import { offerIntake } from './categoryChoice.js';

/** Whether the turn asks to reopen a case. */
export const asksReopen = (turn: Turn): boolean => turn.channel.personal && reopenCommand(turn.text) !== undefined;
/** Whether the turn asks for the status of one case by its reference. */
export const asksStatusOf = (turn: Turn): boolean => turn.channel.personal && statusOfCommand(turn.text) !== undefined;

/**
 * Reopens the named (or the latest finished) case of this chat; after the reopen period, offers
 * the form of its category for a new case that follows it (the form carries the old reference).
 */
export async function reopen(turn: Turn, followUp: RatepayerFollowUp, deps: ConversationDeps & { clock: Clock }): Promise<Reply[]> {
  const reference = reopenCommand(turn.text)?.reference ?? (typeof turn.action?.values.reference === 'string' ? turn.action.values.reference : undefined);
  const answer = await followUp.reopen(conversationOfTurn(turn, deps.clock.now()), ratepayerOfTurn(turn), reference, turn.locale);
  const category = answer.newCase ? deps.intake.categoryFor(answer.newCase.category) : undefined;
  if (!answer.newCase || !category) return [text(answer.words)];
  return [text(answer.words), ...(await offerIntake(turn, deps, category, { follows: answer.newCase.follows }))];
}

/** Where one case stands, once the person proves it is theirs. */
export async function statusOf(turn: Turn, followUp: RatepayerFollowUp): Promise<Reply[]> {
  const { reference, account, lastFour } = statusOfCommand(turn.text)!;
  const digits = account?.replace(/\s/g, '');
  const proof = digits && lastFour ? { account: digits, lastFour } : undefined;
  return [text(await followUp.status(turn.conversationId, reference, proof, turn.locale))];
}
