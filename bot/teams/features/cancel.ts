/**
 * "cancel" (or "leave", "stop", "quit", "exit"): the ratepayer leaves the queue. A case already
 * with an expert is not cancelled: what they wrote goes to the expert like any message, and they
 * are asked whether they want to end the chat with the expert. The question and their answer are
 * kept on the case's transcript, so the expert sees both (the case page) and closes the case.
 */
import type { TurnContext } from 'botbuilder';
import { endChatCard } from '../../cards/ratepayerCards.js';
import { firstName, type Case } from '../../domain/case.js';
import { formatReference, normaliseReference } from '../../domain/reference.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal, ratepayerOf, typedText } from '../context.js';
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

async function cancel(context: TurnContext, deps: BotDependencies): Promise<void> {
  const conversationId = context.activity.conversation.id;
  const current = await deps.relay.openCaseOf(conversationId);
  if (current?.state === 'in_progress') {
    await askToEndChat(current, deps, typedText(context));
    return;
  }
  const { cancelled, withExpert } = await deps.intake.cancel(conversationId, ratepayerOf(context));
  const lines: string[] = [];
  if (cancelled.length)
    lines.push(t(localeOf(context), 'cancel.left', { references: cancelled.map((c) => formatReference(c.id)).join(', ') }));
  // An expert claimed the case between our read and the cancellation: ask, as above.
  for (const c of withExpert) await askToEndChat(c, deps, '');
  if (!lines.length && !withExpert.length) lines.push(t(localeOf(context), 'cancel.nothingToCancel'));
  if (lines.length) await context.sendActivity(lines.join('\n\n'));
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

/** Registers the cancel routes and the answer to "end the chat?". */
export function registerCancel(app: BotApplication, deps: BotDependencies): void {
  app.message(async (context) => isPersonal(context) && CANCEL.test(typedText(context)), (context) => cancel(context, deps));
  app.adaptiveCards.actionSubmit('case.cancel', (context) => cancel(context, deps));
  app.adaptiveCards.actionSubmit<{ reference?: unknown; choice?: unknown }>('case.endChat', (context, _state, data) => endChat(context, deps, data));
}
