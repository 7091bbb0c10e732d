/**
 * The live summary card of a session in a registered channel: posted when the session opens, then
 * updated in place at most every `minUpdateIntervalMs` and only when what it shows changed.
 */
import type { SessionSlot } from '../domain/calendar.js';
import { summaryFingerprint, type LiveSummary } from '../domain/sessionReport.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import { summaryCard } from '../platform/cards/supervisorCards.js';
import type { Messenger } from '../platform/ports/messenger.js';
import type { ChannelRegistration, SupervisionStore } from '../platform/ports/supervision.js';
import { RECORD_TTL_SECONDS, regionName, scopeOf } from './scope.js';

export class SummaryCards {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly store: SupervisionStore,
    private readonly messenger: Messenger,
    /** The least time between two updates of a card, in milliseconds. */
    private readonly minUpdateIntervalMs: number,
  ) {}

  /**
   * Posts the card in the registration's channel, or updates the one posted there. `force` updates
   * regardless of the spacing; `closed` marks the card closed and never posts a new one.
   */
  async show(reg: ChannelRegistration, session: SessionSlot, summary: LiveSummary, now: Date, options: { force?: boolean; closed?: boolean }): Promise<void> {
    const scope = scopeOf(this.definition, reg.region);
    const id = `summary:${scope}:${session.id}`;
    const record = await this.store.getSummaryCard(id);
    const fingerprint = summaryFingerprint(summary) + (options.closed ? '|closed' : '');
    const card = summaryCard({
      programmeName: this.definition.programme.name,
      ...(reg.region ? { regionName: regionName(this.definition, reg.region)! } : {}),
      session,
      timeZone: this.definition.timeZone,
      summary,
      now,
      ...(options.closed ? { closed: true } : {}),
    });
    const fallback = `${options.closed ? 'Session closed' : 'Live queue'}: ${summary.totals.waiting} waiting, ${summary.totals.inProgress} with an expert, ${summary.totals.resolved} resolved.`;
    if (!record || record.conversationId !== reg.conversationId) {
      if (options.closed) return; // no card was ever shown there: the report is enough
      const { activityId } = await this.messenger.send(reg.conversationId, { card, fallback });
      await this.store.saveSummaryCard({
        id,
        kind: 'summary',
        scope,
        sessionId: session.id,
        conversationId: reg.conversationId,
        activityId: activityId ?? '',
        fingerprint,
        postedAt: now.toISOString(),
        updatedAt: now.toISOString(),
        ttl: RECORD_TTL_SECONDS,
      });
      return;
    }
    if (record.fingerprint === fingerprint) return;
    if (!options.force && now.getTime() - Date.parse(record.updatedAt) < this.minUpdateIntervalMs) return;
    if (!record.activityId) return;
    await this.messenger.update(reg.conversationId, record.activityId, { card, fallback });
    await this.store.saveSummaryCard({ ...record, fingerprint, updatedAt: now.toISOString() });
  }
}
