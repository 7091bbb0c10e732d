/**
 * The supervisors' channel: which channel it is ("monitor"), the live summary card of each
 * session (posted when the session opens, then updated in place at most every 30 seconds and
 * only when what it shows changed), one alert per case that waits past its category's limit
 * (with "Assign"), and the end-of-session report. Driven by the scheduler, so it runs on one
 * instance at a time; every step is safe to repeat (it checks what it already posted).
 */
import { worksCategory, type StaffIdentity } from '../domain/access.js';
import { assignCase } from '../domain/assignment.js';
import { describeSession, instantAt, localParts, openSessionAt, type SessionSlot } from '../domain/calendar.js';
import { CaseRuleError } from '../domain/case.js';
import { normaliseReference } from '../domain/reference.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import {
  estimatesKept,
  liveSummary,
  minutesBetween,
  queueLengthSeries,
  sessionReport,
  summaryFingerprint,
  waitBeforeClaim,
  waitDistribution,
  type QueuePoint,
  type WaitBucket,
  type EstimatesKept,
  type FigureContext,
  type LiveSummary,
  type SessionCase,
  type SessionReport,
} from '../domain/sessionReport.js';
import { alertCard, reportCard, summaryCard, type AgentChoice } from '../cards/supervisorCards.js';
import type { CaseStore, StoredCase } from '../ports/caseStore.js';
import type { Clock } from '../ports/clock.js';
import type { Messenger } from '../ports/messenger.js';
import { PRESENCE_FRESH_MS, type PresenceStore } from '../ports/presence.js';
import type { AlertRecord, ChannelRegistration, SessionCaseReader, SummaryCardRecord, SupervisionStore } from '../ports/supervision.js';
import { CaseKeepsChangingError, changeCase } from './caseChanges.js';
import type { CaseEvents } from './caseEvents.js';
import { SupervisionError } from './errors.js';
import type { SchedulerTick, SessionEvent } from './sessionScheduler.js';
import { errorLogger } from '../log.js';
import type { IdentityMismatch } from '../auth/staffBinding.js';

/** Summary cards and alerts are kept 30 days (Cosmos ttl), then expire. */
const RECORD_TTL_SECONDS = 30 * 86_400;

export interface SupervisionOptions {
  /** The least time between two updates of a summary card (default 30 s). */
  minUpdateIntervalMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/** The staff member of the definition as a signed-in identity. */
export function staffIdentity(s: ServiceDefinition['staff'][number]): StaffIdentity {
  return { id: s.id, name: s.name, email: s.email, role: s.role, skills: s.skills, regions: s.regions };
}

/** What the supervisor view of the tab shows (GET /api/supervisor/overview). */
export interface SupervisorOverview {
  /** `timeZone`: the programme's IANA zone (the definition's), in which the view shows every time. */
  session: { id: string; label: string; opensAt: string; closesAt: string; open: boolean; timeZone: string };
  /** The region the view is limited to (a channel tab pinned to one region); absent: the whole programme. */
  region?: { code: string; name: string };
  serverTime: string;
  summary: LiveSummary;
  queues: {
    code: string;
    name: string;
    waitLimitMinutes: number;
    waiting: { reference: string; region?: string; waitingSince: string; waitMinutes: number; overLimit: boolean }[];
    /** Of the category's ratepayers an expert has taken so far (this session), how many waited within the wait they were told at queueing (estimatesKept). */
    estimates: EstimatesKept;
  }[];
  agents: {
    id: string;
    name: string;
    skills: string[];
    skillNames: string[];
    present: boolean;
    cases: { reference: string; category: string; categoryName: string; since: string; minutes: number }[];
  }[];
  timeline: QueuePoint[];
  waits: WaitBucket[];
  report: SessionReport;
  channels: { region?: string; channelName?: string }[];
}

/** The columns of the session's CSV export: no names, contact details, ID numbers or free text. */
export const CSV_COLUMNS = [
  'reference',
  'category',
  'region',
  'session',
  'state',
  'queued_at',
  'first_taken_at',
  'wait_minutes',
  'agent',
  'handling_minutes',
  'outcome',
  'closed_at',
  'satisfaction',
] as const;

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  // Quote what needs it, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The supervisors' service. */
export class Supervision {
  private readonly minUpdateIntervalMs: number;
  private readonly log: (message: string, error?: unknown) => void;

