/** A waiting case's place in its category queue and the estimated wait. */
import type { Case } from '../domain/case.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import { performance } from 'node:perf_hooks';
import { forecastDesk, forecastInput, liveForecast, type DeskSnapshot, type LiveForecast, type OpenCaseRow, type RecentCaseRow, type WaitForecast } from '../domain/waitEstimate.js';
import type { CaseChangeNotice, CaseEventListener } from '../platform/flow/caseEvents.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import type { QueueEventKind } from '../platform/ports/queueEvents.js';
import { systemClock, type Clock } from '../platform/ports/clock.js';
import type { DutyRoster } from '../agents/dutyRoster.js';
import { describeWait } from '../messages/time.js';

/** Open cases one forecast reads at most; beyond them places are counted and waits scaled (a rare, very long queue). */
const OPEN_CASES_LIMIT = 1000;
/** How far back closed cases feed handling times and the share who leave: a session and a little more. */
export const RECENT_WINDOW_MS = 4 * 60 * 60_000;
/** Closed cases read at most for that. */
const RECENT_LIMIT = 500;

/**
 * How long the recently closed cases are reused. A forecast from the last twenty resolutions per
 * category hardly moves in half a minute, and every submission and place update needs one:
 * reading them once per half minute for all categories takes a query off each of those.
 */
export const HANDLING_TIMES_REUSE_MS = 30_000;

/**
 * How long one read of the open cases, and the forecast made from it, serves every submission and
 * place of the programme on this instance. Reading and simulating every open case on each
 * submission cost more than half the intake's throughput (docs/performance.md, "A regression
 * measured on 30 November 2026"); a forecast a second old is as good a promise. What this instance
 * changes is applied at once (a case it queues joins the forecast; any other change to the queue
 * drops it), so only other instances' changes can be up to this late.
 */
export const OPEN_CASES_REUSE_MS = 1_500;

/** Changes that leave the queue and the agents' work as they were (no new forecast needed). */
const QUEUE_UNCHANGED: readonly QueueEventKind[] = ['case.noted', 'case.updated', 'case.message'];

/**
 * Up to this many waiting cases and agents together, a newcomer is forecast by simulating the desk
 * again with it (forecastDesk over the shared read: 300 runs of so small a desk cost well under a
 * millisecond, and every case's draws come out as in a forecast made from scratch); beyond, its
 * wait is read off the shared runs (LiveForecast.arrival: about 0.01 ms for 500 waiting cases and
 * 50 agents, where simulating again costs 1.3–4 ms).
 */
const RESIMULATE_UP_TO = 20;

/** What one read of the programme's open cases gave, and the forecast made from it. */
interface Desk {
  /** The open cases read, then those this instance queued since (joined). */
  rows: OpenCaseRow[];
  agents: DeskSnapshot['agents'];
  recent: RecentCaseRow[];
  live: LiveForecast;
  truncated: boolean;
}

/** One read of the programme's open cases, shared for OPEN_CASES_REUSE_MS. */
interface OpenCasesRead {
  /** performance.now() and the service clock (ms) when it was read. */
  readAt: number;
  clockAt: number;
  /** The service clock (ms) at which the recently closed cases it rests on are read again: not reused from then. */
  recentUntil: number;
  desk: Promise<Desk>;
  /** Cases this instance queued while the read was under way: joined once it is in. */
  pending: OpenCaseRow[];
  ready?: Desk;
}

/** Where a case stands. */
export interface Place {
  position: number;
  /** Whole minutes until an expert is expected to take the case. */
  waitMinutes: number;
  waitText: string;
  /** Whether the handling time came from the category's recent cases or its configured default. */
  basis: 'history' | 'default';
  /** Agents on duty who work the case's category and region. */
  agentsOnDuty: number;
  /** Of those, signed in now; 0 when the count is the roster's stand-ins (the usual staffing, nobody signed in yet). */
  agentsSignedIn: number;
  /** The category's mean handling minutes the forecast used. */
  handlingMinutes: number;
}

