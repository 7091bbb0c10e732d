/**
 * "cancel" (or "leave", "stop", "quit", "exit"): the ratepayer leaves the queue, one case at a time. A case already
 * with an expert is not cancelled: what they wrote goes to the expert like any message, and they
 * are asked whether they want to end the chat with the expert. The question and their answer are
 * kept on the case's transcript, so the expert sees both (the case page) and closes the case.
 */
import type { TurnContext } from 'botbuilder';
import { cancelChoiceCard, endChatAnsweredCard, endChatCard } from '../../cards/ratepayerCards.js';
import { log } from '../../log.js';
import { firstName, type Case } from '../../domain/case.js';
import { formatReference, normaliseReference } from '../../domain/reference.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal, ratepayerOf, replaceUsedCard, sendCard, typedText } from '../context.js';
import { localeOf, t } from '../../messages/index.js';

const CANCEL = /^(cancel|leave|leave the queue|stop|quit|exit)[\s!.?]*$/i;

/** Asks whether the ratepayer wants to end the chat with the expert; what they typed goes to the expert first. */
async function askToEndChat(c: Case, deps: BotDependencies, typed: string): Promise<void> {
  if (typed) await deps.relay.fromRatepayer(c, { text: typed, attachments: [] });
  await deps.relay.tellRatepayer(c, {
    text: t(localeOf(c), 'cancel.askEndChat', { expert: firstName(c.assignedTo?.name ?? t(localeOf(c), 'common.theExpert')) }),
    card: endChatCard(c),
  });
}

/**
 * Leaves the queue. `reference`: the case a card's button is for (only that one is cancelled);
 * none (typed "cancel", or a card from before buttons named their case): with one open case it
 * is that one, with several the ratepayer is asked which (a card naming each) — never all at once.
 */
async function cancel(context: TurnContext, deps: BotDependencies, reference?: unknown): Promise<void> {
  const conversationId = context.activity.conversation.id;
  const locale = localeOf(context);
  const named = typeof reference === 'string' ? normaliseReference(reference) : undefined;
  const open = await deps.intake.status(conversationId);
  if (typeof reference === 'string') {
    const target = open.find((q) => q.case.id === named)?.case;
    if (!target) {
      await context.sendActivity(t(locale, 'cancel.notWaiting', { reference: named ? formatReference(named) : reference.slice(0, 16) }));
      return;
    }
    if (target.state === 'in_progress') await askToEndChat(target, deps, '');
    else await cancelOne(context, deps, target.id);
    return;
  }
  const withExpert = open.find((q) => q.case.state === 'in_progress')?.case;
  if (withExpert) {
    await askToEndChat(withExpert, deps, typedText(context));
    return;
  }
  const waiting = open.filter((q) => q.case.state === 'waiting').map((q) => q.case);
  if (waiting.length === 0) await context.sendActivity(t(locale, 'cancel.nothingToCancel'));
  else if (waiting.length === 1) await cancelOne(context, deps, waiting[0]!.id);
  else await sendCard(context, cancelChoiceCard(deps.intake.definition, waiting, locale), t(locale, 'cancel.whichFallback', { count: waiting.length }));
}

/** Cancels one case and says so; an expert who claimed it meanwhile is asked about, as above. */
async function cancelOne(context: TurnContext, deps: BotDependencies, caseId: string): Promise<void> {
  const outcome = await deps.intake.cancel(context.activity.conversation.id, ratepayerOf(context), caseId);
  const locale = localeOf(context);
  if (outcome.kind === 'with_expert') await askToEndChat(outcome.case, deps, '');
  else if (outcome.kind === 'cancelled') await context.sendActivity(t(locale, 'cancel.left', { reference: formatReference(outcome.case.id) }));
  else await context.sendActivity(t(locale, 'cancel.notWaiting', { reference: formatReference(caseId) }));
}

/** The answer to "Do you want to end the chat with …?": kept on the transcript for the expert. */
async function endChat(context: TurnContext, deps: BotDependencies, data: { reference?: unknown; choice?: unknown }): Promise<void> {
  const id = typeof data.reference === 'string' ? normaliseReference(data.reference) : undefined;
  const c = await deps.relay.openCaseOf(context.activity.conversation.id);
  if (!id || !c || c.id !== id || c.state !== 'in_progress') {
    await context.sendActivity(t(localeOf(context), 'cancel.questionClosed'));
    return;
  }
  const locale = localeOf(c);
  const expert = firstName(c.assignedTo?.name ?? t(locale, 'common.theExpert'));
  // The question is answered once: a second press (the other button, or the same again) is told so.
  const answered = answerSinceQuestion(c);
  if (answered) {
    await context.sendActivity(
      t(localeOf(context), 'cancel.questionAnswered', { choice: t(locale, answered === 'end' ? 'cards.endChat.yes' : 'cards.endChat.no') }),
    );
    return;
  }
  const choice = data.choice === 'end' ? 'end' : 'continue';
  await replaceUsedCard(context, endChatAnsweredCard(c, choice, locale), (error) =>
    log.warn({ err: error, component: 'bot' }, 'the used end-chat card could not be updated; a press again is answered plainly'),
  );
  if (data.choice === 'end') {
    await deps.relay.fromRatepayer(c, { text: t(locale, 'cancel.choseEnd'), attachments: [] });
    await deps.relay.tellRatepayer(c, {
      text: t(locale, 'cancel.toldExpert', { expert, reference: formatReference(c.id) }),
    });
    return;
  }
  await deps.relay.fromRatepayer(c, { text: t(locale, 'cancel.choseContinue'), attachments: [] });
  await deps.relay.tellRatepayer(c, { text: t(locale, 'cancel.stillConnected', { expert }) });
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
    if (e.from === 'system' && isQuestion(e.card)) asked = i;
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

/** Registers the cancel routes and the answer to "end the chat?". */
export function registerCancel(app: BotApplication, deps: BotDependencies): void {
  app.message(async (context) => isPersonal(context) && CANCEL.test(typedText(context)), (context) => cancel(context, deps));
  app.adaptiveCards.actionSubmit<{ reference?: unknown }>('case.cancel', (context, _state, data) => cancel(context, deps, data.reference));
  app.adaptiveCards.actionSubmit<{ reference?: unknown; choice?: unknown }>('case.endChat', (context, _state, data) => endChat(context, deps, data));
}
