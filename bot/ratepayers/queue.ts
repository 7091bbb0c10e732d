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

/**
 * A read older than this (by the wall) that serves a submission starts the next read in the
 * background, which takes over once it is in: at a steady flow of submissions none of them waits
 * for the read (two queries and a simulation of every open case, the slowest submissions of the
 * paced bench before: docs/performance.md, "Issue 15, before and after"), and none is answered
 * from a read older than OPEN_CASES_REUSE_MS.
 */
export const READ_AHEAD_MS = 1_000;

/**
 * How long a read that found more open cases than OPEN_CASES_LIMIT serves instead. Waits in such a
 * queue run to hours (a place beyond the read is counted with a query and its wait scaled), so a
 * forecast ten seconds old tells the same; and reading a thousand cases a second is work the
 * database would do for nothing (docs/performance.md, "Issue 15, before and after").
 */
export const LONG_QUEUE_REUSE_MS = 10_000;

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
  /** The same rows by case id, and how many of them are waiting: a submission looks itself up and counts the queue without a pass over hundreds of rows. */
  byId: Map<string, OpenCaseRow>;
  waiting: number;
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
  /** By programme: the read started ahead (READ_AHEAD_MS), until it takes over. */
  private readonly nextRead = new Map<string, OpenCasesRead>();

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly roster: DutyRoster,
    private readonly clock: Clock = systemClock,
    /** Open cases one read returns at most (OPEN_CASES_LIMIT; smaller in tests of a long queue). */
    private readonly openCasesLimit = OPEN_CASES_LIMIT,
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
    if (QUEUE_UNCHANGED.includes(change.event.kind)) return;
    const c = change.after;
    const reads = [this.openRead.get(c.programmeId), this.nextRead.get(c.programmeId)].filter((r) => r !== undefined);
    if (reads.length === 0) return;
    if (change.event.kind !== 'case.queued' || c.state !== 'waiting') {
      this.openRead.delete(c.programmeId);
      this.nextRead.delete(c.programmeId);
      return;
    }
    const row: OpenCaseRow = { id: c.id, category: c.category, ...(c.region ? { region: c.region } : {}), queueKey: c.queueKey, state: 'waiting' };
    // Both the read in use and the one being read ahead (which may have been queried before this case was saved).
    for (const read of reads) {
      if (!read.ready) read.pending.push(row);
      else this.join(c.programmeId, read, read.ready, row);
    }
  }

  /** Adds a case queued here to a shared read; one the forecast cannot take (not behind the whole queue) drops the read. */
  private join(programmeId: string, read: OpenCasesRead, desk: Desk, row: OpenCaseRow): void {
    if (desk.byId.has(row.id)) return;
    desk.rows.push(row);
    desk.byId.set(row.id, row);
    if (row.state === 'waiting') desk.waiting++;
    if (desk.live.join(row)) return;
    if (this.openRead.get(programmeId) === read) this.openRead.delete(programmeId);
    if (this.nextRead.get(programmeId) === read) this.nextRead.delete(programmeId);
  }

  /** The forecast of every waiting case (and of `self`, if given and not among them). */
  private async forecast(programmeId: string, self?: OpenCaseRow): Promise<{ forecasts: ReadonlyMap<string, WaitForecast>; truncated: boolean }> {
    const desk = await this.shared(programmeId);
    const { live, truncated } = desk;
    const rows = () => (self ? [...desk.rows.filter((o) => o.id !== self.id), self] : desk.rows);
    const before = self && desk.byId.get(self.id);
    const waiting = desk.waiting + (self?.state === 'waiting' ? 1 : 0) - (before?.state === 'waiting' ? 1 : 0);
    if (waiting + desk.agents.length <= RESIMULATE_UP_TO) return { forecasts: forecastDesk(this.snapshotOf(rows(), desk.agents, desk.recent)), truncated };
    if (!self || live.forecasts.has(self.id)) return { forecasts: live.forecasts, truncated };
    const arrival = live.arrival(self);
    if (arrival) return { forecasts: new Map([[self.id, arrival]]), truncated };
    // Not behind the whole queue (a case carried over from an earlier session, a clock ahead of
    // ours): simulated again with it.
    return { forecasts: forecastDesk(this.snapshotOf(rows(), desk.agents, desk.recent)), truncated };
  }

  /**
   * The programme's shared read and forecast: reused for OPEN_CASES_REUSE_MS (by the wall and the
   * service clock alike), the next one read ahead from READ_AHEAD_MS; a failed read is not kept.
   */
  private shared(programmeId: string): Promise<Desk> {
    const wall = performance.now();
    const clockAt = this.clock.now().getTime();
    const reuse = (read: OpenCasesRead) => (read.ready?.truncated ? LONG_QUEUE_REUSE_MS : OPEN_CASES_REUSE_MS);
    const fresh = (read: OpenCasesRead | undefined): read is OpenCasesRead =>
      !!read && wall - read.readAt < reuse(read) && Math.abs(clockAt - read.clockAt) < reuse(read) && clockAt < read.recentUntil;
    const kept = this.openRead.get(programmeId);
    if (fresh(kept)) {
      if (wall - kept.readAt >= reuse(kept) - (OPEN_CASES_REUSE_MS - READ_AHEAD_MS) && !this.nextRead.has(programmeId) && kept.ready) this.readAhead(programmeId);
      return kept.desk;
    }
    const next = this.nextRead.get(programmeId);
    this.nextRead.delete(programmeId);
    if (fresh(next)) {
      this.openRead.set(programmeId, next);
      next.desk.catch(() => {
        if (this.openRead.get(programmeId) === next) this.openRead.delete(programmeId);
      });
      return next.desk;
    }
    const read = this.read(programmeId);
    this.openRead.set(programmeId, read);
    read.desk.catch(() => {
      if (this.openRead.get(programmeId) === read) this.openRead.delete(programmeId);
    });
    return read.desk;
  }

  /** Starts the next read in the background; it serves from when it is in (or from when the one in use expires). */
  private readAhead(programmeId: string): void {
    const read = this.read(programmeId);
    this.nextRead.set(programmeId, read);
    read.desk.then(
      () => {
        if (this.nextRead.get(programmeId) !== read) return;
        this.nextRead.delete(programmeId);
        this.openRead.set(programmeId, read);
      },
      () => {
        if (this.nextRead.get(programmeId) === read) this.nextRead.delete(programmeId);
      },
    );
  }

  /** One read of the open cases, the agents on duty and the recently closed cases, and the forecast made from them. */
  private read(programmeId: string): OpenCasesRead {
    const wall = performance.now();
    const clockAt = this.clock.now().getTime();
    const recentRows = this.recent(programmeId);
    const read: OpenCasesRead = { readAt: wall, clockAt, recentUntil: (this.recentRead?.at ?? clockAt) + HANDLING_TIMES_REUSE_MS, pending: [], desk: undefined! };
    read.desk = Promise.all([this.cases.listOpen(programmeId, this.openCasesLimit), this.roster.onDuty(), recentRows]).then(([open, agents, recent]) => {
      const desk: Desk = {
        rows: [...open],
        byId: new Map(open.map((r) => [r.id, r])),
        waiting: open.filter((r) => r.state === 'waiting').length,
        agents,
        recent,
        live: liveForecast(forecastInput(this.snapshotOf(open, agents, recent))),
        truncated: open.length >= this.openCasesLimit,
      };
      read.ready = desk;
      for (const row of read.pending.splice(0)) this.join(programmeId, read, desk, row);
      return desk;
    });
    return read;
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
