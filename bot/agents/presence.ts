/**
 * Presence from the agents' tab: while a member of staff has the live stream open, the instance
 * holding it reports them every HEARTBEAT_MS; the wait estimate counts the agents reported
 * recently, across all instances, and falls back to the definition's staff when no agent with
 * the category's skill is signed in (before a session starts, for instance).
 */
import { worksCategory, type StaffIdentity } from '../domain/access.js';
import type { Clock } from '../platform/ports/clock.js';
import { PRESENCE_FRESH_MS, type PresenceReport, type PresenceStore } from '../platform/ports/presence.js';
import type { DutyRoster } from './dutyRoster.js';

/** How often an open stream is reported. */
const HEARTBEAT_MS = 30_000;

/** How long one read of who is present is reused by the roster. */
const ROSTER_CACHE_MS = 5_000;

/** Tracks the streams open on this instance and reports them. */
export class PresenceTracker {
  private readonly open = new Map<string, { staff: StaffIdentity; streams: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: PresenceStore,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** A stream opened: reports the person now and while it stays open. Returns the closer. */
  opened(staff: StaffIdentity): () => void {
    const entry = this.open.get(staff.id) ?? { staff, streams: 0 };
    entry.streams++;
    this.open.set(staff.id, entry);
    void this.store.report(staff, this.clock.now()).catch(this.onError);
    this.timer ??= setInterval(() => this.heartbeat(), HEARTBEAT_MS).unref();
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      entry.streams--;
      if (entry.streams <= 0) this.open.delete(staff.id);
      if (this.open.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Reports everyone with an open stream here. */
  heartbeat(): void {
    const now = this.clock.now();
    for (const { staff } of this.open.values()) void this.store.report(staff, now).catch(this.onError);
  }

  /** Stops reporting. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.open.clear();
  }
}

/** The duty roster from presence, with the definition's roster as the fallback. */
export class PresenceDutyRoster implements DutyRoster {
  private cache: { at: number; reports: PresenceReport[] } | undefined;

  constructor(
    private readonly store: PresenceStore,
    private readonly clock: Clock,
    private readonly fallback: DutyRoster,
  ) {}

  async agentsOnDuty(category: string, region?: string): Promise<number> {
    const reports = await this.present().catch(() => undefined);
    const count = reports?.filter((r) => r.staff.role === 'agent' && worksCategory(r.staff, category, region)).length ?? 0;
    return count > 0 ? count : this.fallback.agentsOnDuty(category, region);
  }

  /**
   * The agents present, plus, for every category none of them works, the definition's agents
   * with that skill (the same fallback as agentsOnDuty: before a session, say).
   */
  async onDuty(): Promise<{ staff: StaffIdentity; present: boolean }[]> {
    const reports = await this.present().catch(() => undefined);
    const present = [...new Map((reports ?? []).filter((r) => r.staff.role === 'agent').map((r) => [r.staff.id, r.staff])).values()];
    const listed = (await this.fallback.onDuty()).map((a) => a.staff);
    const categories = new Set(listed.flatMap((s) => s.skills));
    const uncovered = [...categories].filter((code) => !present.some((s) => s.skills.includes(code)));
    // Stand-ins count only for the categories nobody present works: not twice for the others.
    const extra = listed
      .filter((s) => !present.some((p) => p.id === s.id))
      .map((s) => ({ ...s, skills: s.skills.filter((code) => uncovered.includes(code)) }))
      .filter((s) => s.skills.length > 0);
    return [...present.map((staff) => ({ staff, present: true })), ...extra.map((staff) => ({ staff, present: false }))];
  }

  private async present(): Promise<PresenceReport[]> {
    const now = this.clock.now().getTime();
    if (this.cache && Math.abs(now - this.cache.at) < ROSTER_CACHE_MS) return this.cache.reports;
    const reports = await this.store.seenSince(new Date(now - PRESENCE_FRESH_MS));
    this.cache = { at: now, reports };
    return reports;
  }
}
