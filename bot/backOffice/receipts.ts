/**
 * Receipts (issue 19): at every outcome the ratepayer gets in writing, in their channel and
 * language, and by email when they gave an address: the reference, what was decided, what happens
 * next, who is responsible and by when, and how to come back. The lifecycle writes each receipt
 * with the change that makes the outcome (bot/domain/case.ts `receipts`); this listener of saved
 * changes delivers the ones not yet sent and records where they went (`sent.chat`, `sent.email`).
 *
 * A cancellation's receipt goes by email only: the ratepayer cancelled in the chat and was
 * answered there in that turn.
 */
import { maskIdNumbersIn } from '../domain/validation.js';
import type { Case, Receipt } from '../domain/case.js';
import { channelKindOf } from '../domain/channels.js';
import { disputeOpen, formatDisputeReference } from '../domain/dispute.js';
import { formatCents } from '../domain/money.js';
import { markReceiptSent, settleReceiptsPending, unsentReceipts } from '../domain/followThrough.js';
import { formatReference } from '../domain/reference.js';
import type { NoticeKind, ServiceDefinition } from '../domain/serviceDefinition.js';
import { acknowledgementIn, categoryName, espDocumentNames, programmeIn } from '../messages/programme.js';
import { localeOf, t, type Locale } from '../messages/index.js';
import { longDate } from '../messages/time.js';
import { summaryAsRead } from '../platform/cards/ratepayerCards.js';
import { escapeMarkdown } from '../platform/cards/render.js';
import { changeCase } from '../platform/flow/caseChanges.js';
import type { CaseChangeNotice, CaseEventListener } from '../platform/flow/caseEvents.js';
import { log as rootLog } from '../platform/log.js';
import type { CaseStore } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import type { EmailSender } from '../platform/ports/email.js';
import { rulesReceiptText } from '../ratepayers/cityRulesUpdates.js';
import { told, type RelayService } from '../ratepayers/relay.js';

/**
 * What the ratepayer does next. A referral that investigates an open dispute does not say "you do
 * not need to do anything": the dispute receipt told them to keep paying the undisputed or average
 * amount, and an arrangement beside the dispute has its own payments once its acknowledgement of
 * debt is signed (tester 10, finding 2: the three messages must agree).
 */
function nextStep(c: Case, kind: Exclude<Receipt['kind'], 'dispute' | 'arrangement'>, locale: Locale): string {
  if (kind === 'referred' && disputeOpen(c.dispute)) {
    const params = { dispute: formatDisputeReference(c.dispute.reference), keepPaying: formatCents(c.dispute.keepPayingCents) };
    return t(locale, c.arrangement?.leavesOut ? 'followThrough.receipt.next.referredDisputeArrangement' : 'followThrough.receipt.next.referredDispute', params);
  }
  return t(locale, `followThrough.receipt.next.${kind}`);
}

/**
 * The receipt's lines, in the ratepayer's language: for the chat message, or for the email's text
 * (`medium`), which is read outside the chat: it says where the query was raised (Teams, the
 * website's chat, WhatsApp) and how to come back there, not "in this chat" or "press the button".
 */
