/**
 * "cancel" (or "leave", "stop", "quit", "exit", and the words of every served language: "khansela",
 * "kanselleer"…, bot/messages/commandWords.ts): the ratepayer leaves the queue, one case at a time. A case already
 * with an expert is not cancelled: what they wrote goes to the expert like any message, and they
 * are asked whether they want to end the chat with the expert. The question and their answer are
 * kept on the case's transcript, so the expert sees both (the case page) and closes the case; a
 * "yes" is also recorded on the case (requestEndChat), shown to the expert as a banner.
 */
import { cancelChoiceContent, endChatAnsweredContent, endChatContent } from '../../platform/cards/ratepayerCards.js';
import { firstName, type Case } from '../../domain/case.js';
import { formatReference, normaliseReference } from '../../domain/reference.js';
import { localeOf, t, type Locale } from '../../messages/index.js';
import { isCommand } from '../../messages/commandWords.js';
import { told, toldReply, type RatepayerMessage, type RelayService } from '../relay.js';
import { text, type Reply } from '../replies.js';
import { ratepayerOfTurn, type Answer, type Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';

/** What cancelling needs: the intake (the queue) and the relay (a case with an expert). */
export type CancelDeps = ConversationDeps & { relay: RelayService };

/** Whether the turn asks to leave the queue ("cancel", "stop", "khansela", "kanselleer"…) in a one-to-one chat. */
export const asksCancel = (turn: Turn): boolean =>
  // "end chat" (what turn.unreadableEndChat tells people to type) asks the same question about the chat with the expert.
  turn.channel.personal && (isCommand('cancel', turn.text) || isCommand('endChat', turn.text));

/**
 * Asks whether the ratepayer wants to end the chat with the expert. The command word they typed
 * is kept on the transcript first, as the command it is (not a message, never machine-translated:
 * tester 7, finding 10), so the expert sees what was asked and why the question follows.
 */
async function askToEndChat(c: Case, deps: CancelDeps, typed: string): Promise<Reply[]> {
  if (typed) await deps.relay.fromRatepayer(c, { text: typed, attachments: [], command: 'endChat' });
  // Sent through the relay, not as a reply: the question is kept on the transcript for the expert.
  // Staff read the same question and its buttons from the catalogue in their language.
  await deps.relay.tellRatepayer(
    c,
    toldReply(localeOf(c), (l) => ({
      kind: 'choice',
      view: 'endChat',
      content: endChatContent(c, l),
      summary: t(l, 'cancel.askEndChat', { expert: firstName(c.assignedTo?.name ?? t(l, 'common.theExpert')) }),
    })),
  );
  return [];
}

/**
 * Leaves the queue. `reference`: the case a card's button is for (only that one is cancelled);
 * none (typed "cancel", or a card from before buttons named their case): with one open case it
 * is that one, with several the ratepayer is asked which (a card naming each) — never all at once.
 */
export async function cancel(turn: Turn, deps: CancelDeps): Promise<Reply[]> {
  const reference = turn.action?.values.reference;
  const conversationId = turn.conversationId;
  const locale = turn.locale;
  const named = typeof reference === 'string' ? normaliseReference(reference) : undefined;
  const open = await deps.intake.status(conversationId);
  if (typeof reference === 'string') {
    const target = open.find((q) => q.case.id === named)?.case;
    if (!target) return [text(t(locale, 'cancel.notWaiting', { reference: named ? formatReference(named) : reference.slice(0, 16) }))];
    return target.state === 'in_progress' ? askToEndChat(target, deps, '') : cancelOne(turn, deps, target.id);
  }
  const withExpert = open.find((q) => q.case.state === 'in_progress')?.case;
  if (withExpert) return askToEndChat(withExpert, deps, turn.text);
  const waiting = open.filter((q) => q.case.state === 'waiting').map((q) => q.case);
  if (waiting.length === 0) return [text(t(locale, 'cancel.nothingToCancel'))];
  if (waiting.length === 1) return cancelOne(turn, deps, waiting[0]!.id);
  return [
    {
      kind: 'choice',
      view: 'cancelChoice',
      content: cancelChoiceContent(deps.intake.definition, waiting, locale),
      summary: t(locale, 'cancel.whichFallback', { count: waiting.length }),
    },
  ];
}

/** Cancels one case and says so; an expert who claimed it meanwhile is asked about, as above. */
async function cancelOne(turn: Turn, deps: CancelDeps, caseId: string): Promise<Reply[]> {
  const outcome = await deps.intake.cancel(turn.conversationId, ratepayerOfTurn(turn), caseId);
  const locale = turn.locale;
  if (outcome.kind === 'with_expert') return askToEndChat(outcome.case, deps, '');
  if (outcome.kind === 'cancelled') return [text(t(locale, 'cancel.left', { reference: formatReference(outcome.case.id) }))];
  return [text(t(locale, 'cancel.notWaiting', { reference: formatReference(caseId) }))];
}

/**
 * The ratepayer's press of a button, as their transcript line: the catalogue's "[Chose: …]" in
 * their language, and the same words in the experts' for the case page (not machine-translated).
 */
function chose(locale: Locale, key: 'cancel.choseEnd' | 'cancel.choseContinue'): RatepayerMessage {
  const words = told(locale, (l) => t(l, key));
  return { text: words.text, attachments: [], pressed: true, ...(words.forStaff ? { forStaff: words.forStaff } : {}) };
}

/** The answer to "Do you want to end the chat with …?": kept on the transcript for the expert. */
export async function endChat(turn: Turn, deps: CancelDeps): Promise<Answer> {
  const data = turn.action?.values ?? {};
  const id = typeof data.reference === 'string' ? normaliseReference(data.reference) : undefined;
  const c = await deps.relay.openCaseOf(turn.conversationId);
  if (!id || !c || c.id !== id || c.state !== 'in_progress') return [text(t(turn.locale, 'cancel.questionClosed'))];
  const locale = localeOf(c);
  const expertIn = (l: Locale) => firstName(c.assignedTo?.name ?? t(l, 'common.theExpert'));
  const expert = expertIn(locale);
  // The question is answered once: a second press (the other button, or the same again) is told so.
  const answered = answerSinceQuestion(c);
  if (answered) {
    return [text(t(turn.locale, 'cancel.questionAnswered', { choice: t(locale, answered === 'end' ? 'cards.endChat.yes' : 'cards.endChat.no') }))];
  }
  const choice = data.choice === 'end' ? 'end' : 'continue';
  // The used question becomes its answer, read-only, before anything is kept or told: a second
  // press meanwhile finds nothing to press.
  const receipt: Reply = { kind: 'receipt', replacesPressed: true, view: 'answered', content: endChatAnsweredContent(c, choice, locale) };
  const afterwards = async (): Promise<Reply[]> => {
    if (data.choice === 'end') {
      const answer = await deps.relay.fromRatepayer(c, chose(locale, 'cancel.choseEnd'));
      // A fact on the case, not only a transcript line: the expert's case page shows it as a banner (tester 7, finding 10).
      await deps.relay.endChatAsked(c, answer);
      await deps.relay.tellRatepayer(c, told(locale, (l) => t(l, 'cancel.toldExpert', { expert: expertIn(l), reference: formatReference(c.id) })));
      return [];
    }
    await deps.relay.fromRatepayer(c, chose(locale, 'cancel.choseContinue'));
    await deps.relay.tellRatepayer(c, told(locale, (l) => t(l, 'cancel.stillConnected', { expert: expertIn(l) })));
    return [];
  };
  return { replies: [receipt], afterwards };
}

/**
 * The answer given to the latest "end the chat?" question on the transcript, if any: the
 * ratepayer's "[Chose: …]" entry after the question's card. Undefined: not answered yet (or
 * never asked).
 */
function answerSinceQuestion(c: Case): 'end' | 'continue' | undefined {
  const entries = c.transcript ?? [];
  const isQuestion = (card: unknown) =>
    Array.isArray((card as { actions?: unknown })?.actions) &&
    ((card as { actions: { data?: { verb?: unknown } }[] }).actions).some((a) => a.data?.verb === 'case.endChat');
  let asked = -1;
  entries.forEach((e, i) => {
    if (e.from === 'system' && (e.reply?.view === 'endChat' || isQuestion(e.card))) asked = i;
  });
  if (asked < 0) return undefined;
  const locale = localeOf(c);
  for (const e of entries.slice(asked + 1)) {
    if (e.from !== 'ratepayer') continue;
    if (e.text === t(locale, 'cancel.choseEnd')) return 'end';
    if (e.text === t(locale, 'cancel.choseContinue')) return 'continue';
  }
  return undefined;
}
