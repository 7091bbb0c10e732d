/**
 * What the ratepayer is sent when the City's rules are applied to their case (issue 20): the
 * dispute receipt (their proof that a dispute was lodged, with its reference, what to keep paying,
 * the investigation deadline and the appeal date), the arrangement summary (the plan and what to
 * do to sign the acknowledgement of debt), and the ESP registration's dates. In their language
 * (localeOf) and channel: written on the transcript in the change's own write (the outbox), then
 * delivered once it is saved, so a crash in between loses nothing (delivery recovery resends).
 *
 * The email copy (when the ratepayer gave an address) of the dispute receipt and the arrangement
 * summary is a receipt written with the same change (bot/domain/case.ts `withEmailCopy`), sent with
 * these words by the receipts' delivery (bot/backOffice/receipts.ts) through the email port.
 */
import type { Case, TranscriptEntry } from '../domain/case.js';
import type { ArrangementPlan } from '../domain/arrangement.js';
import { centsFromRands, formatCents } from '../domain/money.js';
import { checkIncome } from '../domain/indigent.js';
import { formatDisputeReference } from '../domain/dispute.js';
import { localParts } from '../domain/calendar.js';
import { formatReference } from '../domain/reference.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import type { QueueEventKind } from '../platform/ports/queueEvents.js';
import type { CaseChangeNotice, CaseEventListener } from '../platform/flow/caseEvents.js';
import { localeOf, t, type Locale } from '../messages/index.js';
import { longDate } from '../messages/time.js';
import { acknowledgementIn, espDocumentNames } from '../messages/programme.js';
import { told, type RelayService } from './relay.js';

/** The changes this listener writes a message for. */
const KINDS: readonly QueueEventKind[] = ['case.dispute_lodged', 'case.arrangement_recorded', 'case.esp_registered'];

/** The plan in words: "R6 000.00 now, then 2 monthly payments of R857.15 and 5 monthly payments of R857.14". */
function describePlan(plan: ArrangementPlan, locale: Locale): string {
  const runs = plan.runs.map((r) => t(locale, 'cityRules.planRun', { count: r.count, amount: formatCents(r.amountCents) }));
  const instalments = runs.length === 2 ? t(locale, 'cityRules.planAnd', { first: runs[0]!, second: runs[1]! }) : (runs[0] ?? '');
  return plan.downPaymentCents > 0 ? t(locale, 'cityRules.planDown', { amount: formatCents(plan.downPaymentCents), instalments }) : instalments;
}

/** The message for a change, in the case's language; undefined for other kinds. */
function rulesMessage(definition: ServiceDefinition, kind: QueueEventKind, c: Case, locale: Locale = localeOf(c)): string | undefined {
  const reference = formatReference(c.id);
  if (kind === 'case.dispute_lodged' && c.dispute) {
    const d = c.dispute;
    const items = d.items
      .map((item) =>
        item.meter
          ? t(locale, 'cityRules.disputeMeter', {
              amount: formatCents(item.amountCents),
              reason: item.reason,
              billed: item.meter.billed,
              own: item.meter.own,
              estimated: item.meter.estimated ? t(locale, 'cityRules.estimated') : '',
            })
          : t(locale, 'cityRules.disputeItem', { amount: formatCents(item.amountCents), reason: item.reason }),
      )
      .join('\n');
    return t(locale, 'cityRules.disputeReceipt', {
      dispute: formatDisputeReference(d.reference),
      reference,
      statementDate: longDate(d.statementDate, locale),
      total: formatCents(d.totalCents),
      items,
      keepPaying: formatCents(d.keepPayingCents),
      basis: t(locale, `cityRules.basis.${d.keepPayingBasis}`),
      dueOn: longDate(d.investigationDueOn, locale),
      appealFrom: longDate(d.appealFrom, locale),
    });
  }
  if (kind === 'case.arrangement_recorded' && c.arrangement) {
    const summary = t(locale, 'cityRules.arrangementSummary', {
      reference,
      plan: describePlan(c.arrangement, locale),
      total: formatCents(c.arrangement.debtCents),
      acknowledgement: acknowledgementIn(definition, locale),
    });
    // Beside an open dispute (s102): the ratepayer signs for the undisputed arrears only, and is told so, so the
    // acknowledgement of debt does not read as conceding the amount the dispute receipt said is on hold.
    const leftOut = c.arrangement.leavesOut;
    return leftOut
      ? `${summary}\n${t(locale, 'cityRules.arrangementLeavesOutDispute', { disputed: formatCents(leftOut.disputedCents), dispute: formatDisputeReference(leftOut.reference) })}`
      : summary;
  }
  if (kind === 'case.esp_registered' && c.espRegistration) {
    const r = c.espRegistration;
    return t(locale, 'cityRules.espRecorded', {
      reference,
      registeredOn: longDate(r.registeredOn, locale),
      lapsesOn: longDate(r.lapsesOn, locale),
      remindOn: longDate(r.remindOn, locale),
    });
  }
  return undefined;
}