function receiptLines(def: ServiceDefinition, c: Case, r: Receipt, locale: Locale, medium: 'chat' | 'email' = 'chat'): { subject: string; lines: string[] } {
  const reference = formatReference(c.id);
  const subject = t(locale, 'followThrough.receipt.subject', { reference, headline: t(locale, `followThrough.receipt.headline.${r.kind}`) });
  if (r.kind === 'dispute' || r.kind === 'arrangement') {
    // Issue 20: the email copy of the dispute receipt or the arrangement summary, in the chat's words.
    const text = rulesReceiptText(def, r.kind, c) ?? '';
    return { subject, lines: [t(locale, 'followThrough.receipt.greeting', { programme: programmeIn(def, locale).name }), ...text.split('\n')] };
  }
  // The programme's and the category's own words in the ratepayer's language (the definition's, else English).
  const category = categoryName(def, c.category, locale);
  const lines = [
    t(locale, 'followThrough.receipt.greeting', { programme: programmeIn(def, locale).name }),
    t(locale, 'followThrough.receipt.reference', { reference }),
    t(locale, 'followThrough.receipt.category', { category }),
  ];
  const channel = channelKindOf(c.ratepayer.channelId);
  if (medium === 'email' && channel !== 'other') lines.push(t(locale, 'followThrough.receipt.email.raisedIn', { channel: t(locale, `followThrough.receipt.email.channel.${channel}`) }));
  if (r.outcome) lines.push(t(locale, 'followThrough.receipt.outcome', { outcome: t(locale, `cards.outcome.${r.outcome}`) }));
  if (r.summary) {
    // The summary as the summary card showed it (the expert's; the back office's once done):
    // machine-translated into the ratepayer's language, marked so, or marked as not translated (summaryAsRead).
    const summary = c.outcome && c.outcome.summary === r.summary ? summaryAsRead(c.outcome, locale, r.kind === 'done' ? 'backOffice' : 'expert') : r.summary;
    lines.push(t(locale, 'followThrough.receipt.decided', { summary }));
  }
  if (r.reason) lines.push(t(locale, 'followThrough.receipt.reason', { reason: r.reason }));
  if (r.team && r.dueDate && (r.kind === 'referred' || r.kind === 'more_time'))
    lines.push(t(locale, 'followThrough.receipt.responsible', { team: r.team, date: longDate(r.dueDate, locale) }));
  // What happens next, true to the case (tester 10, finding 8): never "you do not need to do
  // anything now" while the case's own data says something is still the ratepayer's to do.
  const toDo = outstandingSteps(def, c, r, locale);
  // A referral investigating an open dispute says what to keep paying in its first sentence (nextStep).
  if (r.kind === 'referred' && disputeOpen(c.dispute)) lines.push(nextStep(c, r.kind, locale));
  // "Nothing more is needed from you" (an outcome) gives way to the list; a referral keeps its first sentence.
  else if (!(toDo.length && r.kind === 'outcome')) lines.push(t(locale, toDo.length && r.kind === 'referred' ? 'followThrough.receipt.next.referredWaiting' : `followThrough.receipt.next.${r.kind}`));
  if (toDo.length) lines.push(t(locale, 'followThrough.receipt.toDo.title'), ...toDo);
  const reopenable = r.kind === 'outcome' || r.kind === 'done';
  const comeBack = medium === 'email' ? 'followThrough.receipt.email' : 'followThrough.receipt';
  // "(or press the button)" only where the receipt shows the reopen button: a card channel's
  // followReceipt (Teams, the web chat). WhatsApp and SMS show it as text, often as a template
  // outside the 24-hour window, which carries no button (tester 8, finding 4).
  const pressable = channel === 'teams' || channel === 'web';
  lines.push(
    reopenable
      ? t(locale, medium === 'email' ? 'followThrough.receipt.email.comeBack' : pressable ? 'followThrough.receipt.comeBack' : 'followThrough.receipt.comeBackTyped', { days: def.followThrough.reopenDays, reference })
      : t(locale, `${comeBack}.comeBackClosed`, { reference }),
  );
  lines.push(t(locale, 'followThrough.receipt.keep'));
  return { subject, lines };
}

/**
 * What is still the ratepayer's to do, from the case's own data, one "• …" line each (none: nothing):
 * a repayment arrangement recorded applies once the acknowledgement of debt is signed
 * (`acknowledgementIn`); an ESP query (`rules.esp.categories`) with no registration recorded yet
 * needs the application's documents (`rules.esp.documents`); while a dispute is investigated
 * (a referral or more time), the amount to keep paying (Municipal Systems Act s102). Only for a
 * receipt that says what happens next on an open or finished query (not a cancellation, a
 * no-show or spam). Source: tester 10, finding 8.
 */
