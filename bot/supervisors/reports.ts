/** The end-of-session report: posted once in every registered channel when a session closes. */
import type { SessionSlot } from '../domain/calendar.js';
import { sessionReport, type SessionCase, type SessionReport } from '../domain/sessionReport.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import { reportCard } from '../platform/cards/supervisorCards.js';
import type { Clock } from '../platform/ports/clock.js';
import type { Messenger } from '../platform/ports/messenger.js';
import type { SessionCaseReader, SummaryCardRecord, SupervisionStore } from '../platform/ports/supervision.js';
import { figureContext, RECORD_TTL_SECONDS, regionName, scopeOf } from './scope.js';

/** The figures of a session (for the report and the supervisor view). */
export function sessionFigures(definition: ServiceDefinition, session: Pick<SessionSlot, 'id'>, cases: readonly SessionCase[], now?: Date): SessionReport {
  return sessionReport(session.id, cases, figureContext(definition), now);
}

export class SessionReports {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly store: SupervisionStore,
    private readonly reader: SessionCaseReader,
    private readonly messenger: Messenger,
    private readonly clock: Clock,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  /** Posts the report of a closed session in every registered channel, once. */
  async post(session: SessionSlot): Promise<void> {
    const programmeId = this.definition.programme.id;
    const registrations = await this.store.listRegistrations(programmeId);
    if (registrations.length === 0) return;
    const all = await this.reader.forSession(programmeId, session);
    const now = this.clock.now();
    for (const reg of registrations) {
      const scope = scopeOf(this.definition, reg.region);
      const id = `summary:${scope}:${session.id}`;
      const record = await this.store.getSummaryCard(id);
      if (record?.reportActivityId && record.conversationId === reg.conversationId) continue;
      const report = sessionFigures(this.definition, session, all.filter((c) => !reg.region || c.region === reg.region), now);
      try {
        const { activityId } = await this.messenger.send(reg.conversationId, {
          card: reportCard({
            programmeName: this.definition.programme.name,
            ...(reg.region ? { regionName: regionName(this.definition, reg.region)! } : {}),
            session,
            timeZone: this.definition.timeZone,
            report,
          }),
          fallback: `Session report: ${report.totals.total} cases, ${report.totals.resolved} resolved, ${report.totals.referred} referred to the back office, ${report.totals.carriedOver} carried over.`,
        });
        await this.store.saveSummaryCard({
          ...(record ?? {
            id,
            kind: 'summary' as const,
            scope,
            sessionId: session.id,
            conversationId: reg.conversationId,
            activityId: '',
            fingerprint: '',
            postedAt: now.toISOString(),
            updatedAt: now.toISOString(),
            ttl: RECORD_TTL_SECONDS,
          }),
          reportActivityId: activityId ?? 'sent',
          reportPostedAt: now.toISOString(),
        } satisfies SummaryCardRecord);
      } catch (error) {
        this.log(`report for ${reg.id} in session ${session.id}`, error);
      }
    }
  }
}
