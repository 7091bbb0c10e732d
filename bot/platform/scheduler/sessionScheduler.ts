/**
 * The scheduler: session work that must happen exactly once however many service instances run
 * (a session opening, "closing soon", closing; the supervisors' summary refresh and wait alerts
 * on every tick). Each instance ticks every `tickIntervalMs`; a tick first acquires or renews the
 * lease (a Cosmos DB document written with its ETag, see ports/lease.ts), and only the holder
 * acts. Which session events have run is kept in the lease document itself, written under the
 * same ETag condition, so a new holder carries on where the old one stopped and never repeats
 * an event that finished. Time comes from the injected clock: tests run a whole session in
 * milliseconds by moving a manual clock and calling `tick()`.
 *
 * Guarantee: an event's handlers run once. If the holder dies in the middle of running them (or
 * runs them for longer than the lease lasts), the next holder runs that event again — handlers
 * should be safe to repeat (the supervisors' jobs are: they check what they already posted).
 */
import { randomBytes } from 'node:crypto';
import { openSessionAt, type CalendarInput, type SessionSlot } from '../../domain/calendar.js';
import type { Clock } from '../ports/clock.js';
import type { LeaseStore } from '../ports/lease.js';
import { log } from '../log.js';

/** What happens to a session, in order. */
export type SessionEventKind = 'opened' | 'closingSoon' | 'closed';

/** One session event, as handlers receive it. */
export interface SessionEvent {
  kind: SessionEventKind;
  session: SessionSlot;
  /** The scheduler clock's time when the event was handled (may be after the due time). */
  at: Date;
}

/** What tick handlers receive on every tick the instance holds the lease. */
export interface SchedulerTick {
  now: Date;
  /** The session open now, if any. */
  openSession?: SessionSlot;
  /** Sessions that closed recently (kept two days), newest last: reports can be retried from here. */
  recentSessions: SessionSlot[];
}

export type SessionEventHandler = (event: SessionEvent) => Promise<void> | void;
export type TickHandler = (tick: SchedulerTick) => Promise<void> | void;

/** One registered job and what it is doing: its run under way, and the session events it has run. */
interface Lane {
  busy?: Promise<void>;
  done: Set<string>;
}

const eventKey = (kind: SessionEventKind, sessionId: string) => `${sessionId}|${kind}`;

/** Tuning; the defaults suit production. */
export interface SchedulerOptions {
  /** The lease's name; default `scheduler:<programme id>`. */
  leaseName?: string;
  /** How long a lease lasts without renewal: how soon another instance takes over (default 30 s). */
  leaseDurationMs?: number;
  /** How often each instance ticks (default 5 s; at most a third of the lease duration is sensible). */
  tickIntervalMs?: number;
  /** How long before a session closes "closing soon" fires (default 15 minutes). */
  closingSoonMinutes?: number;
  /** This instance's name in the lease (default random). */
  instanceId?: string;
  /**
   * How long a round waits for its jobs (default a third of the lease, at most 10 s). A job still
   * running then — one waiting on the network, say — goes on by itself; the round carries on
   * with the other jobs and renews the lease, and that job is skipped at later ticks until it has
   * finished, so it never runs twice at once and never holds up the rest.
   */
  jobWaitMs?: number;
  /** How long stop() waits for a round under way before giving the leases up (default 2 s). */
  stopWaitMs?: number;
  onError?: (error: unknown, where: string) => void;
}

type Definition = CalendarInput & { programme: { id: string } };

interface SessionRecord {
  id: string;
  date: string;
  start: string;
  end: string;
  opensAt: string;
  closesAt: string;
  regions?: string[];
  done: SessionEventKind[];
}

interface SchedulerState {
  sessions: Record<string, SessionRecord>;
}

const KEEP_CLOSED_MS = 2 * 86_400_000;

/**
 * How long an instance counts as alive after its last heartbeat. Every instance beats on its
 * ticks (at most every 15 s) in a lease named after it; a clean stop gives it up at once.
 */
