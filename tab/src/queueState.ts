/** The queue the tab shows, kept current by applying live events to the last snapshot. */
import type { QueueEvent, QueueItem, QueueView, StaffIdentity, WorkItem } from '../../bot/platform/contract/tabApi.js';

/** What the queue page shows. */
export interface QueueState {
  waiting: QueueItem[];
  mine: WorkItem[];
  others: WorkItem[];
  /** The newest version seen per case, so a late, older event changes nothing. */
  versions: Record<string, string>;
  /** Service time minus this browser's time, for ticking waits. */
  clockOffsetMs: number;
}

/** The empty state before the first snapshot. */
export const emptyQueue: QueueState = { waiting: [], mine: [], others: [], versions: {}, clockOffsetMs: 0 };

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
  };
}

/** Applies one event for the person with the given queue categories. */
export function applyEvent(state: QueueState, event: QueueEvent, staff: StaffIdentity, categories: readonly string[]): QueueState {
  const known = state.versions[event.reference];
  if (known && known > event.version) return state;
  const ref = event.reference;
  const waiting = state.waiting.filter((i) => i.reference !== ref);
  const mine = state.mine.filter((i) => i.reference !== ref);
  const others = state.others.filter((i) => i.reference !== ref);
  if (event.queued && categories.includes(event.queued.category)) waiting.push(event.queued);
  if (event.working) {
    if (event.working.assignedTo.staffId === staff.id) mine.push(event.working);
    else if (staff.role === 'supervisor' || categories.includes(event.working.category)) others.push(event.working);
  }
  return {
    ...state,
    waiting: waiting.sort(byWait),
    mine: mine.sort(byWait),
    others: others.sort(byWait),
    versions: { ...state.versions, [ref]: event.version },
  };
}