  constructor(
    readonly definition: ServiceDefinition,
    private readonly store: SupervisionStore,
    private readonly reader: SessionCaseReader,
    private readonly cases: CaseStore,
    private readonly messenger: Messenger,
    private readonly presence: PresenceStore,
    /** Where an assignment is published; its listeners write what the ratepayer is told with it. */
    private readonly events: CaseEvents,
    private readonly clock: Clock,
    options: SupervisionOptions = {},
  ) {
    this.minUpdateIntervalMs = options.minUpdateIntervalMs ?? 30_000;
    this.log = options.log ?? errorLogger('supervision');
  }

  private get programmeId(): string {
    return this.definition.programme.id;
  }

  private get figureContext(): FigureContext {
    return { categories: this.definition.categories, staff: this.definition.staff };
  }

  /** The scope key of a registration: the programme and the region (or "all"). */
  scopeOf(region?: string): string {
    return `${this.programmeId}:${region ?? 'all'}`;
  }

  private regionName(region?: string): string | undefined {
    return region ? (this.definition.regions.find((r) => r.code === region)?.name ?? region) : undefined;
  }

  // ---- registration ------------------------------------------------------------------------

  /**
   * Makes the channel the supervisors' channel of the programme (or of one region). Returns the
   * channel it replaced, if another one held that scope.
   */
  async register(input: { conversationId: string; region?: string; channelName?: string; by: { id: string; name: string } }): Promise<{ replaced?: string }> {
    if (input.region && !this.definition.regions.some((r) => r.code === input.region))
      throw new SupervisionError('invalid', `There is no region "${input.region}" in this programme.`);
    const id = `registration:${this.scopeOf(input.region)}`;
    const existing = (await this.store.listRegistrations(this.programmeId)).find((r) => r.id === id);
    await this.store.saveRegistration({
      id,
      kind: 'registration',
      programmeId: this.programmeId,
      ...(input.region ? { region: input.region } : {}),
      conversationId: input.conversationId,
      ...(input.channelName ? { channelName: input.channelName } : {}),
      registeredBy: input.by,
      registeredAt: this.clock.now().toISOString(),
    });
    return existing && existing.conversationId !== input.conversationId ? { replaced: existing.conversationId } : {};
  }

  /** Stops monitoring in this channel; returns the scopes it was registered for. */
  async unregister(conversationId: string): Promise<ChannelRegistration[]> {
    const mine = await this.registrationsOf(conversationId);
    for (const r of mine) await this.store.deleteRegistration(r.id);
    return mine;
  }

  /** The registrations held by one channel. */
  async registrationsOf(conversationId: string): Promise<ChannelRegistration[]> {
    return (await this.store.listRegistrations(this.programmeId)).filter((r) => r.conversationId === conversationId);
  }

  // ---- scheduler jobs ----------------------------------------------------------------------

  /** Session events from the scheduler: the summary card at opening, the report at closing. */
  async onSessionEvent(event: SessionEvent): Promise<void> {
    if (event.kind === 'opened') await this.refreshSummaries(event.session, { force: true });
    if (event.kind === 'closed') {
      await this.refreshSummaries(event.session, { force: true, closed: true });
      await this.postReports(event.session);
    }
  }

  /** Every tick: keep the summary current, raise alerts, follow alerted cases. */
  async onTick(tick: SchedulerTick): Promise<void> {
    if (!tick.openSession) return;
    await this.refreshSummaries(tick.openSession);
  }

  /** The session open now, if any. */
  openSession(): SessionSlot | undefined {
    return openSessionAt(this.definition, this.clock.now());
  }

