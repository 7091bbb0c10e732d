/** "cancel": the ratepayer leaves the queue. Cases already with an expert are not cancelled. */
import type { TurnContext } from 'botbuilder';
import { formatReference } from '../../domain/reference.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal, ratepayerOf, typedText } from '../context.js';

const CANCEL = /^(cancel|leave|leave the queue|stop|quit|exit)[\s!.?]*$/i;

async function cancel(context: TurnContext, deps: BotDependencies): Promise<void> {
  const { cancelled, withExpert } = await deps.intake.cancel(context.activity.conversation.id, ratepayerOf(context));
  const lines: string[] = [];
  if (cancelled.length)
    lines.push(
      `You have left the queue. Case ${cancelled.map((c) => formatReference(c.id)).join(', ')} is cancelled. ` +
        'If you change your mind, type your kind of query to join again.',
    );
  if (withExpert.length)
    lines.push(
      `Case ${withExpert.map((c) => formatReference(c.id)).join(', ')} is already with an expert, so it stays open: ` +
        'please tell the expert here if you want to stop.',
    );
  if (!lines.length) lines.push('You are not in a queue at the moment, so there is nothing to cancel.');
  await context.sendActivity(lines.join('\n\n'));
}

/** Registers the cancel routes. */
export function registerCancel(app: BotApplication, deps: BotDependencies): void {
  app.message(async (context) => isPersonal(context) && CANCEL.test(typedText(context)), (context) => cancel(context, deps));
  app.adaptiveCards.actionSubmit('case.cancel', (context) => cancel(context, deps));
}
