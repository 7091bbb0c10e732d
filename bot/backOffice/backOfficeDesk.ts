/**
 * The back office's desk (issue 19; the fourth audience): the open referrals of the teams a
 * person works (`staff[].backOfficeTeams` in the definition; supervisors see every team), the
 * case page with the session's transcript and notes, and the actions: update the ratepayer (a
 * message relayed to their chat), done (the final outcome; its receipt goes out), needs more time
 * (a new due date and the reason the ratepayer is told), and notes. Every change goes through the
 * follow-through transitions (bot/domain/followThrough.ts) with an ETag condition and is published.
 */
import { staffActor, type StaffIdentity } from '../domain/access.js';
import { CaseRuleError, recordView, viewNeedsRecording, type Case, type Outcome } from '../domain/case.js';
import { addReferralNote, completeReferral, extendReferral, stageOf, updateRatepayer } from '../domain/followThrough.js';
import { formatReference, normaliseReference } from '../domain/reference.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import { localeOf, t } from '../messages/index.js';
import { toCasePage } from '../agents/caseViews.js';
import type { ReferralItem, ReferralList, ReferralPage } from '../platform/contract/backOffice.js';
import { CaseKeepsChangingError, changeCase, type CaseChange } from '../platform/flow/caseChanges.js';
import type { CaseEvents } from '../platform/flow/caseEvents.js';
import { DeskError } from '../platform/flow/errors.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import { told, type RelayService } from '../ratepayers/relay.js';
import { summaryAsRead } from '../platform/cards/ratepayerCards.js';

/** Open referrals one list reads at most. */
const LIST_LIMIT = 500;

