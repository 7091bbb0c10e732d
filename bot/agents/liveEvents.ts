/**
 * Live queue events across instances. Every instance appends the events it causes to the shared
 * log (the `events` container) and hands them to its own listeners at once; while it has
 * listeners it also reads the log every `pollIntervalMs` for the events other instances caused.
 * The same path runs against the embedded server and against Azure Cosmos DB (see docs/api.md,
 * "Live events", for why production polls rather than reading the change feed).
 */
import { randomBytes } from 'node:crypto';
import type { NewQueueEvent, QueueEvent, QueueEventLog, QueueEventPublisher } from '../platform/ports/queueEvents.js';

/** A function that receives events. */
export type QueueEventListener = (event: QueueEvent) => void;

/** The answer to "what did I miss since this event?". */
export type Replay = { kind: 'events'; events: QueueEvent[] } | { kind: 'reset'; reason: string };

/** Tuning; the defaults suit production and tests alike. */
export interface LiveEventOptions {
  /** How often the log is read for other instances' events while anyone listens. */
  pollIntervalMs?: number;
  /**
   * How far back each read looks. Instances' clocks differ a little and an append can take a
   * moment to become visible, so every read re-reads this window and skips what it has seen.
   */
  overlapMs?: number;
  /** Catching up further back than this is a reload instead. */
  replayWindowMs?: number;
  /** The most events one catch-up replays. */
  replayLimit?: number;
  /** Wall-clock time for event ids (not the service clock: ids order the log). */
  wallClock?: () => number;
  onError?: (error: unknown) => void;
}

const ID_TIME_LENGTH = 24; // 2024-01-01T00:00:00.000Z

/** The time part of an event id. */
function timeOfId(id: string): number {
  return Date.parse(id.slice(0, ID_TIME_LENGTH));
}

/** The event hub of one instance. */
export class LiveQueueEvents implements QueueEventPublisher {
  readonly instanceId = randomBytes(4).toString('hex');
  private counter = 0;
  private readonly listeners = new Set<QueueEventListener>();
  /** Ids delivered recently, with their time, so overlapping reads do not deliver twice. */
  private readonly seen = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;
  private readonly pollIntervalMs: number;
  private readonly overlapMs: number;
  private readonly replayWindowMs: number;
  private readonly replayLimit: number;
  private readonly wallClock: () => number;

  constructor(
    private readonly log: QueueEventLog,
    private readonly options: LiveEventOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 400;
    this.overlapMs = options.overlapMs ?? 5_000;
    this.replayWindowMs = options.replayWindowMs ?? 15 * 60_000;
    this.replayLimit = options.replayLimit ?? 500;
    this.wallClock = options.wallClock ?? Date.now;
  }

  /** Gives the event an id, appends it to the shared log and delivers it here at once. */
  async publish(event: NewQueueEvent): Promise<void> {
    const id = `${new Date(this.wallClock()).toISOString()}_${this.instanceId}_${(this.counter++).toString(36).padStart(6, '0')}`;
    const full: QueueEvent = { id, ...event };
    this.seen.set(id, timeOfId(id));
    try {
      await this.log.append(full);
    } finally {
      // Even when the log write failed, this instance's own tabs hear of the change.
      this.deliver(full);
    }
  }

  /** Starts delivering events to the listener; returns the function that stops it. */
  subscribe(listener: QueueEventListener): () => void {
    this.listeners.add(listener);
    this.schedule();
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** How many listeners this instance has (open tabs' streams). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /**
   * The events after `lastEventId` (a tab reconnecting). The window before it is read again, so
   * the answer may include events the tab already has: tabs ignore ids and versions they know.
   */
  async replay(lastEventId: string): Promise<Replay> {
    const at = timeOfId(lastEventId);
    if (!Number.isFinite(at)) return { kind: 'reset', reason: 'unknown event id' };
    if (this.wallClock() - at > this.replayWindowMs) return { kind: 'reset', reason: 'too long ago' };
    const events = await this.log.after(new Date(at - this.overlapMs).toISOString(), this.replayLimit);
    if (events.length >= this.replayLimit) return { kind: 'reset', reason: 'too many events' };
    return { kind: 'events', events: events.filter((e) => e.id !== lastEventId) };
  }

  /** Stops polling; listeners get nothing more. */
  close(): void {
    this.closed = true;
    this.listeners.clear();
    if (this.timer) clearTimeout(this.timer);
  }

  private deliver(event: QueueEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }

  private schedule(): void {
    if (this.timer || this.closed || this.listeners.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll().finally(() => this.schedule());
    }, this.pollIntervalMs);
    this.timer.unref();
  }

  /** Reads the recent window of the log and delivers what this instance has not seen. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const now = this.wallClock();
      const from = new Date(now - this.overlapMs).toISOString();
      const events = await this.log.after(from, this.replayLimit);
      for (const event of events) {
        if (this.seen.has(event.id)) continue;
        this.seen.set(event.id, timeOfId(event.id));
        this.deliver(event);
      }
      for (const [id, at] of this.seen) if (at < now - 2 * this.overlapMs) this.seen.delete(id);
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.polling = false;
    }
  }
}