  /**
   * Posts or updates the summary card of the session in every registered channel, then raises
   * and follows alerts. `force` posts a missing card and updates regardless of the 30 s spacing.
   */
  async refreshSummaries(session: SessionSlot, options: { force?: boolean; closed?: boolean; only?: string } = {}): Promise<void> {
    const registrations = (await this.store.listRegistrations(this.programmeId)).filter((r) => !options.only || r.conversationId === options.only);
    if (registrations.length === 0) return;
    const now = this.clock.now();
    const [all, present] = await Promise.all([
      this.reader.forSession(this.programmeId, session),
      this.presence.seenSince(new Date(now.getTime() - PRESENCE_FRESH_MS)).catch(() => []),
    ]);
    const active = present.map((p) => p.staff.id);
    for (const reg of registrations) {
      const cases = all.filter((c) => !reg.region || c.region === reg.region);
      const summary = liveSummary(session.id, cases, this.figureContext, active, now);
      try {
        await this.showSummary(reg, session, summary, now, options);
      } catch (error) {
        this.log(`summary card for ${reg.id} in session ${session.id}`, error);
      }
      if (!options.closed) {
        try {
          await this.raiseAlerts(reg, session, cases, now);
          await this.followAlerts(reg, cases, now);
        } catch (error) {
          this.log(`alerts for ${reg.id}`, error);
        }
      }
    }
  }

  private async showSummary(reg: ChannelRegistration, session: SessionSlot, summary: LiveSummary, now: Date, options: { force?: boolean; closed?: boolean }): Promise<void> {
    const scope = this.scopeOf(reg.region);
    const id = `summary:${scope}:${session.id}`;
    const record = await this.store.getSummaryCard(id);
    const fingerprint = summaryFingerprint(summary) + (options.closed ? '|closed' : '');
    const card = summaryCard({
      programmeName: this.definition.programme.name,
      ...(reg.region ? { regionName: this.regionName(reg.region)! } : {}),
      session,
      timeZone: this.definition.timeZone,
      summary,
      now,
      ...(options.closed ? { closed: true } : {}),
    });
    const fallback = `${options.closed ? 'Session closed' : 'Live queue'}: ${summary.totals.waiting} waiting, ${summary.totals.inProgress} with an expert, ${summary.totals.resolved} resolved.`;
    if (!record || record.conversationId !== reg.conversationId) {
      if (options.closed) return; // no card was ever shown there: the report is enough
      const { activityId } = await this.messenger.send(reg.conversationId, { card, fallback });
      await this.store.saveSummaryCard({
        id,
        kind: 'summary',
        scope,
        sessionId: session.id,
        conversationId: reg.conversationId,
        activityId: activityId ?? '',
        fingerprint,
        postedAt: now.toISOString(),
        updatedAt: now.toISOString(),
        ttl: RECORD_TTL_SECONDS,
      });
      return;
    }
    if (record.fingerprint === fingerprint) return;
    if (!options.force && now.getTime() - Date.parse(record.updatedAt) < this.minUpdateIntervalMs) return;
    if (!record.activityId) return;
    await this.messenger.update(reg.conversationId, record.activityId, { card, fallback });
    await this.store.saveSummaryCard({ ...record, fingerprint, updatedAt: now.toISOString() });
  }

  private agentChoices(category: string, region: string | undefined, cases: readonly SessionCase[]): AgentChoice[] {
    return this.definition.staff
      .filter((s) => s.role === 'agent' && worksCategory(staffIdentity(s), category, region))
      .map((s) => {
        const busy = cases.filter((c) => c.state === 'in_progress' && c.assignedTo?.staffId === s.id).length;
        return { id: s.id, name: s.name, status: busy ? `on ${busy} case${busy === 1 ? '' : 's'}` : 'no case now' };
      })
      .sort((a, b) => Number(a.status !== 'no case now') - Number(b.status !== 'no case now') || a.name.localeCompare(b.name));
  }

  /** The alert card for a record, with the agents it can offer. */
  alertCardFor(alert: AlertRecord, cases: readonly SessionCase[], problem?: string): Record<string, unknown> {
    const category = categoryByCode(this.definition, alert.category);
    const c = cases.find((x) => x.id === alert.reference);
    return alertCard(alert, {
      categoryName: category?.name ?? alert.category,
      waitLimitMinutes: category?.waitLimitMinutes ?? 0,
      agents: this.agentChoices(alert.category, c?.region, cases),
      timeZone: this.definition.timeZone,
      ...(problem ? { problem } : {}),
    });
  }

