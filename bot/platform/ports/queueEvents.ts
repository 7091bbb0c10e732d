/**
 * Queue events: what the agents' tabs need to stay current without reloading (a case queued,
 * claimed, released, transferred, resolved or cancelled). Every instance appends the events it
 * causes to a shared log and reads the log for the events other instances caused.
 */
import type { StaffRole } from '../../domain/access.js';

/** What happened to a case. */
export type QueueEventKind =
  | 'case.queued'
  | 'case.claimed'
  | 'case.released'
  | 'case.transferred'
  | 'case.resolved'
  | 'case.cancelled'
  | 'case.noted'
  /** The ratepayer corrected their details while waiting or asked to end the chat, or the expert turned translation off or on: the case page reloads. */
  | 'case.updated'
  /** A message was added to the conversation (or its delivery settled): the case page reloads it. */
  | 'case.message'
  | 'case.no_show'
  /** Issue 20: a dispute lodged, an arrangement or an ESP registration recorded (the case page reloads; the ratepayer gets the receipt). */
  | 'case.dispute_lodged'
  | 'case.arrangement_recorded'
  | 'case.esp_registered';

/**
 * A waiting case as a queue shows it: only what picking a case needs (POPIA: no name, no
 * contact details, no ID number).
 */
export interface QueueItem {
  reference: string;
  category: string;
  categoryName: string;
  region?: string;
  /** When the case joined the queue; kept across release and transfer. */
  waitingSince: string;
  waitLimitMinutes: number;
  /** Set when the case came back to the queue (released or transferred). */
  returned?: 'released' | 'transferred';
  /** Carried over from a session that closed with it waiting: it goes first. */
  carriedOver?: boolean;
  /** The ratepayer asked to be called back then (ISO instant), on the number they gave. */
  callbackAt?: string;
  /** The ratepayer's language (issue 16: en, zu, af, …), so the expert sees it before claiming. */
  language?: string;
}

/** A case someone is working on, as lists of cases in progress show it. */
export interface WorkItem {
  reference: string;
  category: string;
  categoryName: string;
  waitingSince: string;
  assignedTo: { staffId: string; name: string; since: string };
}

/** One event about one case. */
export interface QueueEvent {
  /** Sortable, unique across instances: the time it was appended, the instance and a counter. */
  id: string;
  kind: QueueEventKind;
  /** When the change happened (the service clock). */
  at: string;
  reference: string;
  category: string;
  /** For transfers: the category the case left. */
  previousCategory?: string;
  /** The case's updatedAt after the change: lets a tab ignore an older event that arrives late. */
  version: string;
  /** Present when the case is waiting after the change. */
  queued?: QueueItem;
  /** Present when the case is being worked on after the change. */
  working?: WorkItem;
  /** For case.message: the expert on the case (also after it closed), whose case page shows the conversation. */
  expert?: string;
  /**
   * The back-office team (its code) the case is referred to, while it has a referral (issue 19):
   * the team's members receive the event, so the referral's page open in their tab shows what a
   * colleague or a supervisor decided or changed (tester 11, finding 9).
   */
  team?: string;
  by: { kind: 'ratepayer' | 'staff' | 'system'; id: string; name: string; role?: StaffRole };
}

/** An event before the log gives it its id. */
export type NewQueueEvent = Omit<QueueEvent, 'id'>;

/** Where the services report queue changes. */
export interface QueueEventPublisher {
  publish(event: NewQueueEvent): Promise<void>;
}

/** The shared, append-only event log (the `events` container). */
export interface QueueEventLog {
  append(event: QueueEvent): Promise<void>;
  /** Events with an id greater than `afterId`, oldest first, at most `limit`. */
  after(afterId: string, limit: number): Promise<QueueEvent[]>;
}

/** A publisher that drops events: for callers built without live updates. */
export const noQueueEvents: QueueEventPublisher = { publish: async () => undefined };