/**
 * Works out places and waits: the forecast of domain/waitEstimate.ts over every open case of the
 * programme (one query: other categories' cases matter, shared agents take them too, read at most
 * once per OPEN_CASES_REUSE_MS), the agents on duty (the roster, from presence) and the recently
 * closed cases (one query per half minute). It listens to this instance's published changes
 * (register it before the listeners that tell places): a case queued here joins the forecast, any
 * other change to the queue means a new read.
 */
export class QueueService implements CaseEventListener {
  readonly name = 'queue-forecast';
  private recentRead: { at: number; rows: Promise<RecentCaseRow[]> } | undefined;
  private readonly openRead = new Map<string, OpenCasesRead>();

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly roster: DutyRoster,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Every waiting case of the given categories (one category, or several: a claim in one slows
   * the categories its agents share) with its place and wait, for the place updates that follow a
   * change to the queue: one read of their waiting cases, plus one read of the open cases.
   */
  async placesIn(programmeId: string, categoryCodes: string | readonly string[], limit = 500): Promise<{ case: StoredCase; place: Place }[]> {
    const codes = typeof categoryCodes === 'string' ? [categoryCodes] : [...categoryCodes];
    const [waiting, shared] = await Promise.all([this.cases.listWaiting(programmeId, codes, limit), this.forecast(programmeId)]);
    // A case the shared forecast has not seen (queued on another instance since it was read): read afresh.
    const forecast = waiting.every((c) => shared.forecasts.has(c.id)) ? shared : (this.openRead.delete(programmeId), await this.forecast(programmeId));
    const seen = new Map<string, number>();
    return waiting.map((c) => {
      const position = (seen.get(c.category) ?? 0) + 1;
      seen.set(c.category, position);
      return { case: c, place: toPlace(forecast.forecasts.get(c.id), position) };
    });
  }

  /**
   * The place of a case: one more than the cases ahead of it in its category, and when an expert
   * is expected to take it. The case need not be saved yet (intake asks before saving it).
   */
  async placeOf(c: Pick<Case, 'programmeId' | 'category' | 'queueKey' | 'region'> & { id?: string }): Promise<Place> {
    const id = c.id ?? `\u0000candidate:${c.queueKey}`;
    const self: OpenCaseRow = { id, category: c.category, ...(c.region ? { region: c.region } : {}), queueKey: c.queueKey, state: 'waiting' };
    const { forecasts, truncated } = await this.forecast(c.programmeId, self);
    const place = toPlace(forecasts.get(id), 1);
    if (!truncated) return place;
    // More open cases than one read returns: count the place, and scale the wait to it.
    const position = (await this.cases.countWaitingAhead(c.programmeId, c.category, c.queueKey)) + 1;
    const waitMinutes = Math.round((place.waitMinutes * position) / Math.max(1, place.position));
    return { ...place, position, waitMinutes, waitText: describeWait(waitMinutes) };
  }

  /**
   * A change this instance published (CaseEvents runs this before the listeners registered after
   * it, and synchronously): a newly queued case joins the shared forecast behind the others; any
   * other change to the queue (a claim, a cancellation, a release…) drops it, so the places told
   * next are read afresh.
   */
  async changed(change: CaseChangeNotice): Promise<void> {
    const read = this.openRead.get(change.after.programmeId);
    if (!read || QUEUE_UNCHANGED.includes(change.event.kind)) return;
    const c = change.after;
    if (change.event.kind !== 'case.queued' || c.state !== 'waiting') {
      this.openRead.delete(c.programmeId);
      return;
    }
    const row: OpenCaseRow = { id: c.id, category: c.category, ...(c.region ? { region: c.region } : {}), queueKey: c.queueKey, state: 'waiting' };
    if (!read.ready) read.pending.push(row);
    else this.join(c.programmeId, read, read.ready, row);
  }

  /** Adds a case queued here to the shared read; one the forecast cannot take (not behind the whole queue) drops the read. */
  private join(programmeId: string, read: OpenCasesRead, desk: Desk, row: OpenCaseRow): void {
    if (desk.rows.some((r) => r.id === row.id)) return;
    desk.rows.push(row);
    if (!desk.live.join(row) && this.openRead.get(programmeId) === read) this.openRead.delete(programmeId);
  }

