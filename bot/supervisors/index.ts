/**
 * The supervisors' work, one file per job, composed here so that the composition root
 * (bot/service.ts), the Teams features and the supervisor API see one `Supervision`:
 * - registration.ts: which channel is the supervisors' channel ("monitor"), per programme or region;
 * - liveSummary.ts: the live summary card of each session (posted when it opens, then updated in
 *   place at most every 30 seconds and only when what it shows changed);
 * - waitAlerts.ts: one alert per case that waits past its category's limit (with "Assign");
 * - reports.ts: the end-of-session report;
 * - supervisorView.ts and csv.ts: the supervisor view of the tab and its CSV export;
 * - assignment.ts: a supervisor gives a case to an agent;
 * - identityAlerts.ts: a refused sign-in as a member of staff.
 * The channel work is driven by the scheduler, so it runs on one instance at a time; every step is
 * safe to repeat (it checks what it already posted).
 */
import type { StaffIdentity } from '../domain/access.js';
import { openSessionAt, type SessionSlot } from '../domain/calendar.js';
import { liveSummary } from '../domain/sessionReport.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import type { IdentityMismatch } from '../platform/auth/staffBinding.js';
import type { SupervisorOverview } from '../platform/contract/tabApi.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import type { Messenger } from '../platform/ports/messenger.js';
import { PRESENCE_FRESH_MS, type PresenceStore } from '../platform/ports/presence.js';
import type { ChannelRegistration, SessionCaseReader, SupervisionStore } from '../platform/ports/supervision.js';
import { errorLogger } from '../platform/log.js';
import type { CaseEvents } from '../platform/flow/caseEvents.js';
import type { SchedulerTick, SessionEvent } from '../platform/scheduler/sessionScheduler.js';
import { Assignment } from './assignment.js';
import { sessionCsv } from './csv.js';
import { IdentityAlerts } from './identityAlerts.js';
import { SummaryCards } from './liveSummary.js';
import { ChannelRegistry } from './registration.js';
import { SessionReports } from './reports.js';
import { figureContext } from './scope.js';
import { SupervisorView } from './supervisorView.js';
import { WaitAlerts } from './waitAlerts.js';
import type { ChatClaims } from '../platform/ports/chatClaims.js';


export interface SupervisionOptions {
  /** The least time between two updates of a summary card (default 30 s). */
  minUpdateIntervalMs?: number;
  log?: (message: string, error?: unknown) => void;
  /** One expert per chat, race-proof, for assignments (bot/platform/flow/chatClaim.ts). */
  chatClaims?: ChatClaims;
}

/** The supervisors' service. */
export class Supervision {
  private readonly log: (message: string, error?: unknown) => void;
  private readonly registry: ChannelRegistry;
  private readonly summaries: SummaryCards;
  private readonly alerts: WaitAlerts;
  private readonly reports: SessionReports;
  private readonly view: SupervisorView;
  private readonly assignment: Assignment;
  private readonly identityAlerts: IdentityAlerts;

  constructor(
    readonly definition: ServiceDefinition,
    store: SupervisionStore,
    private readonly reader: SessionCaseReader,
    cases: CaseStore,
    messenger: Messenger,
    private readonly presence: PresenceStore,
    /** Where an assignment is published; its listeners write what the ratepayer is told with it. */
    events: CaseEvents,
    private readonly clock: Clock,
    options: SupervisionOptions = {},
  ) {
    this.log = options.log ?? errorLogger('supervision');
    this.registry = new ChannelRegistry(definition, store, clock);
    this.summaries = new SummaryCards(definition, store, messenger, options.minUpdateIntervalMs ?? 30_000);
    this.alerts = new WaitAlerts(definition, store, cases, messenger, this.log);
    this.reports = new SessionReports(definition, store, reader, messenger, clock, this.log);
    this.view = new SupervisorView(definition, store, reader, presence, clock);
    this.assignment = new Assignment(definition, store, reader, cases, events, clock, this.alerts, this.log, options.chatClaims);
    this.identityAlerts = new IdentityAlerts(definition, store, messenger);
  }

