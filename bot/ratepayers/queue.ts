/** A waiting case's place in its category queue and the estimated wait. */
import type { Case } from '../domain/case.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import { forecastDesk, type DeskSnapshot, type OpenCaseRow, type RecentCaseRow, type WaitForecast } from '../domain/waitEstimate.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
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
 * programme (one query: other categories' cases matter, shared agents take them too), the agents
 * on duty (the roster, from presence) and the recently closed cases (one query per half minute).
 */
export class QueueService {
  private recentRead: { at: number; rows: Promise<RecentCaseRow[]> } | undefined;

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
    const [waiting, forecast] = await Promise.all([this.cases.listWaiting(programmeId, codes, limit), this.forecast(programmeId)]);
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

  /** The forecast of every waiting case (and `self`, if given and not among them). */
  private async forecast(programmeId: string, self?: OpenCaseRow): Promise<{ forecasts: Map<string, WaitForecast>; truncated: boolean }> {
    const [open, agents, recent] = await Promise.all([this.cases.listOpen(programmeId, OPEN_CASES_LIMIT), this.roster.onDuty(), this.recent(programmeId)]);
    const truncated = open.length >= OPEN_CASES_LIMIT;
    const rows = self ? [...open.filter((o) => o.id !== self.id), self] : open;
    const snapshot: DeskSnapshot = {
      now: this.clock.now(),
      open: rows,
      recent,
      agents,
      defaultHandlingMinutes: new Map(this.definition.categories.map((cat) => [cat.code, cat.defaultHandlingMinutes])),
    };
    return { forecasts: forecastDesk(snapshot), truncated };
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
