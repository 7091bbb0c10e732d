/** The intake card's submit button: check, then queue once, or return the card with errors. */
import { intakeCard, queuedCard } from '../../cards/ratepayerCards.js';
import { formatReference } from '../../domain/reference.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { conversationOf, isPersonal, ratepayerOf, sendCard } from '../context.js';
import { sendWelcome } from './welcome.js';

const DRAFT_ID = /^[A-Za-z0-9-]{8,64}$/;

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
      case 'queued':
      case 'duplicate': {
        // Where to reach the ratepayer was saved with the case's note on the conversation, before the case.
        const { queued } = result;
        // The same card again after its case closed (a late redelivery, or the card clicked after
        // "cancel"): the case stays closed, and the person is told so and offered a fresh start.
        if (result.kind === 'duplicate' && queued.case.state !== 'waiting' && queued.case.state !== 'in_progress') {
          const how = { cancelled: 'was cancelled when you left the queue', resolved: 'has been resolved', no_show: 'was closed' }[queued.case.state];
          await context.sendActivity(
            `Case ${formatReference(queued.case.id)} ${how}, so this form was not sent again. To join the queue again, choose your type of query.`,
          );
          await sendWelcome(context, deps);
          return;
        }
        await sendCard(
          context,
          queuedCard(def, queued, result.kind === 'duplicate'),
          `Your case reference is ${formatReference(queued.case.id)}; you are number ${queued.place.position} in the queue.`,
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
