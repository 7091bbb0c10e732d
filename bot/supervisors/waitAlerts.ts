/**
 * Wait alerts: one alert card per case that waits past its category's limit (with "Assign" and the
 * agents who could take it), followed until the case leaves the queue, when the card says who has
 * it or how it closed.
 */
import { staffIdentity, worksCategory, type StaffIdentity } from '../domain/access.js';
import type { SessionSlot } from '../domain/calendar.js';
import { minutesBetween, type SessionCase } from '../domain/sessionReport.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import { alertCard, type AgentChoice } from '../platform/cards/supervisorCards.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import type { Messenger } from '../platform/ports/messenger.js';
import type { AlertRecord, ChannelRegistration, SupervisionStore } from '../platform/ports/supervision.js';
import { RECORD_TTL_SECONDS, scopeOf } from './scope.js';

export class WaitAlerts {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly store: SupervisionStore,
    private readonly cases: CaseStore,
    private readonly messenger: Messenger,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  private agentChoices(category: string, region: string | undefined, cases: readonly SessionCase[]): AgentChoice[] {
    return this.definition.staff
      .filter((s) => s.role === 'agent' && worksCategory(staffIdentity(s), category, region))
      .map((s) => {
        const busy = cases.filter((c) => c.state === 'in_progress' && c.assignedTo?.staffId === s.id).length;
        return { id: s.id, name: s.name, status: busy ? `on ${busy} case${busy === 1 ? '' : 's'}` : 'no case now' };
      })
      .sort((a, b) => Number(a.status !== 'no case now') - Number(b.status !== 'no case now') || a.name.localeCompare(b.name));
  }

  /** The alert card for a record, with the agents it can offer. */
  cardFor(alert: AlertRecord, cases: readonly SessionCase[], problem?: string): Record<string, unknown> {
    const category = categoryByCode(this.definition, alert.category);
    const c = cases.find((x) => x.id === alert.reference);
    return alertCard(alert, {
      categoryName: category?.name ?? alert.category,
      waitLimitMinutes: category?.waitLimitMinutes ?? 0,
      agents: this.agentChoices(alert.category, c?.region, cases),
      timeZone: this.definition.timeZone,
      ...(problem ? { problem } : {}),
    });
  }

  /** Raises one alert in the registration's channel for each of its cases waiting past the limit. */
  async raise(reg: ChannelRegistration, session: SessionSlot, cases: readonly SessionCase[], now: Date): Promise<void> {
    const scope = scopeOf(this.definition, reg.region);
    for (const c of cases) {
      if (c.state !== 'waiting') continue;
      const category = categoryByCode(this.definition, c.category);
      if (!category || now.getTime() - Date.parse(c.queuedAt) <= category.waitLimitMinutes * 60_000) continue;
      const id = `alert:${scope}:${c.id}`;
      if (await this.store.getAlert(id)) continue;
      const alert: AlertRecord = {
        id,
        kind: 'alert',
        scope,
        reference: c.id,
        category: c.category,
        sessionId: session.id,
        conversationId: reg.conversationId,
        raisedAt: now.toISOString(),
        waitMinutes: minutesBetween(c.queuedAt, now),
        ttl: RECORD_TTL_SECONDS,
      };
      // Created before it is sent: whoever creates it sends it, so a case is alerted once.
      if (!(await this.store.createAlert(alert))) continue;
      try {
        const { activityId } = await this.messenger.send(reg.conversationId, {
          card: this.cardFor(alert, cases),
          fallback: `Case ${c.id} has waited ${alert.waitMinutes} minutes in ${category.name}.`,
        });
        await this.store.saveAlert({ ...alert, ...(activityId ? { activityId } : {}) });
      } catch (error) {
        // Not delivered: forget it, so the next tick tries again.
        await this.store.deleteAlert(id).catch(() => undefined);
        throw error;
      }
    }
  }

  /** Alerted cases that left the queue some other way (an agent claimed it, it was cancelled): the card says so. */
  async follow(reg: ChannelRegistration, cases: readonly SessionCase[], now: Date): Promise<void> {
    const open = await this.store.listOpenAlerts(scopeOf(this.definition, reg.region));
    for (const alert of open) {
      const c = cases.find((x) => x.id === alert.reference) ?? (await this.cases.get(alert.reference));
      if (!c || c.state === 'waiting') continue;
      const taken: AlertRecord['taken'] =
        c.state === 'in_progress' && c.assignedTo
          ? { staffId: c.assignedTo.staffId, name: c.assignedTo.name, at: c.assignedTo.since, how: 'claimed' }
          : { at: ('closedAt' in c && c.closedAt) || now.toISOString(), how: 'closed' };
      await this.finish({ ...alert, taken }, cases);
    }
  }

  /** Saves the alert as taken or closed and updates its card in the channel; returns the card. */
  async finish(alert: AlertRecord, cases: readonly SessionCase[]): Promise<Record<string, unknown>> {
    await this.store.saveAlert(alert);
    const card = this.cardFor(alert, cases);
    if (alert.activityId) {
      await this.messenger
        .update(alert.conversationId, alert.activityId, { card, fallback: `Case ${alert.reference}: ${alert.taken?.name ?? 'closed'}` })
        .catch((error) => this.log(`updating alert ${alert.id}`, error));
    }
    return card;
  }

  /** After an assignment: every alert about the case shows who has it. */
  async markAssigned(c: StoredCase, supervisor: StaffIdentity): Promise<void> {
    const alerts = await this.store.alertsForCase(c.id);
    for (const alert of alerts) {
      if (alert.taken?.how === 'assigned' && alert.taken.staffId === c.assignedTo?.staffId) continue;
      await this.finish(
        { ...alert, taken: { staffId: c.assignedTo!.staffId, name: c.assignedTo!.name, by: supervisor.name, at: c.assignedTo!.since, how: 'assigned' } },
        [],
      );
    }
  }
}