  // ---- registration (registration.ts) -------------------------------------------------------

  /**
   * Makes the channel the supervisors' channel of the programme (or of one region). Returns the
   * channel it replaced, if another one held that scope.
   */
  register(input: { conversationId: string; region?: string; channelName?: string; by: { id: string; name: string } }): Promise<{ replaced?: string }> {
    return this.registry.register(input);
  }

  /** Stops monitoring in this channel; returns the scopes it was registered for. */
  unregister(conversationId: string): Promise<ChannelRegistration[]> {
    return this.registry.unregister(conversationId);
  }

  // ---- scheduler jobs: summary cards, alerts, reports ----------------------------------------

  /** Session events from the scheduler: the summary card at opening, the report at closing. */
  async onSessionEvent(event: SessionEvent): Promise<void> {
    if (event.kind === 'opened') await this.refreshSummaries(event.session, { force: true });
    if (event.kind === 'closed') {
      await this.refreshSummaries(event.session, { force: true, closed: true });
      await this.reports.post(event.session);
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
    const registrations = (await this.registry.all()).filter((r) => !options.only || r.conversationId === options.only);
    if (registrations.length === 0) return;
    const now = this.clock.now();
    const [all, present] = await Promise.all([
      this.reader.forSession(this.definition.programme.id, session),
      this.presence.seenSince(new Date(now.getTime() - PRESENCE_FRESH_MS)).catch(() => []),
    ]);
    const active = present.map((p) => p.staff.id);
    for (const reg of registrations) {
      const cases = all.filter((c) => !reg.region || c.region === reg.region);
      const summary = liveSummary(session.id, cases, figureContext(this.definition), active, now);
      try {
        await this.summaries.show(reg, session, summary, now, options);
      } catch (error) {
        this.log(`summary card for ${reg.id} in session ${session.id}`, error);
      }
      if (!options.closed) {
        try {
          await this.alerts.raise(reg, session, cases, now);
          await this.alerts.follow(reg, cases, now);
        } catch (error) {
          this.log(`alerts for ${reg.id}`, error);
        }
      }
    }
  }

  // ---- the supervisor view and its CSV (supervisorView.ts, csv.ts) ----------------------------

  /** The session with this id ("2022-08-01T17:00"), if the calendar has it. */
  sessionById(id: string): SessionSlot | undefined {
    return this.view.sessionById(id);
  }

  /** The session open now, or else the one that closed last (within two weeks). */
  currentOrLastSession(): SessionSlot | undefined {
    return this.view.currentOrLastSession();
  }

  /** Everything the supervisor view shows about one session (of one region, with `region`). */
  overview(session: SessionSlot, region?: string): Promise<SupervisorOverview> {
    return this.view.overview(session, region);
  }

  /** The session's cases as CSV (RFC 4180, times in the programme's zone): references and figures only. */
  csv(session: SessionSlot, region?: string): Promise<string> {
    return sessionCsv(this.definition, this.reader, session, region);
  }

  // ---- assignment (assignment.ts) -------------------------------------------------------------

  /** A supervisor gives a case to an agent with its skill (assignment.ts). */
  assign(supervisor: StaffIdentity, reference: string, agentId: string): Promise<StoredCase> {
    return this.assignment.assign(supervisor, reference, agentId);
  }

  /** A supervisor closes an open case as spam (assignment.ts). */
  closeAsSpam(supervisor: StaffIdentity, reference: string): Promise<StoredCase> {
    return this.assignment.closeAsSpam(supervisor, reference);
  }

  /** "Assign" on an alert card: assigns, and answers with the card to show (assignment.ts). */
  assignFromAlert(clicker: StaffIdentity | undefined, alertId: string, agentId: string | undefined): Promise<Record<string, unknown>> {
    return this.assignment.assignFromAlert(clicker, alertId, agentId);
  }

  // ---- identity alerts (identityAlerts.ts) ----------------------------------------------------

  /** Tells the supervisors' channels that a sign-in as a member of staff was refused. */
  identityAlert(mismatch: IdentityMismatch): Promise<void> {
    return this.identityAlerts.post(mismatch);
  }
}