/** The back-office desk. */
export class BackOfficeDesk {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly events: CaseEvents,
    private readonly relay: RelayService,
    private readonly clock: Clock,
    /**
     * How a case's bot lines and query are put into staff's language before it is shown (the
     * experts' desk's AgentDesk.withBotLinesTranslated, bot/service.ts), so the referral page shows
     * the conversation with the same data as the expert's case page (tester 8, finding 5). None: as stored.
     */
    private readonly staffWords?: (c: StoredCase, staff: StaffIdentity) => Promise<Case>,
  ) {}

  /** The team codes a person works: every team for a supervisor; their `backOfficeTeams` otherwise. */
  teamsOf(staff: StaffIdentity): string[] {
    if (staff.role === 'supervisor') return this.definition.followThrough.teams.map((t) => t.code);
    return this.definition.staff.find((s) => s.id === staff.id)?.backOfficeTeams ?? [];
  }

  private requireBackOffice(staff: StaffIdentity): string[] {
    const teams = this.teamsOf(staff);
    if (teams.length === 0) throw new DeskError('forbidden', 'Only back-office staff and supervisors can use the back-office view.', { reason: 'not_back_office' });
    return teams;
  }

  /** The open referrals of the person's teams, soonest due first. */
  async list(staff: StaffIdentity): Promise<ReferralList> {
    const teams = this.requireBackOffice(staff);
    const now = this.clock.now();
    const open = await this.cases.listOpenReferrals(this.definition.programme.id, LIST_LIMIT);
    return {
      teams: this.definition.followThrough.teams.filter((t) => teams.includes(t.code)),
      referrals: open.filter((c) => c.referral && teams.includes(c.referral.team.code)).map((c) => this.item(c, now)),
    };
  }

  private item(c: Case, now: Date): ReferralItem {
    const r = c.referral!;
    const escalated = r.escalations.filter((e) => e.dueDate === r.dueDate).at(-1);
    const last = r.updates.at(-1);
    // Unanswered: the ratepayer wrote after the team's last update (or before any; the same instant counts as after, a reply to it).
    const wrote = r.fromRatepayer?.at(-1);
    const unanswered = wrote && (!last || Date.parse(wrote.at) >= Date.parse(last.at)) ? wrote.at : undefined;
    return {
      reference: c.id,
      displayReference: formatReference(c.id),
      category: c.category,
      categoryName: categoryByCode(this.definition, c.category)?.name ?? c.category,
      team: r.team,
      dueDate: r.dueDate,
      dueAt: r.dueAt,
      stage: stageOf(c, now),
      ...(escalated ? { escalatedTo: escalated.name } : {}),
      reminded: r.remindedFor === r.dueDate,
      referredAt: r.referredAt,
      ...(last ? { lastUpdateAt: last.at } : {}),
      ...(unanswered ? { ratepayerWroteAt: unanswered } : {}),
      ...(c.dispute && !c.dispute.settledAt
        ? {
            dispute: {
              reference: c.dispute.reference,
              totalCents: c.dispute.totalCents,
              keepPayingCents: c.dispute.keepPayingCents,
              investigationDueOn: c.dispute.investigationDueOn,
              appealFrom: c.dispute.appealFrom,
              creditControlHold: true as const,
            },
          }
        : {}),
    };
  }

  private reference(input: string): string {
    const id = normaliseReference(input);
    if (!id) throw new DeskError('invalid', 'That is not a case reference.', { field: 'reference' });
    return id;
  }

  /** Whether the person may work this referral (its team is theirs); refused as a 403 otherwise. */
  private mayWork(staff: StaffIdentity, c: Case): void {
    if (!c.referral) throw new DeskError('not_found', `Case ${formatReference(c.id)} was not referred to the back office.`);
    if (!this.teamsOf(staff).includes(c.referral.team.code))
      throw new DeskError('forbidden', `Case ${formatReference(c.id)} belongs to ${c.referral.team.name}, which is not one of your teams.`, { reason: 'other_team' });
  }

  /** The case page; the view is recorded on the case (POPIA: who viewed it). */
  async page(staff: StaffIdentity, reference: string): Promise<ReferralPage> {
    this.requireBackOffice(staff);
    const id = this.reference(reference);
    const result = await changeCase(this.cases, id, (c) => {
      this.mayWork(staff, c);
      const now = this.clock.now();
      const actor = staffActor(staff);
      return viewNeedsRecording(c, now, actor) ? recordView(c, now, actor, 'back-office page') : undefined;
    }).catch((error: unknown) => {
      if (error instanceof CaseKeepsChangingError) throw new DeskError('conflict', error.message);
      throw error;
    });
    if (result.kind === 'missing') throw new DeskError('not_found', `There is no case ${id}.`);
    return this.view(result.kind === 'saved' ? result.saved : result.current, staff);
  }

  private async view(stored: StoredCase, staff: StaffIdentity): Promise<ReferralPage> {
    const c = this.staffWords ? await this.staffWords(stored, staff) : stored;
    const open = !!c.referral && !c.referral.done;
    return {
      ...toCasePage(c, [], this.definition, staff),
      referral: c.referral!,
      stage: stageOf(c, this.clock.now()),
      backOffice: { update: open, done: open, moreTime: open, note: open },
    };
  }

  /**
   * Relays a message to the ratepayer's chat, and keeps it on the referral and the transcript. The
   * back office's words reach the ratepayer as its final decision does (tester 10, finding 7):
   * machine-translated into their language and marked as the back office's (summaryAsRead), or as
   * written and marked so when the translation fails; staff read the line in English, with what
   * became of the words inside it (`holds` on the entry's translation).
   */
  async update(staff: StaffIdentity, reference: string, text: string): Promise<ReferralPage> {
    const page = await this.change(staff, reference, (c, now) => updateRatepayer(c, now, staffActor(staff), text));
    const c = (await this.cases.get(page.reference))!;
    // After the change: only a case this person may work, so nothing of another team's case leaves for the Translator.
    const written = text.trim();
    const inLanguage = await this.relay.translatedSummary(c, written);
    const locale = localeOf(c);
    const asRead = summaryAsRead({ summary: written, ...inLanguage }, locale, 'backOffice');
    const words = told(locale, (l) => t(l, 'followThrough.update', { reference: formatReference(c.id), team: c.referral!.team.name, text: l === locale ? asRead : written }));
    const holds = inLanguage.translated ? ('translated' as const) : inLanguage.untranslated ? ('failed' as const) : undefined;
    const forStaff = words.forStaff && holds ? { ...words.forStaff, holds: { whose: 'backOffice' as const, status: holds } } : words.forStaff;
    // A notice: outside a chat window it goes as its template, or by SMS (docs/whatsapp.md), with the words as the chat has them.
    await this.relay.tellRatepayer(c, { ...words, ...(forStaff ? { forStaff } : {}), notice: 'backOfficeUpdate', noticeParams: { team: c.referral!.team.name, update: asRead } });
    return this.view((await this.cases.get(c.id))!, staff);
  }

  /**
   * Done: the final outcome and what the ratepayer is told; the receipt goes out. What was decided
   * reaches the ratepayer as an expert's summary does (tester 8, finding 3): machine-translated into
   * their language and marked so (RelayService.translatedSummary, the receipt's `decided` line), or,
   * when the translation fails, as written and marked so (summaryAsRead); as written when none is needed.
   */
  async done(staff: StaffIdentity, reference: string, outcome: Exclude<Outcome, 'referred_back_office'>, summary: string): Promise<ReferralPage> {
    // Translated before the change (a call out of the service must not sit in the read-decide-write),
    // and only for a case the person may work: nothing of another team's case leaves for the Translator.
    this.requireBackOffice(staff);
    const current = summary.trim() ? await this.cases.get(this.reference(reference)) : undefined;
    const mayTranslate = current?.referral && !current.referral.done && this.teamsOf(staff).includes(current.referral.team.code);
    const inLanguage = mayTranslate ? await this.relay.translatedSummary(current, summary.trim()) : {};
    return this.change(staff, reference, (c, now) => completeReferral(c, now, staffActor(staff), { kind: outcome, summary, ...inLanguage }, this.definition.limits.retentionDays));
  }

  /** Needs more time: a new due date and the reason (the ratepayer's receipt says both). */
  moreTime(staff: StaffIdentity, reference: string, dueDate: string, reason: string): Promise<ReferralPage> {
    return this.change(staff, reference, (c, now) => extendReferral(c, this.definition, now, staffActor(staff), dueDate, reason));
  }

  /** An internal note. */
  note(staff: StaffIdentity, reference: string, text: string): Promise<ReferralPage> {
    return this.change(staff, reference, (c, now) => addReferralNote(c, now, staffActor(staff), text));
  }

  private async change(staff: StaffIdentity, reference: string, apply: (c: StoredCase, now: Date) => Case): Promise<ReferralPage> {
    this.requireBackOffice(staff);
    const id = this.reference(reference);
    let result: CaseChange;
    try {
      result = await changeCase(this.cases, id, (current) => {
        this.mayWork(staff, current);
        try {
          return apply(current, this.clock.now());
        } catch (error) {
          if (!(error instanceof CaseRuleError)) throw error;
          if (error.reason === 'invalid') throw new DeskError('invalid', error.message);
          throw new DeskError('conflict', error.message, { state: current.state });
        }
      });
    } catch (error) {
      if (error instanceof CaseKeepsChangingError) throw new DeskError('conflict', error.message);
      throw error;
    }
    if (result.kind === 'missing') throw new DeskError('not_found', `There is no case ${id}.`);
    if (result.kind === 'unchanged') return this.view(result.current, staff);
    await this.events.publish({ kind: 'case.updated', before: result.before, after: result.saved, by: { kind: 'staff', id: staff.id, name: staff.name, role: staff.role } });
    return this.view(result.saved, staff);
  }
}
