/**
 * The one way a saved change to a case is made known: `CaseEvents.publish`. It builds the queue
 * event the agents' tabs read (only what a queue row needs: no personal details), appends it to
 * the live event log, then hands the change to the listeners the composition root registered
 * (bot/service.ts: what the ratepayer is told, RatepayerUpdates), in the order given.
 *
 * One error policy, for every change: the change is already saved when it is published, so
 * nothing here fails it. An event the log does not take is logged (the other instances' tabs
 * catch up at their next reload or reconnect) and the listeners still run; a listener that fails
 * is logged and the others still run. Listeners run after `publish` returns, so an agent's click
 * or a ratepayer's turn is not held up by Teams' pace.
 *
 * Listeners may also write on the change itself (`outbox`): what the ratepayer is told with a
 * change is put on the case's transcript in the change's own write, so no crash between saving
 * the change and noting the message can lose it, and it is delivered once the change is saved.
 */
import type { Case, TranscriptEntry } from '../../domain/case.js';
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';
import type { NewQueueEvent, QueueEvent, QueueEventKind, QueueEventPublisher } from '../ports/queueEvents.js';
import { toQueueItem, toWorkItem } from '../../agents/caseViews.js';
import { log as rootLog } from '../log.js';

/** A change to a case, as saved: what it was (`before`, absent for a new case or a message) and is. */
export interface PublishedChange {
  kind: QueueEventKind;
  before?: Case;
  after: Case;
  /** Who made it, as the tabs see it: no ratepayer's name or channel id. */
  by: QueueEvent['by'];
  /** When it happened, when not the case's `updatedAt` (a message's own time). */
  at?: string;
}

/** What a listener gets: the change and the event the tabs were sent. */
export interface CaseChangeNotice extends PublishedChange {
  event: NewQueueEvent;
}

/** Someone who acts on saved changes to cases; registered in the composition root. */
export interface CaseEventListener {
  /** Named in the log when it fails. */
  readonly name: string;
  /**
   * Transcript entries to write with a change of this kind, in the change's own write (the
   * change's outbox); none for most kinds. Pure: it runs again when the write is retried.
   */
  outbox?(kind: QueueEventKind, after: Case, now: Date): TranscriptEntry[];
  /** Acts on a saved change, after it is published. */
  changed(change: CaseChangeNotice): Promise<void>;
}

/** The queue event of a change: what the agents' tabs need, nothing personal. */
function queueEventOf(definition: ServiceDefinition, change: PublishedChange): NewQueueEvent {
  const { kind, before, after } = change;
  const queued = after.state === 'waiting' ? toQueueItem(after, definition) : undefined;
  const working = toWorkItem(after, definition);
  return {
    kind,
    at: change.at ?? after.updatedAt,
    reference: after.id,
    category: after.category,
    ...(before && before.category !== after.category ? { previousCategory: before.category } : {}),
    // The case's own version: a tab ignores an event older than what it has.
    version: after.updatedAt,
    ...(queued ? { queued } : {}),
    ...(working ? { working } : {}),
    // For a conversation update: the expert whose case page shows it (also after the case closed).
    ...(kind === 'case.message' && after.assignedTo ? { expert: after.assignedTo.staffId } : {}),
    // For a referred case: its back-office team, whose members' tabs may have its page open.
    ...(after.referral ? { team: after.referral.team.code } : {}),
    by: change.by,
  };
}

/** The publish path. */
export class CaseEvents {
  /** Settles when the listeners of every change published so far have run (for tests and shutdown). */
  idle: Promise<void> = Promise.resolve();
  private readonly listeners: CaseEventListener[] = [];

  constructor(
    private readonly definition: ServiceDefinition,
    /** The live event log (LiveQueueEvents): this instance's tabs at once, other instances' through the `events` container. */
    private readonly eventLog: QueueEventPublisher,
    private readonly log = rootLog.child({ component: 'case-events' }),
  ) {}

  /** Registers listeners, run in the order registered (the composition root's explicit list). */
  listen(...listeners: CaseEventListener[]): this {
    this.listeners.push(...listeners);
    return this;
  }

  /** The case with what the listeners write with a change of this kind (see CaseEventListener.outbox). */
  withOutbox(kind: QueueEventKind, after: Case, now: Date): Case {
    const entries = this.listeners.flatMap((l) => l.outbox?.(kind, after, now) ?? []);
    return entries.length ? { ...after, transcript: [...(after.transcript ?? []), ...entries] } : after;
  }

  /** Makes a saved change known (see the error policy above); never throws. */
  async publish(change: PublishedChange): Promise<void> {
    const event = queueEventOf(this.definition, change);
    try {
      await this.eventLog.publish(event);
    } catch (error) {
      // Saved all the same: other tabs catch up at their next reload; the listeners still run.
      this.log.error({ err: error, kind: event.kind, reference: event.reference }, 'a case event was not published');
    }
    if (this.listeners.length === 0) return;
    const notice: CaseChangeNotice = { ...change, event };
    const ran = (async () => {
      for (const listener of this.listeners) {
        try {
          await listener.changed(notice);
        } catch (error) {
          this.log.error({ err: error, listener: listener.name, kind: event.kind, reference: event.reference }, 'a listener of a case change failed');
        }
      }
    })();
    this.idle = Promise.all([this.idle, ran]).then(() => undefined);
  }
}
