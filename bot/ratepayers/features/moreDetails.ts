/**
 * The details a case's new category needs after a transfer (bot/domain/transferDetails.ts): the
 * form that asks for exactly those (sent by RatepayerUpdates when the transfer is saved) and its
 * Send. Answers are checked by the intake's own rules: a wrong one comes back with its error under
 * it and everything typed kept; right ones are added to the case (IntakeService.addDetails). A
 * repeat or late answer (case closed, already answered) is answered plainly and changes nothing.
 */
import type { Case } from '../../domain/case.js';
import type { IntakeFieldName } from '../../domain/intakeFields.js';
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';
import { formatReference } from '../../domain/reference.js';
import { moreDetailsContent, moreDetailsSentContent, sayInCard, type MoreDetailsState } from '../../platform/cards/ratepayerCards.js';
import { categoryName } from '../../messages/programme.js';
import { t, type Locale } from '../../messages/index.js';
import { fieldSaidAs, joinAnd } from '../../messages/words.js';
import { text, type Reply, type SentLaterReply } from '../replies.js';
import { ratepayerOfTurn, type Turn } from '../turn.js';
import type { ConversationDeps } from './deps.js';

/** "South African ID number, household size and monthly household income": the fields for a sentence. */
function saidAs(locale: Locale, fields: readonly IntakeFieldName[]): string {
  return joinAnd(locale, fields.map((name) => fieldSaidAs(locale, name)));
}

/**
 * The form asking for the case's missing details (`c.detailsAsked`), in the ratepayer's language;
 * `state`: on a retry, what was typed and the errors in words. Its summary is the request as one
 * sentence (a text-only client, the notification preview, the transcript's text).
 */
export function moreDetailsReply(def: ServiceDefinition, c: Pick<Case, 'id' | 'category' | 'detailsAsked'> & { ratepayer?: { channelId?: string } }, locale: Locale, state: MoreDetailsState = {}): SentLaterReply {
  const category = categoryName(def, c.detailsAsked?.category ?? c.category, locale);
  return {
    kind: 'form',
    view: 'moreDetails',
    content: moreDetailsContent(def, c, locale, state),
    summary: t(locale, 'moreDetails.summary', { reference: formatReference(c.id), category, fields: saidAs(locale, c.detailsAsked?.fields ?? []) }),
  };
}

/** "Thank you. Your details (…) are now on case …": the answer to the details sent, in `locale`; also kept on the transcript (IntakeService.addDetails). */
export function detailsAddedWords(locale: Locale, fields: readonly IntakeFieldName[], reference: string): string {
  return t(locale, 'moreDetails.added', { fields: saidAs(locale, fields), reference: formatReference(reference) });
}

/** The details form sent (`turn.action.values`: reference and the fields); nothing outside a one-to-one chat. */
export async function answerMoreDetails(turn: Turn, deps: ConversationDeps): Promise<Reply[]> {
  if (!turn.channel.personal) return [];
  const locale = turn.locale;
  const def = deps.intake.definition;
  const result = await deps.intake.addDetails(turn.conversationId, ratepayerOfTurn(turn), turn.action?.values ?? {});
  switch (result.kind) {
    case 'added': {
      const c = result.case;
      return [
        // The used form becomes what was sent, read-only (where the channel can update a message).
        { kind: 'receipt', replacesPressed: true, view: 'intakeSent', content: moreDetailsSentContent(def, c, result.fields, locale) },
        text(detailsAddedWords(locale, result.fields, c.id)),
      ];
    }
    case 'invalid': {
      const errors = Object.fromEntries(Object.entries(result.errors).map(([name, error]) => [name, sayInCard(locale, error)]));
      return [moreDetailsReply(def, result.case, locale, { typed: result.typed, errors, cut: result.cut, smsNotices: deps.intake.textsWebChat })];
    }
    case 'closed':
      return [text(t(locale, 'moreDetails.closed', { reference: formatReference(result.case.id) }))];
    case 'not_needed':
      return [text(t(locale, 'moreDetails.notNeeded', { reference: formatReference(result.case.id) }))];
    case 'not_found':
      return [text(t(locale, 'moreDetails.notFound'))];
  }
}