/**
 * The words of a rules receipt sent by email (ReceiptKind `dispute` or `arrangement`): the same
 * as the chat message, from the case as it is now; undefined when the case has no such record.
 */
export function rulesReceiptText(definition: ServiceDefinition, kind: 'dispute' | 'arrangement', c: Case): string | undefined {
  return rulesMessage(definition, kind === 'dispute' ? 'case.dispute_lodged' : 'case.arrangement_recorded', c);
}

/**
 * Issue 20: what an ESP intake adds to the confirmation, for a case in `rules.esp.categories`:
 * the application documents (the definition's list) with the question which the ratepayer has
 * (their answer, written while they wait, is kept on the case for the expert), and, when the
 * income they gave is above the threshold in force on the day, what that means for them,
 * politely, without taking them out of the queue.
 */
export function espIntakeNotes(definition: ServiceDefinition, c: Case): string[] {
  const esp = definition.rules.esp;
  if (!esp.categories.includes(c.category)) return [];
  const locale = localeOf(c);
  const notes: string[] = [];
  if (esp.documents.length) notes.push(t(locale, 'cityRules.espDocuments', { documents: espDocumentNames(definition, locale).map((name) => `• ${name}`).join('\n') }));
  const income = c.intake.monthlyHouseholdIncome;
  if (typeof income === 'number') {
    const check = checkIncome(esp, centsFromRands(income), localParts(new Date(c.createdAt), definition.timeZone).date);
    if (check.kind === 'above')
      notes.push(t(locale, 'cityRules.espAboveThreshold', { income: formatCents(centsFromRands(income)), threshold: formatCents(check.threshold.monthlyIncomeCents) }));
  }
  return notes;
}

/** The listener (registered in bot/service.ts). */
export class CityRulesUpdates implements CaseEventListener {
  readonly name = 'city-rules-updates';

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly relay: RelayService,
  ) {}

  /** The receipt or summary, written with the change itself. */
  outbox(kind: QueueEventKind, after: Case, now: Date): TranscriptEntry[] {
    const locale = localeOf(after);
    const text = rulesMessage(this.definition, kind, after, locale);
    // Staff read the same words in their language (the catalogue's, rendered again).
    return text ? [this.relay.botMessage(told(locale, (l) => (l === locale ? text : (rulesMessage(this.definition, kind, after, l) ?? text))), now)] : [];
  }

  /** Delivers what the change wrote, now that it is saved. */
  async changed(change: CaseChangeNotice): Promise<void> {
    if (!KINDS.includes(change.event.kind)) return;
    const known = new Set((change.before?.transcript ?? []).map((e) => e.id));
    for (const entry of change.after.transcript ?? []) if (!known.has(entry.id) && entry.from === 'system') await this.relay.redeliver(change.after, entry);
  }
}