function outstandingSteps(def: ServiceDefinition, c: Case, r: Receipt, locale: Locale): string[] {
  if (!['outcome', 'referred', 'more_time', 'done'].includes(r.kind)) return [];
  const steps: string[] = [];
  if (c.arrangement) steps.push(t(locale, 'followThrough.receipt.toDo.acknowledgement', { acknowledgement: acknowledgementIn(def, locale) }));
  const documents = espDocumentNames(def, locale);
  if (def.rules.esp.categories.includes(c.category) && !c.espRegistration && documents.length && r.outcome !== 'not_resolved')
    steps.push(t(locale, 'followThrough.receipt.toDo.espDocuments', { documents: documents.join('; ') }));
  // A referral's first sentence already says it (nextStep); more time for the investigation repeats it.
  if (disputeOpen(c.dispute) && r.kind === 'more_time')
    steps.push(t(locale, 'followThrough.receipt.toDo.keepPaying', { dispute: formatDisputeReference(c.dispute.reference), keepPaying: formatCents(c.dispute.keepPayingCents) }));
  return steps;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The receipt delivery service: a listener of saved case changes (registered in bot/service.ts). */
export class ReceiptService implements CaseEventListener {
  readonly name = 'receipts';

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly relay: RelayService,
    private readonly clock: Clock,
    /** Where email receipts go; without it, receipts go to the chat only. */
    private readonly email?: EmailSender,
    private readonly log = rootLog.child({ component: 'receipts' }),
  ) {}

  /** Receipts being delivered by this instance now (a delivery announces itself as a change too). */
  private readonly inFlight = new Set<string>();

  async changed(change: CaseChangeNotice): Promise<void> {
    // A message on the transcript (ours included) is not an outcome.
    if (change.event.kind === 'case.message') return;
    if (unsentReceipts(change.after, this.emailsTo(change.after) !== undefined).length > 0) await this.deliver(change.after);
  }

  /** Where this case's receipts go by email: its address, when it gave one and a sender is configured. */
  private emailsTo(c: Case): string | undefined {
    return this.email && typeof c.intake.email === 'string' && c.intake.email.includes('@') ? c.intake.email : undefined;
  }

  /**
   * The retry round (the scheduler's lease holder, once a minute): receipts that did not reach the
   * ratepayer (the chat or the email provider failed) are sent again, for two days after the last
   * change; a change of the last minute is left to its own delivery.
   */
  async retry(now: Date): Promise<number> {
    const pending = await this.cases.listPendingReceipts(
      this.definition.programme.id,
      new Date(now.getTime() - 2 * 86_400_000).toISOString(),
      new Date(now.getTime() - 60_000).toISOString(),
      50,
    );
    for (const c of pending) {
      await this.deliver(c).catch((error: unknown) => this.log.warn({ err: error, reference: c.id }, 'a receipt retry failed'));
      // Nothing left to send (an email copy, and this service sends no email): not pending any more.
      if (unsentReceipts(c, this.emailsTo(c) !== undefined).length === 0)
        await changeCase(this.cases, c.id, (current) => settleReceiptsPending(current, this.emailsTo(current) !== undefined)).catch((error: unknown) =>
          this.log.warn({ err: error, reference: c.id }, 'clearing receiptsPending failed'),
        );
    }
    return pending.length;
  }

  /**
   * The notice a receipt is, for a channel that may no longer send free text (WhatsApp after 24
   * hours: its template, else an SMS) and for a chat that refuses it (an SMS): the back office's
   * answer is the outcome; "needs more time" its own notice. The session's own receipts are sent
   * while the ratepayer is in the chat.
   */
  private noticeOf(r: Receipt, locale: Locale): { notice?: NoticeKind; noticeParams?: Record<string, string> } {
    if (r.kind === 'done') return { notice: 'outcome' };
    if (r.kind === 'more_time') return { notice: 'moreTime', noticeParams: { team: r.team ?? '', date: r.dueDate ? longDate(r.dueDate, locale) : '', reason: r.reason ?? '' } };
    return {};
  }

  /** Sends every receipt of the case not yet sent, and records where each went. */
  async deliver(c: Case): Promise<void> {
    const locale = localeOf(c);
    const address = this.emailsTo(c);
    for (const r of unsentReceipts(c, address !== undefined)) {
      if (this.inFlight.has(r.id)) continue;
      this.inFlight.add(r.id);
      try {
        await this.deliverOne(c, r, locale, address);
      } finally {
        this.inFlight.delete(r.id);
      }
    }
  }

  private async deliverOne(c: Case, r: Receipt, locale: Locale, address: string | undefined): Promise<void> {
    {
      const { subject, lines } = receiptLines(this.definition, c, r, locale);
      // The email's own wording: it is read outside the chat.
      const mailed = receiptLines(this.definition, c, r, locale, 'email').lines;
      let chat = r.kind === 'cancelled' || !!r.sent?.chat;
      if (!chat) {
        const text = lines.join('\n');
        // A receipt of a finished case carries the button that reopens it (the "reopen" route).
        const reopenable = r.kind === 'outcome' || r.kind === 'done';
        // Staff read the same receipt in their language (the catalogue's words, not a translation).
        const forStaff = told(locale, (l) => (l === locale ? text : receiptLines(this.definition, c, r, l).lines.join('\n'))).forStaff;
        const delivery = await this.relay.tellRatepayer(c, {
          ...(forStaff ? { forStaff } : {}),
          ...(reopenable
            ? { text, reply: { kind: 'choice', view: 'followReceipt', content: { caseId: c.id, lines: lines.map(escapeMarkdown), reopen: t(locale, 'followThrough.receipt.reopenButton') }, summary: text } }
            : { text }),
          ...this.noticeOf(r, locale),
        });
        // Reached: in the chat, or by the SMS sent instead (a retry would send the SMS again).
        chat = delivery?.status === 'delivered' || delivery?.instead === 'sms';
      }
      let emailed = false;
      if (address && this.email && !r.sent?.email) {
        try {
          // An ID number in a summary or an update is masked in an email, which may be read far
          // from the chat (DESIGN §5; docs/security.md "ID numbers typed as text").
          const lines = mailed.map(maskIdNumbersIn);
          await this.email.send({
            to: address,
            subject,
            plainText: lines.join('\n\n'),
            html: `<html><body>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</body></html>`,
            key: r.id,
          });
          emailed = true;
        } catch (error) {
          // No address in the log (POPIA): the case reference and the receipt are enough to find it.
          this.log.warn({ err: error, reference: c.id, receipt: r.id }, 'an email receipt was not sent');
        }
      }
      if (!chat && !emailed) return;
      await changeCase(this.cases, c.id, (current) => {
        const now = current.receipts?.find((x) => x.id === r.id);
        if (!now || (now.sent?.chat && (!emailed || now.sent.email))) return undefined;
        return markReceiptSent(current, r.id, this.clock.now(), { chat, email: emailed }, address !== undefined);
      });
    }
  }
}
