/** The queue the tab shows, kept current by applying live events to the last snapshot. */
import type { QueueEvent, QueueItem, QueueView, StaffIdentity, WorkItem } from '../../bot/platform/contract/tabApi.js';
import type { QueueEventKind } from '../../bot/platform/ports/queueEvents.js';

/** What the queue page shows. */
export interface QueueState {
  waiting: QueueItem[];
  mine: WorkItem[];
  others: WorkItem[];
  /** The newest version seen per case, so a late, older event changes nothing. */
  versions: Record<string, string>;
  /** Service time minus this browser's time, for ticking waits. */
  clockOffsetMs: number;
  /**
   * Per case that left this person's waiting list on a live event, that event's kind: what a row
   * kept in place under the pointer says about it (moved to another queue, cancelled…).
   */
  left: Record<string, QueueEventKind>;
}

/** The empty state before the first snapshot. */
export const emptyQueue: QueueState = { waiting: [], mine: [], others: [], versions: {}, clockOffsetMs: 0, left: {} };

// Plain code-unit order: ISO times written alike sort as strings do, as the store sorts its queue
// keys; localeCompare would first build a collator, a cost paid on the first render of the queue.
const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byWait = (a: { waitingSince: string; reference: string }, b: { waitingSince: string; reference: string }) =>
  ordinal(a.waitingSince, b.waitingSince) || ordinal(a.reference, b.reference);

/** The state from a fresh snapshot (versions seen so far are kept). */
export function fromSnapshot(view: QueueView, previous: QueueState): QueueState {
  return {
    waiting: [...view.waiting].sort(byWait),
    mine: view.mine,
    others: view.others,
    versions: previous.versions,
    clockOffsetMs: Date.parse(view.serverTime) - Date.now(),
    left: previous.left,
  };
}

/** Applies one event for the person with the given queue categories. */
export function applyEvent(state: QueueState, event: QueueEvent, staff: StaffIdentity, categories: readonly string[]): QueueState {
  const known = state.versions[event.reference];
  if (known && known > event.version) return state;
  const ref = event.reference;
  const waiting = state.waiting.filter((i) => i.reference !== ref);
  const wasWaiting = waiting.length < state.waiting.length;
  const mine = state.mine.filter((i) => i.reference !== ref);
  const others = state.others.filter((i) => i.reference !== ref);
  if (event.queued && categories.includes(event.queued.category)) waiting.push(event.queued);
  if (event.working) {
    if (event.working.assignedTo.staffId === staff.id) mine.push(event.working);
    else if (staff.role === 'supervisor' || categories.includes(event.working.category)) others.push(event.working);
  }
  const leftNow = wasWaiting && !waiting.some((i) => i.reference === ref);
  return {
    ...state,
    waiting: waiting.sort(byWait),
    mine: mine.sort(byWait),
    others: others.sort(byWait),
    versions: { ...state.versions, [ref]: event.version },
    left: leftNow ? { ...state.left, [ref]: event.kind } : state.left,
  };
}

/** A row of the waiting list as shown: the case, and whether it has left the queue since. */
export interface ShownRow {
  item: QueueItem;
  /** No longer waiting: kept in its place, greyed and without its Claim button, while the list is held. */
  gone: boolean;
}

/**
 * The rows the waiting list shows, given the rows it showed last (tester 11, finding 3: rows moved
 * up under a still pointer as colleagues claimed the cases above, and the click claimed a
 * neighbour). `held` (the expert's pointer or keyboard focus is on the list, or was a moment
 * ago): every row shown keeps its place, a case no longer waiting stays as a gone row (a case that
 * comes back is live again in the same place), and new arrivals go at the bottom, below every
 * row, so no row moves. Not held: the waiting cases as they are, oldest first.
 */
export function steadyRows(previous: readonly ShownRow[], waiting: readonly QueueItem[], held: boolean): ShownRow[] {
  if (!held) return waiting.map((item) => ({ item, gone: false }));
  const live = new Map(waiting.map((item) => [item.reference, item]));
  const rows = previous.map((row): ShownRow => {
    const now = live.get(row.item.reference);
    return now ? { item: now, gone: false } : { item: row.item, gone: true };
  });
  const shown = new Set(previous.map((row) => row.item.reference));
  for (const item of waiting) if (!shown.has(item.reference)) rows.push({ item, gone: false });
  return rows;
}