  private async raiseAlerts(reg: ChannelRegistration, session: SessionSlot, cases: readonly SessionCase[], now: Date): Promise<void> {
    const scope = this.scopeOf(reg.region);
    for (const c of cases) {
      if (c.state !== 'waiting') continue;
      const category = categoryByCode(this.definition, c.category);
      if (!category || now.getTime() - Date.parse(c.queuedAt) <= category.waitLimitMinutes * 60_000) continue;
      const id = `alert:${scope}:${c.id}`;
      if (await this.store.getAlert(id)) continue;
      const alert: AlertRecord = {
        id,
        kind: 'alert',
        scope,
        reference: c.id,
        category: c.category,
        sessionId: session.id,
        conversationId: reg.conversationId,
        raisedAt: now.toISOString(),
        waitMinutes: minutesBetween(c.queuedAt, now),
        ttl: RECORD_TTL_SECONDS,
      };
      // Created before it is sent: whoever creates it sends it, so a case is alerted once.
      if (!(await this.store.createAlert(alert))) continue;
      try {
        const { activityId } = await this.messenger.send(reg.conversationId, {
          card: this.alertCardFor(alert, cases),
          fallback: `Case ${c.id} has waited ${alert.waitMinutes} minutes in ${category.name}.`,
        });
        await this.store.saveAlert({ ...alert, ...(activityId ? { activityId } : {}) });
      } catch (error) {
        // Not delivered: forget it, so the next tick tries again.
        await this.store.deleteAlert(id).catch(() => undefined);
        throw error;
      }
    }
  }

  /** Alerted cases that left the queue some other way (an agent claimed it, it was cancelled): the card says so. */
  private async followAlerts(reg: ChannelRegistration, cases: readonly SessionCase[], now: Date): Promise<void> {
    const open = await this.store.listOpenAlerts(this.scopeOf(reg.region));
    for (const alert of open) {
      const c = cases.find((x) => x.id === alert.reference) ?? (await this.cases.get(alert.reference));
      if (!c || c.state === 'waiting') continue;
      const taken: AlertRecord['taken'] =
        c.state === 'in_progress' && c.assignedTo
          ? { staffId: c.assignedTo.staffId, name: c.assignedTo.name, at: c.assignedTo.since, how: 'claimed' }
          : { at: ('closedAt' in c && c.closedAt) || now.toISOString(), how: 'closed' };
      await this.finishAlert({ ...alert, taken }, cases);
    }
  }

  private async finishAlert(alert: AlertRecord, cases: readonly SessionCase[]): Promise<Record<string, unknown>> {
    await this.store.saveAlert(alert);
    const card = this.alertCardFor(alert, cases);
    if (alert.activityId) {
      await this.messenger
        .update(alert.conversationId, alert.activityId, { card, fallback: `Case ${alert.reference}: ${alert.taken?.name ?? 'closed'}` })
        .catch((error) => this.log(`updating alert ${alert.id}`, error));
    }
    return card;
  }

  /** Posts the report of a closed session in every registered channel, once. */
  async postReports(session: SessionSlot): Promise<void> {
    const registrations = await this.store.listRegistrations(this.programmeId);
    if (registrations.length === 0) return;
    const all = await this.reader.forSession(this.programmeId, session);
    const now = this.clock.now();
    for (const reg of registrations) {
      const scope = this.scopeOf(reg.region);
      const id = `summary:${scope}:${session.id}`;
      const record = await this.store.getSummaryCard(id);
      if (record?.reportActivityId && record.conversationId === reg.conversationId) continue;
      const report = this.report(session, all.filter((c) => !reg.region || c.region === reg.region));
      try {
        const { activityId } = await this.messenger.send(reg.conversationId, {
          card: reportCard({
            programmeName: this.definition.programme.name,
            ...(reg.region ? { regionName: this.regionName(reg.region)! } : {}),
            session,
            timeZone: this.definition.timeZone,
            report,
          }),
          fallback: `Session report: ${report.totals.total} cases, ${report.totals.resolved} resolved, ${report.totals.carriedOver} carried over.`,
        });
        await this.store.saveSummaryCard({
          ...(record ?? {
            id,
            kind: 'summary' as const,
            scope,
            sessionId: session.id,
            conversationId: reg.conversationId,
            activityId: '',
            fingerprint: '',
            postedAt: now.toISOString(),
            updatedAt: now.toISOString(),
            ttl: RECORD_TTL_SECONDS,
          }),
          reportActivityId: activityId ?? 'sent',
          reportPostedAt: now.toISOString(),
        } satisfies SummaryCardRecord);
      } catch (error) {
        this.log(`report for ${reg.id} in session ${session.id}`, error);
      }
    }
  }