export const INSTANCE_ALIVE_MS = 60_000;
const HEARTBEAT_EVERY_MS = 15_000;

/** The lease an instance renews to say it is alive. */
export const instanceLeaseName = (instanceId: string) => `instance:${instanceId}`;

/** Whether the instance has beaten within INSTANCE_ALIVE_MS and not stopped cleanly since. */
export async function instanceAlive(leases: LeaseStore, instanceId: string, now: Date): Promise<boolean> {
  const lease = await leases.read(instanceLeaseName(instanceId));
  return !!lease && lease.holder === instanceId && Date.parse(lease.expiresAt) > now.getTime();
}
const ORDER: Record<SessionEventKind, number> = { closed: 0, opened: 1, closingSoon: 2 };

function toSlot(r: SessionRecord): SessionSlot {
  return {
    id: r.id,
    date: r.date,
    start: r.start,
    end: r.end,
    opensAt: new Date(r.opensAt),
    closesAt: new Date(r.closesAt),
    ...(r.regions ? { regions: [...r.regions] } : {}),
  };
}

function toRecord(s: SessionSlot): SessionRecord {
  return {
    id: s.id,
    date: s.date,
    start: s.start,
    end: s.end,
    opensAt: s.opensAt.toISOString(),
    closesAt: s.closesAt.toISOString(),
    ...(s.regions ? { regions: [...s.regions] } : {}),
    done: [],
  };
}

function readState(raw: Record<string, unknown>): SchedulerState {
  const sessions = (raw.sessions && typeof raw.sessions === 'object' ? raw.sessions : {}) as Record<string, SessionRecord>;
  return { sessions: JSON.parse(JSON.stringify(sessions)) as Record<string, SessionRecord> };
}

/** Waits for the promise, but no longer than `ms` (at once when `ms` ≤ 0). */
async function waitAtMost(promise: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!promise) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.then(() => undefined, () => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))))]);
  clearTimeout(timer);
}

/** One instance's scheduler. */
export class SessionScheduler {
  readonly instanceId: string;
  readonly leaseName: string;
  readonly leaseDurationMs: number;
  readonly tickIntervalMs: number;
  readonly closingSoonMs: number;
  readonly jobWaitMs: number;
  private readonly stopWaitMs: number;
  private readonly sessionHandlers = new Map<SessionEventHandler, Lane>();
  private readonly tickHandlers = new Map<TickHandler, Lane>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private holding = false;
  private lastBeat: number | undefined;

  constructor(
    private readonly definition: Definition,
    private readonly leases: LeaseStore,
    private readonly clock: Clock,
    private readonly options: SchedulerOptions = {},
  ) {
    this.instanceId = options.instanceId ?? `instance-${randomBytes(4).toString('hex')}`;
    this.leaseName = options.leaseName ?? `scheduler:${definition.programme.id}`;
    this.leaseDurationMs = options.leaseDurationMs ?? 30_000;
    this.tickIntervalMs = options.tickIntervalMs ?? 5_000;
    this.closingSoonMs = (options.closingSoonMinutes ?? 15) * 60_000;
    this.jobWaitMs = options.jobWaitMs ?? Math.min(10_000, Math.floor(this.leaseDurationMs / 3));
    this.stopWaitMs = options.stopWaitMs ?? 2_000;
  }

  /** Registers a job for session events (opened, closing soon, closed); returns its removal. */
  onSessionEvent(handler: SessionEventHandler): () => void {
    this.sessionHandlers.set(handler, { done: new Set() });
    return () => this.sessionHandlers.delete(handler);
  }

  /** Registers a job that runs on every tick this instance holds the lease; returns its removal. */
  onTick(handler: TickHandler): () => void {
    this.tickHandlers.set(handler, { done: new Set() });
    return () => this.tickHandlers.delete(handler);
  }

