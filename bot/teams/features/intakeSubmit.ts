/**
 * The intake card's submit button: check, then queue once, or return the card with errors. A
 * used card is turned into a read-only summary where the channel can update a message (Teams);
 * where it cannot, the same card pressed again is answered plainly: the case's details are
 * corrected while it waits, and the ratepayer is told what changed (or, once an expert has the
 * case, to tell the expert). A card pressed in another chat than the one it was sent to is
 * refused without a word about its case.
 */
import type { TurnContext } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import { intakeCard, intakeSentCard, queuedCard } from '../../cards/ratepayerCards.js';
import type { Case } from '../../domain/case.js';
import { INTAKE_FIELD_NAMES, INTAKE_FIELDS, type IntakeFieldName } from '../../domain/intakeFields.js';
import { formatReference } from '../../domain/reference.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { conversationOf, isPersonal, ratepayerOf, sendCard } from '../context.js';
import { sendWelcome } from './welcome.js';
import { log } from '../../log.js';

import { DRAFT_ID } from '../cardValues.js';

/** Fields whose card label does not read well after "your". */
const SAID_AS: Partial<Record<IntakeFieldName, string>> = { description: 'description of your query', accountHolder: 'account holder name' };

/** "mobile number and description of your query": the changed fields, in the card's order. */
function fieldList(names: IntakeFieldName[]): string {
  const labels = [...names]
    .sort((a, b) => INTAKE_FIELD_NAMES.indexOf(a) - INTAKE_FIELD_NAMES.indexOf(b))
    .map((n) => SAID_AS[n] ?? (INTAKE_FIELDS[n]?.label ?? n).toLowerCase().replace(/ \(if known\)$/, ''));
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}

/**
 * Turns the card that was pressed into a read-only summary of the case's details. The card's
 * message is the one the press replies to; a channel that cannot update messages (or a card too
 * old to find) keeps it as it was, and pressing it again is answered plainly (see above).
 */
async function closeCard(context: TurnContext, deps: BotDependencies, c: Case): Promise<void> {
  const cardMessage = context.activity.replyToId;
  if (!cardMessage) return;
  try {
    await context.updateActivity({
      id: cardMessage,
      type: 'message',
      attachments: [CardFactory.adaptiveCard(intakeSentCard(deps.intake.definition, c))],
    });
  } catch (error) {
    log.warn({ err: error, component: 'bot' }, 'the used intake card could not be updated; a press again is answered plainly');
  }
}

/** Registers the submit route. */
export function registerIntakeSubmit(app: BotApplication, deps: BotDependencies): void {
  app.adaptiveCards.actionSubmit<Record<string, unknown>>('intake.submit', async (context, _state, data) => {
    if (!isPersonal(context)) return;
    const { category, draftId } = data;
    if (typeof category !== 'string' || typeof draftId !== 'string' || !DRAFT_ID.test(draftId)) {
      await context.sendActivity('That form could not be read. Please start again by choosing your type of query.');
      await sendWelcome(context, deps);
      return;
    }
    const def = deps.intake.definition;
    const result = await deps.intake.submit({
      category,
      draftId,
      values: data,
      ratepayer: ratepayerOf(context),
      conversation: conversationOf(context, deps.clock.now()),
    });
    switch (result.kind) {
      case 'invalid':
        await sendCard(
          context,
          intakeCard(def, result.category, deps.intake.sessions(), { draftId, typed: result.typed, errors: result.errors }),
          'Please check your details',
        );
        return;
      case 'foreign':
        await context.sendActivity('That form was sent to another chat, so it cannot be used here. To send us your details, choose your type of query.');
        await sendWelcome(context, deps);
        return;
      case 'queued':
      case 'duplicate': {
        // Where to reach the ratepayer was saved with the case's note on the conversation, before the case.
        const { queued } = result;
        const reference = formatReference(queued.case.id);
        // The same card again after its case closed (a late redelivery, or the card clicked after
        // "cancel"): the case stays closed, and the person is told so and offered a fresh start.
        if (result.kind === 'duplicate' && queued.case.state !== 'waiting' && queued.case.state !== 'in_progress') {
          const how = { cancelled: 'was cancelled when you left the queue', resolved: 'has been resolved', no_show: 'was closed' }[queued.case.state];
          await context.sendActivity(
            `Case ${reference} ${how}, so this form was not sent again. To join the queue again, choose your type of query.`,
          );
          await sendWelcome(context, deps);
          return;
        }
        await closeCard(context, deps, queued.case);
        if (result.kind === 'duplicate' && result.updated) {
          await context.sendActivity(
            `Thank you: we have changed your ${fieldList(result.changed)} on case ${reference}. The expert will see the new details. You are still number ${queued.place.position} in the queue.`,
          );
          return;
        }
        if (result.kind === 'duplicate' && result.changed.length && queued.case.state === 'in_progress') {
          await context.sendActivity(
            `Case ${reference} is already with an expert, so this form did not change it. Please tell the expert here in the chat what has changed (your ${fieldList(result.changed)}).`,
          );
          return;
        }
        await sendCard(
          context,
          queuedCard(def, queued, result.kind === 'duplicate'),
          `Your case reference is ${reference}; you are number ${queued.place.position} in the queue.`,
        );
        return;
      }
      case 'no_session':
        await context.sendActivity(
          'There are no more sessions planned, so we could not queue your query. Please contact the City\'s call centre instead.',
        );
        return;
      case 'unknown_category':
        await context.sendActivity('That type of query is no longer offered. Please choose one of these.');
        await sendWelcome(context, deps);
        return;
    }
  });
}