  /** The figures of a session (for the report and the supervisor view). */
  report(session: Pick<SessionSlot, 'id'>, cases: readonly SessionCase[]): SessionReport {
    return sessionReport(session.id, cases, this.figureContext);
  }

  // ---- the supervisor view ----------------------------------------------------------------

  /** The session with this id ("2022-08-01T17:00"), if the calendar has it. */
  sessionById(id: string): SessionSlot | undefined {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(id);
    if (!m) return undefined;
    let at: Date;
    try {
      at = instantAt(m[1]!, m[2]!, this.definition.timeZone);
    } catch {
      return undefined;
    }
    const slot = openSessionAt(this.definition, at);
    return slot?.id === id ? slot : undefined;
  }

  /** The session open now, or else the one that closed last (within two weeks). */
  currentOrLastSession(): SessionSlot | undefined {
    const now = this.clock.now();
    const open = openSessionAt(this.definition, now);
    if (open) return open;
    for (let back = 1; back <= 14 * 24 * 4; back++) {
      const slot = openSessionAt(this.definition, new Date(now.getTime() - back * 15 * 60_000));
      if (slot) return slot;
    }
    return undefined;
  }

  /** Everything the supervisor view shows about one session. */
  /**
   * The region of the definition with this code; throws SupervisionError('invalid') naming the
   * programme's regions when there is none (a channel tab pinned to a region since removed).
   */
  regionByCode(code: string): { code: string; name: string } {
    const found = this.definition.regions.find((r) => r.code === code);
    if (!found)
      throw new SupervisionError('invalid', `There is no region "${code.slice(0, 16)}" in this programme (its regions: ${this.definition.regions.map((r) => r.code).join(', ')}).`, 'region');
    return { code: found.code, name: found.name };
  }