  /** Whether this instance held the lease at its last tick. */
  get isHolder(): boolean {
    return this.holding;
  }

  /**
   * One round: acquire or renew the lease; when held, run the session events that are due (each
   * recorded in the lease when its handlers have run), then the tick handlers. Ticks of one
   * instance never overlap: a call while one runs waits for it and then runs its own.
   */
  async tick(): Promise<{ held: boolean; events: SessionEvent[] }> {
    const previous = this.running ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.round());
    this.running = mine;
    try {
      return await mine;
    } finally {
      if (this.running === mine) this.running = undefined;
    }
  }

  /** Starts ticking every `tickIntervalMs` (the first tick at once). */
  start(): void {
    this.stopped = false;
    const loop = async () => {
      await this.tick().catch((error) => this.report(error, 'tick'));
      if (!this.stopped) {
        this.timer = setTimeout(() => void loop(), this.tickIntervalMs);
        this.timer.unref?.();
      }
    };
    void loop();
  }

  /**
   * Stops ticking. A clean stop (the default) gives the lease up so another instance takes over
   * at its next tick; `release: false` stops as a crash would, leaving the lease to expire.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    // A round under way is bounded by the job wait; a stop waits less. A round that goes on after
    // this writes no lease any more (it checks `stopped` before each write).
    await waitAtMost(this.running?.catch(() => undefined), this.stopWaitMs);
    if (options.release !== false && this.holding) {
      this.holding = false;
      await this.leases.release(this.leaseName, this.instanceId).catch((error) => this.report(error, 'release'));
    }
    if (options.release !== false && this.lastBeat !== undefined) {
      // What this instance was still sending is taken over by another at once, not after a minute.
      await this.leases.release(instanceLeaseName(this.instanceId), this.instanceId).catch((error) => this.report(error, 'release'));
    }
    this.holding = false;
    this.lastBeat = undefined;
  }

  private report(error: unknown, where: string): void {
    if (this.options.onError) this.options.onError(error, where);
    else log.error({ err: error, component: 'scheduler', where }, 'scheduled work failed');
  }

  private async round(): Promise<{ held: boolean; events: SessionEvent[] }> {
    let now = this.clock.now();
    await this.beat(now).catch((error) => this.report(error, 'heartbeat'));
    let grant = await this.leases.acquire(this.leaseName, this.instanceId, now, this.leaseDurationMs);
    this.holding = !!grant;
    if (!grant) return { held: false, events: [] };

    const state = readState(grant.state);
    const open = openSessionAt(this.definition, now);
    if (open && !state.sessions[open.id]) {
      state.sessions[open.id] = toRecord(open);
      grant = await this.leases.acquire(this.leaseName, this.instanceId, now, this.leaseDurationMs, state as unknown as Record<string, unknown>);
      if (!grant) return this.lost();
    }

    // Session events, oldest first; each job in turn, waited for until the round's deadline. A job
    // still running then is left to finish by itself (and skipped until it has); an event is
    // recorded in the lease once every job has run it, so a new holder repeats only unfinished ones.
    const deadline = Date.now() + this.jobWaitMs;
    const due = this.due(state, now);
    const ran: SessionEvent[] = [];
    for (const { kind, record } of due) {
      const event: SessionEvent = { kind, session: toSlot(record), at: now };
      const key = eventKey(kind, record.id);
      for (const [handler, lane] of this.sessionHandlers) {
        if (lane.done.has(key) || lane.busy || this.stopped) continue;
        await this.runJob(lane, `session ${kind} ${record.id}`, () => handler(event), deadline, () => lane.done.add(key));
      }
      if (![...this.sessionHandlers.values()].every((lane) => lane.done.has(key))) continue;
      record.done.push(kind);
      ran.push(event);
    }
    if (ran.length) {
      if (this.stopped) return { held: false, events: ran };
      now = this.clock.now();
      grant = await this.leases.acquire(this.leaseName, this.instanceId, now, this.leaseDurationMs, state as unknown as Record<string, unknown>);
      if (!grant) return { ...(await this.lost()), events: ran };
      for (const e of ran) for (const lane of this.sessionHandlers.values()) lane.done.delete(eventKey(e.kind, e.session.id));
    }

    // Forget sessions long closed, so the lease document stays small.
    let pruned = false;
    for (const [id, r] of Object.entries(state.sessions)) {
      if (r.done.includes('closed') && Date.parse(r.closesAt) < now.getTime() - KEEP_CLOSED_MS) {
        delete state.sessions[id];
        pruned = true;
      }
    }
    if (pruned && !this.stopped) {
      grant = await this.leases.acquire(this.leaseName, this.instanceId, now, this.leaseDurationMs, state as unknown as Record<string, unknown>);
      if (!grant) return { ...(await this.lost()), events: ran };
    }

    const current = open ? state.sessions[open.id] : undefined;
    const tick: SchedulerTick = {
      now,
      ...(current ? { openSession: toSlot(current) } : {}),
      recentSessions: Object.values(state.sessions)
        .filter((r) => Date.parse(r.closesAt) <= now.getTime())
        .sort((a, b) => a.closesAt.localeCompare(b.closesAt))
        .map(toSlot),
    };
    for (const [handler, lane] of this.tickHandlers) {
      if (lane.busy || this.stopped) continue;
      await this.runJob(lane, 'tick handler', () => handler(tick), deadline);
    }
    return { held: true, events: ran };
  }

  /**
   * Starts a job in its lane and waits for it until the deadline (real time: it bounds waiting on
   * the network, not the programme's clock). Errors are reported, and count as having run.
   */
  private async runJob(lane: Lane, where: string, job: () => Promise<void> | void, deadline: number, ran?: () => void): Promise<void> {
    const run = (async () => {
      try {
        await job();
      } catch (error) {
        this.report(error, where);
      }
      ran?.();
    })();
    lane.busy = run.finally(() => {
      if (lane.busy === busy) lane.busy = undefined;
    });
    const busy = lane.busy;
    await waitAtMost(run, deadline - Date.now());
  }

  /** Says this instance is alive (every instance, holder or not), at most every HEARTBEAT_EVERY_MS. */
  private async beat(now: Date): Promise<void> {
    const t = now.getTime();
    if (this.lastBeat !== undefined && t >= this.lastBeat && t - this.lastBeat < HEARTBEAT_EVERY_MS) return;
    await this.leases.acquire(instanceLeaseName(this.instanceId), this.instanceId, now, INSTANCE_ALIVE_MS);
    this.lastBeat = t;
  }

  private async lost(): Promise<{ held: false; events: SessionEvent[] }> {
    this.holding = false;
    return { held: false, events: [] };
  }

  /** The events due now, oldest session first; within a session closed, opened, closing soon. */
  private due(state: SchedulerState, now: Date): { kind: SessionEventKind; record: SessionRecord }[] {
    const t = now.getTime();
    const out: { kind: SessionEventKind; record: SessionRecord; opensAt: number }[] = [];
    for (const record of Object.values(state.sessions)) {
      const opensAt = Date.parse(record.opensAt);
      const closesAt = Date.parse(record.closesAt);
      const push = (kind: SessionEventKind) => {
        if (!record.done.includes(kind)) out.push({ kind, record, opensAt });
      };
      if (t >= closesAt) {
        // A session whose opening was never handled (the service was down) still gets its report.
        push('closed');
      } else if (t >= opensAt) {
        push('opened');
        if (t >= closesAt - this.closingSoonMs) push('closingSoon');
      }
    }
    return out
      .sort((a, b) => (a.kind === 'closed') !== (b.kind === 'closed') ? (a.kind === 'closed' ? -1 : 1) : a.opensAt - b.opensAt || ORDER[a.kind] - ORDER[b.kind])
      .map(({ kind, record }) => ({ kind, record }));
  }
}
