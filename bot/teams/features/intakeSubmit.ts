/**
 * The intake card's submit button: check, then queue once, or return the card with errors. A
 * used card is turned into a read-only summary where the channel can update a message (Teams);
 * where it cannot, the same card pressed again is answered plainly: the case's details are
 * corrected while it waits, and the ratepayer is told what changed (or, once an expert has the
 * case, to tell the expert). A card pressed in another chat than the one it was sent to is
 * refused without a word about its case.
 */
import type { TurnContext } from 'botbuilder';
import { intakeCard, intakeSentCard, queuedCard } from '../../cards/ratepayerCards.js';
import type { Case } from '../../domain/case.js';
import { INTAKE_FIELD_NAMES, type IntakeFieldName } from '../../domain/intakeFields.js';
import { formatReference } from '../../domain/reference.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { conversationOf, isPersonal, ratepayerOf, replaceUsedCard, sendCard } from '../context.js';
import { sendWelcome } from './welcome.js';
import { log } from '../../log.js';

import { DRAFT_ID } from '../cardValues.js';
import { localeOf, say, t, type Locale } from '../../messages/index.js';
import { fieldSaidAs, joinAnd } from '../../messages/words.js';
import type { Message } from '../../domain/message.js';

/** "mobile number and description of your query": the changed fields, in the card's order (catalogue `fields.<name>.saidAs`). */
function fieldList(locale: Locale, names: IntakeFieldName[]): string {
  const labels = [...names]
    .sort((a, b) => INTAKE_FIELD_NAMES.indexOf(a) - INTAKE_FIELD_NAMES.indexOf(b))
    .map((n) => fieldSaidAs(locale, n));
  return joinAnd(locale, labels);
}

/** Each field's error (a code and parameters from the domain) in words. */
function inWords(locale: Locale, errors: Partial<Record<IntakeFieldName, Message>>): Partial<Record<IntakeFieldName, string>> {
  return Object.fromEntries(Object.entries(errors).map(([name, error]) => [name, say(locale, error)]));
}

/**
 * Turns the card that was pressed into a read-only summary of the case's details. The card's
 * message is the one the press replies to; a channel that cannot update messages (or a card too
 * old to find) keeps it as it was, and pressing it again is answered plainly (see above).
 */
async function closeCard(context: TurnContext, deps: BotDependencies, c: Case): Promise<void> {
  await replaceUsedCard(context, intakeSentCard(deps.intake.definition, c), (error) =>
    log.warn({ err: error, component: 'bot' }, 'the used intake card could not be updated; a press again is answered plainly'),
  );
}

/** Registers the submit route. */
export function registerIntakeSubmit(app: BotApplication, deps: BotDependencies): void {
  app.adaptiveCards.actionSubmit<Record<string, unknown>>('intake.submit', async (context, _state, data) => {
    if (!isPersonal(context)) return;
    const { category, draftId } = data;
    if (typeof category !== 'string' || typeof draftId !== 'string' || !DRAFT_ID.test(draftId)) {
      await context.sendActivity(t(localeOf(context), 'intake.unreadable'));
      await sendWelcome(context, deps);
      return;
    }
    const def = deps.intake.definition;
    const locale = localeOf(context);
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
          intakeCard(def, result.category, deps.intake.sessions(), { draftId, typed: result.typed, errors: inWords(locale, result.errors), cut: result.cut }, locale),
          t(locale, 'intake.checkDetails'),
        );
        return;
      case 'foreign':
        await context.sendActivity(t(locale, 'intake.foreign'));
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
          const how = t(locale, `intake.closedState.${queued.case.state}`);
          await context.sendActivity(t(locale, 'intake.closedAlready', { reference, how }));
          await sendWelcome(context, deps);
          return;
        }
        await closeCard(context, deps, queued.case);
        if (result.kind === 'duplicate' && result.updated) {
          await context.sendActivity(
            t(locale, 'intake.updated', { fields: fieldList(locale, result.changed), reference, position: queued.place.position }),
          );
          return;
        }
        if (result.kind === 'duplicate' && result.changed.length && queued.case.state === 'in_progress') {
          await context.sendActivity(t(locale, 'intake.withExpertAlready', { reference, fields: fieldList(locale, result.changed) }));
          return;
        }
        await sendCard(
          context,
          queuedCard(def, queued, result.kind === 'duplicate'),
          t(locale, 'intake.queuedFallback', { reference, position: queued.place.position }),
        );
        return;
      }
      case 'no_session':
        await context.sendActivity(t(locale, 'intake.noSession', { contact: def.programme.contact }));
        return;
      case 'unknown_category':
        await context.sendActivity(t(locale, 'intake.unknownCategory'));
        await sendWelcome(context, deps);
        return;
    }
  });
}