  /**
   * Everything the supervisor view shows about one session; with `region` (a region code), only
   * that region's cases and the agents who work it (agents without regions work every region,
   * as in assignment). Throws SupervisionError('invalid') for a region the programme does not have.
   */
  async overview(session: SessionSlot, region?: string): Promise<SupervisorOverview> {
    const scope = region ? this.regionByCode(region) : undefined;
    const now = this.clock.now();
    const [everyCase, present, registrations] = await Promise.all([
      this.reader.forSession(this.programmeId, session),
      this.presence.seenSince(new Date(now.getTime() - PRESENCE_FRESH_MS)).catch(() => []),
      this.store.listRegistrations(this.programmeId),
    ]);
    const cases = scope ? everyCase.filter((c) => c.region === scope.code) : everyCase;
    const presentIds = new Set(present.map((p) => p.staff.id));
    const open = now >= session.opensAt && now < session.closesAt;
    const until = new Date(Math.min(now.getTime(), session.closesAt.getTime()));
    const span = (until.getTime() - session.opensAt.getTime()) / 60_000;
    const step = span <= 240 ? 5 : span <= 720 ? 15 : 30;
    const categoryName = (code: string) => categoryByCode(this.definition, code)?.name ?? code;
    return {
      session: {
        id: session.id,
        label: describeSession(session, this.definition.timeZone),
        opensAt: session.opensAt.toISOString(),
        closesAt: session.closesAt.toISOString(),
        open,
        timeZone: this.definition.timeZone,
      },
      ...(scope ? { region: scope } : {}),
      serverTime: now.toISOString(),
      summary: liveSummary(session.id, cases, this.figureContext, [...presentIds], now),
      queues: this.definition.categories.map((cat) => ({
        code: cat.code,
        name: cat.name,
        waitLimitMinutes: cat.waitLimitMinutes,
        waiting: cases
          .filter((c) => c.category === cat.code && c.state === 'waiting')
          .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt))
          .map((c) => {
            const waitMinutes = minutesBetween(c.queuedAt, now);
            return { reference: c.id, ...(c.region ? { region: c.region } : {}), waitingSince: c.queuedAt, waitMinutes, overLimit: waitMinutes >= cat.waitLimitMinutes };
          }),
        estimates: estimatesKept(cases.filter((c) => c.category === cat.code)),
      })),
      agents: this.definition.staff
        .filter((s) => s.role === 'agent' && (!scope || s.regions.length === 0 || s.regions.includes(scope.code)))
        .map((s) => ({
          id: s.id,
          name: s.name,
          skills: s.skills,
          skillNames: s.skills.map(categoryName),
          present: presentIds.has(s.id),
          cases: cases
            .filter((c) => c.state === 'in_progress' && c.assignedTo?.staffId === s.id)
            .map((c) => ({ reference: c.id, category: c.category, categoryName: categoryName(c.category), since: c.assignedTo!.since, minutes: minutesBetween(c.assignedTo!.since, now) })),
        })),
      timeline: queueLengthSeries(cases, session.opensAt, until, step),
      waits: waitDistribution(cases, now),
      report: this.report(session, cases),
      channels: registrations.map((r) => ({ ...(r.region ? { region: r.region } : {}), ...(r.channelName ? { channelName: r.channelName } : {}) })),
    };
  }

  /** The session's cases as CSV (RFC 4180, times in the programme's zone): references and figures only. */
  async csv(session: SessionSlot, region?: string): Promise<string> {
    const scope = region ? this.regionByCode(region) : undefined;
    const cases = (await this.reader.forSession(this.programmeId, session)).filter((c) => !scope || c.region === scope.code);
    const tz = this.definition.timeZone;
    const local = (iso: string | undefined) => {
      if (!iso) return undefined;
      const p = localParts(new Date(iso), tz);
      return `${p.date} ${p.time}`;
    };
    const rows = [...cases]
      .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.id.localeCompare(b.id))
      .map((c) => {
        const wait = waitBeforeClaim(c);
        return [
          c.id,
          c.category,
          c.region,
          c.sessionId,
          c.state,
          local(c.queuedAt),
          local(c.firstClaimedAt),
          wait === undefined ? undefined : Math.round(wait * 10) / 10,
          c.assignedTo?.name,
          c.handlingMinutes,
          c.outcome,
          local(c.closedAt),
          c.survey?.rating,
        ]
          .map(csvCell)
          .join(',');
      });
    return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
  }

  // ---- assignment --------------------------------------------------------------------------

  /**
   * A supervisor gives a case to an agent with its skill (a waiting case, or reassigning one
   * being worked on). The change is written with the case's ETag; the alert card about the case,
   * if any, then shows who has it.
   */
  async assign(supervisor: StaffIdentity, reference: string, agentId: string): Promise<StoredCase> {
    if (supervisor.role !== 'supervisor') throw new SupervisionError('forbidden', 'Only supervisors can assign cases.');
    const id = normaliseReference(reference);
    if (!id) throw new SupervisionError('invalid', `"${reference.slice(0, 20)}" is not a case reference.`);
    const agentDef = this.definition.staff.find((s) => s.id === agentId && s.role === 'agent');
    if (!agentDef) throw new SupervisionError('invalid', `There is no agent "${agentId}".`);
    const agent = staffIdentity(agentDef);
    const by = { kind: 'staff' as const, id: supervisor.id, name: supervisor.name };
    const result = await changeCase(this.cases, id, (current) => {
      try {
        const now = this.clock.now();
        return this.events.withOutbox('case.claimed', assignCase(current, now, by, agent), now);
      } catch (error) {
        if (!(error instanceof CaseRuleError)) throw error;
        throw new SupervisionError(error.reason === 'invalid' ? 'invalid' : 'conflict', error.message);
      }
    }).catch((error: unknown) => {
      if (error instanceof CaseKeepsChangingError) throw new SupervisionError('conflict', error.message);
      throw error;
    });
    if (result.kind === 'missing') throw new SupervisionError('not_found', `There is no case ${id}.`);
    if (result.kind === 'unchanged') return result.current;
    const { saved } = result;
    await this.events.publish({
      kind: 'case.claimed',
      before: result.before,
      after: saved,
      by: { kind: 'staff', id: supervisor.id, name: supervisor.name, role: supervisor.role },
    });
    await this.markAssigned(saved, supervisor).catch((error) => this.log(`alert for ${saved.id}`, error));
    return saved;
  }

  /** After an assignment: every alert about the case shows who has it. */
  private async markAssigned(c: StoredCase, supervisor: StaffIdentity): Promise<void> {
    const alerts = await this.store.alertsForCase(c.id);
    for (const alert of alerts) {
      if (alert.taken?.how === 'assigned' && alert.taken.staffId === c.assignedTo?.staffId) continue;
      await this.finishAlert(
        { ...alert, taken: { staffId: c.assignedTo!.staffId, name: c.assignedTo!.name, by: supervisor.name, at: c.assignedTo!.since, how: 'assigned' } },
        [],
      );
    }
  }

  /**
   * Tells the supervisors' channels that a sign-in as a member of staff was refused because it
   * came from another Microsoft account than the one bound to that entry (bot/auth/staffBinding.ts).
   * Staff names only; nothing about ratepayers.
   */
  async identityAlert(mismatch: IdentityMismatch): Promise<void> {
    const registrations = await this.store.listRegistrations(this.programmeId);
    const since = mismatch.boundAt ? `the account first used for it on ${mismatch.boundAt.slice(0, 16).replace('T', ' ')} UTC` : 'the account the staff list names';
    const text =
      `Sign-in refused: someone tried to sign in to the desk as ${mismatch.staff.name} (staff id ${mismatch.staff.id}) with a Microsoft account other than ${since}. ` +
      `If ${mismatch.staff.name}'s account was re-created, list its object id (oid) in the service definition; otherwise treat this as an attempt to act as them.`;
    for (const reg of registrations) await this.messenger.send(reg.conversationId, { text });
  }

  /** What anyone but a supervisor is told on pressing "Assign": nothing about the case. */
  static readonly ASSIGN_REFUSED = 'Only supervisors can assign cases. Nothing was changed.';

  /**
   * "Assign" on an alert card: assigns, and answers with the card to show. A supervisor's refusal
   * (no agent chosen, the agent lacks the skill) answers with the same card and the reason, for
   * them only. Anyone else gets SupervisionError('forbidden') and never the card: it names the
   * case, its category, its wait and the agents.
   */
  async assignFromAlert(clicker: StaffIdentity | undefined, alertId: string, agentId: string | undefined): Promise<Record<string, unknown>> {
    // Checked before anything is read: whether the alert exists is not theirs to know either.
    if (!clicker || clicker.role !== 'supervisor') throw new SupervisionError('forbidden', Supervision.ASSIGN_REFUSED);
    const alert = await this.store.getAlert(alertId);
    if (!alert) throw new SupervisionError('not_found', 'This alert is no longer known.');
    const session = this.openSession();
    const cases = session ? await this.reader.forSession(this.programmeId, session) : [];
    if (alert.taken) return this.alertCardFor(alert, cases);
    if (!agentId) return this.alertCardFor(alert, cases, 'Choose an agent first.');
    try {
      await this.assign(clicker, alert.reference, agentId);
    } catch (error) {
      if (!(error instanceof SupervisionError)) throw error;
      const c = await this.cases.get(alert.reference);
      if (c && c.state !== 'waiting' && !alert.taken) {
        // Someone took it meanwhile: the card says who, for everyone.
        return this.finishAlert(
          {
            ...alert,
            taken: c.assignedTo && c.state === 'in_progress'
              ? { staffId: c.assignedTo.staffId, name: c.assignedTo.name, at: c.assignedTo.since, how: 'claimed' }
              : { at: c.closedAt ?? this.clock.now().toISOString(), how: 'closed' },
          },
          cases,
        );
      }
      return this.alertCardFor(alert, cases, error.message);
    }
    const updated = (await this.store.getAlert(alertId)) ?? alert;
    return this.alertCardFor(updated, cases);
  }
}
