/**
 * The intake form's submit: check, then queue once, or return the card with errors. A
 * used card is turned into a read-only summary where the channel can update a message (Teams);
 * where it cannot, the same card pressed again is answered plainly: the case's details are
 * corrected while it waits, and the ratepayer is told what changed (or, once an expert has the
 * case, to tell the expert). A card pressed in another chat than the one it was sent to is
 * refused without a word about its case.
 */
import { MAX_OPEN_CASES_PER_CONVERSATION } from '../../domain/openCaseLimits.js';
import { intakeContent, intakeSentContent, queuedContent, sayInCard } from '../../platform/cards/ratepayerCards.js';
import type { Case } from '../../domain/case.js';
import { INTAKE_FIELD_NAMES, type IntakeFieldName } from '../../domain/intakeFields.js';
import type { Message } from '../../domain/message.js';
import { formatReference } from '../../domain/reference.js';
import { t, type Locale } from '../../messages/index.js';
import { fieldSaidAs, joinAnd } from '../../messages/words.js';
import { categoryName, programmeIn, supplierWordsIn } from '../../messages/programme.js';
import { text, type Reply } from '../replies.js';
import { conversationOfTurn, ratepayerOfTurn, type Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';
import { welcome } from './welcome.js';
import { offerIntake, withExpertText } from './categoryChoice.js';
import { espIntakeNotes } from '../cityRulesUpdates.js';

/** Draft ids the intake form carries (UUIDs today; letters, digits and dashes): one filling-in of the form. */
export const DRAFT_ID = /^[A-Za-z0-9-]{8,64}$/;

/** "mobile number and description of your query": the changed fields, in the card's order (catalogue `fields.<name>.saidAs`). */
function fieldList(locale: Locale, names: IntakeFieldName[]): string {
  const labels = [...names]
    .sort((a, b) => INTAKE_FIELD_NAMES.indexOf(a) - INTAKE_FIELD_NAMES.indexOf(b))
    .map((n) => fieldSaidAs(locale, n));
  return joinAnd(locale, labels);
}

/** Each field's error (a code and parameters from the domain) in words. */
function inWords(locale: Locale, errors: Partial<Record<IntakeFieldName, Message>>): Partial<Record<IntakeFieldName, string>> {
  return Object.fromEntries(Object.entries(errors).map(([name, error]) => [name, sayInCard(locale, error)]));
}

/**
 * The form that was sent, as a read-only summary of the case's details, in place of the form. A
 * channel that cannot update messages (or a form too old to find) keeps it as it was, and
 * sending it again is answered plainly (see above).
 */
function closeForm(deps: ConversationDeps, c: Case, locale: Locale): Reply {
  return { kind: 'receipt', replacesPressed: true, view: 'intakeSent', content: intakeSentContent(deps.intake.definition, c, locale) };
}

/** The intake form sent (`turn.action.values`: category, draftId and the fields); nothing outside a one-to-one chat. */
export async function submitIntake(turn: Turn, deps: ConversationDeps): Promise<Reply[]> {
  if (!turn.channel.personal) return [];
  const data = turn.action?.values ?? {};
  const { category, draftId } = data;
  const locale = turn.locale;
  if (typeof category !== 'string' || typeof draftId !== 'string' || !DRAFT_ID.test(draftId)) {
    return [text(t(locale, 'intake.unreadable')), ...(await welcome(turn, deps))];
  }
  const def = deps.intake.definition;
  const result = await deps.intake.submit({
    category,
    draftId,
    values: data,
    ratepayer: ratepayerOfTurn(turn),
    conversation: conversationOfTurn(turn, deps.clock.now()),
    language: locale,
  });
  switch (result.kind) {
    case 'invalid':
      return [
        {
          kind: 'form',
          view: 'intake',
          content: intakeContent(def, result.category, deps.intake.sessions(), { draftId, typed: result.typed, errors: inWords(locale, result.errors), cut: result.cut, channel: turn.channel.id, smsNotices: deps.intake.textsWebChat, ...(typeof data.follows === 'string' && data.follows ? { follows: data.follows } : {}) }, locale),
          summary: t(locale, 'intake.checkDetails'),
        },
      ];
    case 'foreign':
      return [text(t(locale, 'intake.foreign')), ...(await welcome(turn, deps))];
    case 'queued':
    case 'duplicate': {
      // Where to reach the ratepayer was saved with the case's note on the conversation, before the case.
      const { queued } = result;
      const reference = formatReference(queued.case.id);
      // The same form again after its case closed (a late redelivery, or the form sent after
      // "cancel"): the case stays closed, and the person is told so and offered a fresh start.
      if (result.kind === 'duplicate' && queued.case.state !== 'waiting' && queued.case.state !== 'in_progress') {
        const how = t(locale, `intake.closedState.${queued.case.state}`);
        return [text(t(locale, 'intake.closedAlready', { reference, how })), ...(await welcome(turn, deps))];
      }
      const closed = closeForm(deps, queued.case, locale);
      if (result.kind === 'duplicate' && result.updated) {
        return [closed, text(t(locale, 'intake.updated', { fields: fieldList(locale, result.changed), reference, position: queued.place.position }))];
      }
      if (result.kind === 'duplicate' && result.changed.length && queued.case.state === 'in_progress') {
        return [closed, text(t(locale, 'intake.withExpertAlready', { reference, fields: fieldList(locale, result.changed) }))];
      }
      return [
        closed,
        {
          kind: 'facts',
          view: 'queued',
          content: queuedContent(def, queued, result.kind === 'duplicate', locale),
          summary: t(locale, 'intake.queuedFallback', { reference, position: queued.place.position }),
        },
        // Issue 20: an ESP intake lists the application documents (and what the threshold means), once.
        ...(result.kind === 'queued' ? espIntakeNotes(def, queued.case).map((note) => text(note)) : []),
      ];
    }
    case 'another_account': {
      // The waiting case stays as it was; what this form carried becomes a form of its own (a new
      // draft), so nothing typed is lost and a second query is the ratepayer's choice.
      const { queued, category: chosen, typed } = result;
      const reference = formatReference(queued.case.id);
      return [
        closeForm(deps, queued.case, locale),
        text(t(locale, 'intake.anotherAccount', { reference, kept: String(queued.case.intake.accountNumber), typed: typed.accountNumber ?? '', cancel: t(locale, 'typed.cancel') })),
        ...(await offerIntake(turn, deps, chosen, { typed })),
      ];
    }
    case 'elsewhere': {
      // The definition's "where to go instead" in the ratepayer's language, or its English marked so (tester 10, finding 12).
      const words = supplierWordsIn(def, result.supplierId, locale);
      return [text(t(locale, 'cityRules.supplierElsewhere', { text: words?.elsewhere ?? result.text, supplier: words?.name ?? result.supplier }))];
    }
    case 'no_session':
      return [text(t(locale, 'intake.noSession', { contact: programmeIn(def, locale).contact }))];
    case 'unknown_category':
      return [text(t(locale, 'intake.unknownCategory')), ...(await welcome(turn, deps))];
    case 'limited': {
      if (result.why === 'with_expert') {
        const busy = await deps.intake.caseWithExpert(turn.conversationId);
        if (busy) return [withExpertText(deps, busy, locale)];
      }
      return [
        text(
          result.why === 'same_number_open'
            ? t(locale, 'openCaseLimits.sameNumber', { category: categoryName(def, result.category.code, locale), contact: programmeIn(def, locale).contact })
            : t(locale, 'openCaseLimits.tooMany', { count: MAX_OPEN_CASES_PER_CONVERSATION }),
        ),
      ];
    }
  }
}