  /** The forecast of every waiting case (and of `self`, if given and not among them). */
  private async forecast(programmeId: string, self?: OpenCaseRow): Promise<{ forecasts: ReadonlyMap<string, WaitForecast>; truncated: boolean }> {
    const desk = await this.shared(programmeId);
    const { live, truncated } = desk;
    const rows = self ? [...desk.rows.filter((o) => o.id !== self.id), self] : desk.rows;
    if (rows.filter((r) => r.state === 'waiting').length + desk.agents.length <= RESIMULATE_UP_TO)
      return { forecasts: forecastDesk(this.snapshotOf(rows, desk.agents, desk.recent)), truncated };
    if (!self || live.forecasts.has(self.id)) return { forecasts: live.forecasts, truncated };
    const arrival = live.arrival(self);
    if (arrival) return { forecasts: new Map([[self.id, arrival]]), truncated };
    // Not behind the whole queue (a case carried over from an earlier session, a clock ahead of
    // ours): simulated again with it.
    return { forecasts: forecastDesk(this.snapshotOf(rows, desk.agents, desk.recent)), truncated };
  }

  /** The programme's shared read and forecast: reused for OPEN_CASES_REUSE_MS (by the wall and the service clock alike); a failed read is not kept. */
  private shared(programmeId: string): Promise<Desk> {
    const wall = performance.now();
    const clockAt = this.clock.now().getTime();
    const kept = this.openRead.get(programmeId);
    if (kept && wall - kept.readAt < OPEN_CASES_REUSE_MS && Math.abs(clockAt - kept.clockAt) < OPEN_CASES_REUSE_MS && clockAt < kept.recentUntil) return kept.desk;
    const recentRows = this.recent(programmeId);
    const read: OpenCasesRead = { readAt: wall, clockAt, recentUntil: (this.recentRead?.at ?? clockAt) + HANDLING_TIMES_REUSE_MS, pending: [], desk: undefined! };
    read.desk = Promise.all([this.cases.listOpen(programmeId, OPEN_CASES_LIMIT), this.roster.onDuty(), recentRows]).then(([open, agents, recent]) => {
      const desk: Desk = { rows: [...open], agents, recent, live: liveForecast(forecastInput(this.snapshotOf(open, agents, recent))), truncated: open.length >= OPEN_CASES_LIMIT };
      read.ready = desk;
      for (const row of read.pending.splice(0)) this.join(programmeId, read, desk, row);
      return desk;
    });
    this.openRead.set(programmeId, read);
    read.desk.catch(() => {
      if (this.openRead.get(programmeId) === read) this.openRead.delete(programmeId);
    });
    return read.desk;
  }

  private snapshotOf(open: readonly OpenCaseRow[], agents: DeskSnapshot['agents'], recent: readonly RecentCaseRow[]): DeskSnapshot {
    return {
      now: this.clock.now(),
      open,
      recent,
      agents,
      defaultHandlingMinutes: new Map(this.definition.categories.map((cat) => [cat.code, cat.defaultHandlingMinutes])),
    };
  }

  /** The programme's recently closed cases, read at most once per HANDLING_TIMES_REUSE_MS; a failed read is not kept. */
  private recent(programmeId: string): Promise<RecentCaseRow[]> {
    const now = this.clock.now().getTime();
    const kept = this.recentRead;
    if (kept && now - kept.at >= 0 && now - kept.at < HANDLING_TIMES_REUSE_MS) return kept.rows;
    const rows = this.cases.listClosedSince(programmeId, new Date(now - RECENT_WINDOW_MS).toISOString(), RECENT_LIMIT);
    this.recentRead = { at: now, rows };
    rows.catch(() => {
      if (this.recentRead?.rows === rows) this.recentRead = undefined;
    });
    return rows;
  }
}

function toPlace(forecast: WaitForecast | undefined, fallbackPosition: number): Place {
  const waitMinutes = forecast?.minutes ?? 0;
  return {
    position: forecast?.position ?? fallbackPosition,
    waitMinutes,
    waitText: describeWait(waitMinutes),
    basis: forecast?.basis ?? 'default',
    agentsOnDuty: forecast?.agentsOnDuty ?? 0,
    agentsSignedIn: forecast?.agentsSignedIn ?? 0,
    handlingMinutes: forecast?.handlingMinutes ?? 0,
  };
}
