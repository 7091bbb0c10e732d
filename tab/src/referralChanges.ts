/**
 * What someone else did to the referral a member of the back office has open (tester 11,
 * finding 9: Johan marked it done while Zanele was typing a resolution, and her page still showed
 * "Escalated" and every form). The back-office view reloads the page when the live stream says the
 * case changed, and says what changed and who changed it, from the two pages: nothing is read from
 * the event but who sent it (a supervisor is named so).
 */
import type { QueueEvent } from '../../bot/platform/contract/tabApi.js';
import type { ReferralPage } from '../../bot/platform/contract/backOffice.js';
import { OUTCOME_LABELS, formatClock, formatDay, formatDayOf } from './format.js';

/** What changed by someone else's hand: the decision (when they finished it) and the other changes, one sentence each. */
export interface ChangedElsewhere {
  /** Finished by someone else: who, when ("Mon, 30 Nov 2026 at 21:10"), the outcome in words, what the ratepayer was told. */
  decided?: { by: string; at: string; outcome: string; summary: string };
  lines: string[];
}

type By = { id: string; name: string };

/**
 * The changes between the page as shown (`before`) and as reloaded (`after`) made by anyone but
 * `myId` (their own arrive with their action's answer); `who`: the sender of the event that
 * prompted the reload, so that a supervisor is named as one. Undefined when nothing of note changed.
 */
export function changesByOthers(before: ReferralPage, after: ReferralPage, myId: string, who?: QueueEvent['by']): ChangedElsewhere | undefined {
  if (before.reference !== after.reference) return undefined;
  const b = before.referral;
  const a = after.referral;
  const named = (by: By) => (who && by.id === who.id && who.role === 'supervisor' ? `${by.name} (supervisor)` : by.name);
  const added = <T extends { by: By }>(now: readonly T[], had: number) => now.slice(had).filter((x) => x.by.id !== myId);
  const lines: string[] = [];
  for (const e of added(a.extensions, b.extensions.length))
    lines.push(`${named(e.by)} gave it more time: now due ${formatDay(e.to)} (was ${formatDay(e.from)}). The ratepayer was told: “${e.reason}”`);
  for (const u of added(a.updates, b.updates.length)) lines.push(`${named(u.by)} sent the ratepayer an update: “${u.text}”`);
  for (const n of added(after.notes, before.notes.length)) lines.push(`${named(n.by)} added a note.`);
  for (const e of a.escalations.slice(b.escalations.length)) lines.push(`It was escalated to ${e.name} on ${formatDayOf(e.at)}.`);
  const done = !b.done && a.done && a.done.by.id !== myId ? a.done : undefined;
  const decided = done
    ? {
        by: named(done.by),
        at: `${formatDayOf(done.at)} at ${formatClock(done.at)}`,
        outcome: after.outcome ? (OUTCOME_LABELS[after.outcome.kind] ?? after.outcome.kind) : 'Done',
        summary: after.outcome?.summary ?? '',
      }
    : undefined;
  if (!decided && lines.length === 0) return undefined;
  return { ...(decided ? { decided } : {}), lines };
}
