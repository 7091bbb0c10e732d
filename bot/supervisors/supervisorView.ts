/**
 * The supervisor view of the tab (GET /api/supervisor/overview): which session it shows, and
 * everything it shows about it, for the programme or one region.
 */
import { channelLabel } from '../domain/channels.js';
import { worksRegion } from '../domain/access.js';
import { instantAt, openSessionAt, type SessionSlot } from '../domain/calendar.js';
import { describeSession } from '../messages/time.js';
import { estimatesKept, liveSummary, minutesBetween, queueLengthSeries, waitDistribution, waitsHere } from '../domain/sessionReport.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import type { SupervisorOverview } from '../platform/contract/tabApi.js';
import type { Clock } from '../platform/ports/clock.js';
import { PRESENCE_FRESH_MS, type PresenceStore } from '../platform/ports/presence.js';
import type { SessionCaseReader, SupervisionStore } from '../platform/ports/supervision.js';
import { sessionFigures } from './reports.js';
import { figureContext, regionByCode } from './scope.js';

export class SupervisorView {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly store: SupervisionStore,
    private readonly reader: SessionCaseReader,
    private readonly presence: PresenceStore,
    private readonly clock: Clock,
  ) {}

  /** The session with this id ("2022-08-01T17:00"), if the calendar has it. */
  sessionById(id: string): SessionSlot | undefined {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(id);
    if (!m) return undefined;
    let at: Date;
    try {
      at = instantAt(m[1]!, m[2]!, this.definition.timeZone);
    } catch {
      return undefined;
    }
    const slot = openSessionAt(this.definition, at);
    return slot?.id === id ? slot : undefined;
  }

  /** The session open now, or else the one that closed last (within two weeks). */
  currentOrLastSession(): SessionSlot | undefined {
    const now = this.clock.now();
    const open = openSessionAt(this.definition, now);
    if (open) return open;
    for (let back = 1; back <= 14 * 24 * 4; back++) {
      const slot = openSessionAt(this.definition, new Date(now.getTime() - back * 15 * 60_000));
      if (slot) return slot;
    }
    return undefined;
  }

  /**
   * Everything the supervisor view shows about one session; with `region` (a region code), only
   * that region's cases and the agents who work it (agents without regions work every region,
   * as in assignment). Throws SupervisionError('invalid') for a region the programme does not have.
   */
  async overview(session: SessionSlot, region?: string): Promise<SupervisorOverview> {
    const scope = region ? regionByCode(this.definition, region) : undefined;
    const now = this.clock.now();
    const programmeId = this.definition.programme.id;
    const [everyCase, present, registrations] = await Promise.all([
      this.reader.forSession(programmeId, session),
      this.presence.seenSince(new Date(now.getTime() - PRESENCE_FRESH_MS)).catch(() => []),
      this.store.listRegistrations(programmeId),
    ]);
    const cases = scope ? everyCase.filter((c) => c.region === scope.code) : everyCase;
    const presentIds = new Set(present.map((p) => p.staff.id));
    const open = now >= session.opensAt && now < session.closesAt;
    const until = new Date(Math.min(now.getTime(), session.closesAt.getTime()));
    const categoryName = (code: string) => categoryByCode(this.definition, code)?.name ?? code;
    return {
      session: {
        id: session.id,
        label: describeSession(session, this.definition.timeZone),
        opensAt: session.opensAt.toISOString(),
        closesAt: session.closesAt.toISOString(),
        open,
        timeZone: this.definition.timeZone,
      },
      ...(scope ? { region: scope } : {}),
      serverTime: now.toISOString(),
      summary: liveSummary(session.id, cases, figureContext(this.definition), [...presentIds], now),
      queues: this.definition.categories.map((cat) => ({
        code: cat.code,
        name: cat.name,
        waitLimitMinutes: cat.waitLimitMinutes,
        waiting: cases
          .filter((c) => c.category === cat.code && waitsHere(c))
          .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt))
          .map((c) => {
            const waitMinutes = minutesBetween(c.queuedAt, now);
            return {
              reference: c.id,
              ...(c.region ? { region: c.region } : {}),
              waitingSince: c.queuedAt,
              waitMinutes,
              overLimit: waitMinutes >= cat.waitLimitMinutes,
              language: c.language ?? 'en',
              channel: channelLabel(c.channelId),
            };
          }),
        estimates: estimatesKept(cases.filter((c) => c.category === cat.code)),
      })),
      agents: this.definition.staff
        // Experts who work a queue (or hold a case now): back-office staff with no category, whose
        // tab is the back-office view, are not agents to watch or reassign to (tester 11, finding 12).
        .filter((s) => s.role === 'agent' && (!scope || worksRegion(s, scope.code)))
        .filter((s) => s.skills.length > 0 || cases.some((c) => c.state === 'in_progress' && c.assignedTo?.staffId === s.id))
        .map((s) => ({
          id: s.id,
          name: s.name,
          skills: s.skills,
          skillNames: s.skills.map(categoryName),
          present: presentIds.has(s.id),
          cases: cases
            .filter((c) => c.state === 'in_progress' && c.assignedTo?.staffId === s.id)
            .map((c) => ({ reference: c.id, category: c.category, categoryName: categoryName(c.category), since: c.assignedTo!.since, minutes: minutesBetween(c.assignedTo!.since, now) })),
        })),
      timeline: queueLengthSeries(cases, session.opensAt, until),
      waits: waitDistribution(cases, now),
      report: sessionFigures(this.definition, session, cases, now),
      channels: registrations.map((r) => ({ ...(r.region ? { region: r.region } : {}), ...(r.channelName ? { channelName: r.channelName } : {}) })),
    };
  }
}
