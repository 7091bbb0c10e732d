/** Small formatting helpers for the tab. */

/** "K7M3PQ" → "K7M-3PQ". */
export function displayReference(ref: string): string {
  return ref.length === 6 ? `${ref.slice(0, 3)}-${ref.slice(3)}` : ref;
}

/** A wait as "45 s", "12 min" or "1 h 05 min". */
export function formatWait(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A time as the agent reads it: "14 Aug, 17:32". */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString('en-ZA', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** Outcome codes in words. */
export const OUTCOME_LABELS: Record<string, string> = {
  resolved: 'Resolved',
  arrangement_made: 'Arrangement made',
  referred_back_office: 'Referred to back office',
  not_resolved: 'Not resolved',
};

/** Case states in words. */
export const STATE_LABELS: Record<string, string> = {
  waiting: 'Waiting',
  in_progress: 'In progress',
  resolved: 'Resolved',
  cancelled: 'Cancelled',
  no_show: 'No show',
};
