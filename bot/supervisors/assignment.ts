/**
 * Assignment by a supervisor: a case given to an agent with its skill, from the supervisor view
 * (POST /api/supervisor/cases/:reference/assign) or from "Assign" on an alert card.
 */
import { staffIdentity, type StaffIdentity } from '../domain/access.js';
import { assignCase } from '../domain/assignment.js';
import { openSessionAt } from '../domain/calendar.js';
import { CaseRuleError, ChatWithOtherExpertError, closeAsSpam, isClosed } from '../domain/case.js';
import { normaliseReference } from '../domain/reference.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import type { SessionCaseReader, SupervisionStore } from '../platform/ports/supervision.js';
import { CaseKeepsChangingError, changeCase } from '../platform/flow/caseChanges.js';
import type { CaseEvents } from '../platform/flow/caseEvents.js';
import { SupervisionError, withOtherExpert } from '../platform/flow/errors.js';
import { ChatClaimKeepsChangingError, holdChat, type HeldChat } from '../platform/flow/chatClaim.js';
import type { ChatClaims } from '../platform/ports/chatClaims.js';
import type { WaitAlerts } from './waitAlerts.js';

/** What anyone but a supervisor is told on pressing "Assign": nothing about the case. */
const ASSIGN_REFUSED = 'Only supervisors can assign cases. Nothing was changed.';

export class Assignment {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly store: SupervisionStore,
    private readonly reader: SessionCaseReader,
    private readonly cases: CaseStore,
    /** Where an assignment is published; its listeners write what the ratepayer is told with it. */
    private readonly events: CaseEvents,
    private readonly clock: Clock,
    private readonly alerts: WaitAlerts,
    private readonly log: (message: string, error?: unknown) => void,
    /** One expert per chat, race-proof (bot/platform/flow/chatClaim.ts); without it, checked on the cases as read only. */
    private readonly chatClaims?: ChatClaims,
  ) {}

  /**
   * A supervisor gives a case to an agent with its skill (a waiting case, or reassigning one
   * being worked on). The change is written with the case's ETag; the alert card about the case,
   * if any, then shows who has it. Refused (SupervisionError 'ratepayer_with_other_expert', 409)
   * while another case of the same chat is with another agent (one expert per chat:
   * bot/domain/case.ts otherExpertInChat): the chat is held for the agent first and its cases
   * read (bot/platform/flow/chatClaim.ts), as for an agent's own claim.
   */
  async assign(supervisor: StaffIdentity, reference: string, agentId: string): Promise<StoredCase> {
    if (supervisor.role !== 'supervisor') throw new SupervisionError('forbidden', 'Only supervisors can assign cases.');
    const id = normaliseReference(reference);
    if (!id) throw new SupervisionError('invalid', `"${reference.slice(0, 20)}" is not a case reference.`);
    const agentDef = this.definition.staff.find((s) => s.id === agentId && s.role === 'agent');
    if (!agentDef) throw new SupervisionError('invalid', `There is no agent "${agentId}".`);
    const agent = staffIdentity(agentDef);
    const by = { kind: 'staff' as const, id: supervisor.id, name: supervisor.name };
    const known = await this.cases.get(id);
    if (!known) throw new SupervisionError('not_found', `There is no case ${id}.`);
    let held: HeldChat;
    try {
      // A closed case is refused by the rule (below), holding nothing.
      held = isClosed(known) ? { sameChat: [], giveUp: async () => undefined } : await holdChat(this.chatClaims, this.cases, known, agent, this.clock.now(), 'assignment');
    } catch (error) {
      if (error instanceof ChatWithOtherExpertError) {
        const { message, detail } = withOtherExpert(error.busy, this.definition);
        throw new SupervisionError('ratepayer_with_other_expert', message, undefined, detail);
      }
      if (error instanceof ChatClaimKeepsChangingError) throw new SupervisionError('conflict', error.message);
      throw error;
    }
    const { sameChat } = held;
    const result = await changeCase(this.cases, id, (current) => {
      try {
        const now = this.clock.now();
        return this.events.withOutbox('case.claimed', assignCase(current, now, by, agent, sameChat), now);
      } catch (error) {
        if (!(error instanceof CaseRuleError)) throw error;
        if (error instanceof ChatWithOtherExpertError) {
          const { message, detail } = withOtherExpert(error.busy, this.definition);
          throw new SupervisionError('ratepayer_with_other_expert', message, undefined, detail);
        }
        throw new SupervisionError(error.reason === 'invalid' ? 'invalid' : 'conflict', error.message);
      }
    }, { known }).catch(async (error: unknown) => {
      // Not assigned: the chat is not held for an assignment that was not made.
      await held.giveUp().catch((e: unknown) => this.log(`chat claim for ${id}`, e));
      if (error instanceof CaseKeepsChangingError) throw new SupervisionError('conflict', error.message);
      throw error;
    });
    if (result.kind === 'missing') throw new SupervisionError('not_found', `There is no case ${id}.`);
    if (result.kind === 'unchanged') return result.current;
    const { saved } = result;
    await this.events.publish({
      kind: 'case.claimed',
      before: result.before,
      after: saved,
      by: { kind: 'staff', id: supervisor.id, name: supervisor.name, role: supervisor.role },
    });
    await this.alerts.markAssigned(saved, supervisor).catch((error) => this.log(`alert for ${saved.id}`, error));
    return saved;
  }

  /**
   * A supervisor closes an open case as spam (bot/domain/case.ts closeAsSpam): published as a
   * cancellation, whose listeners write the ratepayer's polite notice with it.
   */
  async closeAsSpam(supervisor: StaffIdentity, reference: string): Promise<StoredCase> {
    if (supervisor.role !== 'supervisor') throw new SupervisionError('forbidden', 'Only supervisors can close a case as spam.');
    const id = normaliseReference(reference);
    if (!id) throw new SupervisionError('invalid', `"${reference.slice(0, 20)}" is not a case reference.`);
    const by = { kind: 'staff' as const, id: supervisor.id, name: supervisor.name };
    const result = await changeCase(this.cases, id, (current) => {
      try {
        const now = this.clock.now();
        return this.events.withOutbox('case.cancelled', closeAsSpam(current, now, by, this.definition.limits.retentionDays), now);
      } catch (error) {
        if (!(error instanceof CaseRuleError)) throw error;
        throw new SupervisionError(error.reason === 'invalid' ? 'invalid' : 'conflict', error.message);
      }
    }).catch((error: unknown) => {
      if (error instanceof CaseKeepsChangingError) throw new SupervisionError('conflict', error.message);
      throw error;
    });
    if (result.kind === 'missing') throw new SupervisionError('not_found', `There is no case ${id}.`);
    if (result.kind === 'unchanged') return result.current;
    await this.events.publish({
      kind: 'case.cancelled',
      before: result.before,
      after: result.saved,
      by: { kind: 'staff', id: supervisor.id, name: supervisor.name, role: supervisor.role },
    });
    return result.saved;
  }

  /**
   * "Assign" on an alert card: assigns, and answers with the card to show. A supervisor's refusal
   * (no agent chosen, the agent lacks the skill) answers with the same card and the reason, for
   * them only. Anyone else gets SupervisionError('forbidden') and never the card: it names the
   * case, its category, its wait and the agents.
   */
  async assignFromAlert(clicker: StaffIdentity | undefined, alertId: string, agentId: string | undefined): Promise<Record<string, unknown>> {
    // Checked before anything is read: whether the alert exists is not theirs to know either.
    if (!clicker || clicker.role !== 'supervisor') throw new SupervisionError('forbidden', ASSIGN_REFUSED);
    const alert = await this.store.getAlert(alertId);
    if (!alert) throw new SupervisionError('not_found', 'This alert is no longer known.');
    const session = openSessionAt(this.definition, this.clock.now());
    const cases = session ? await this.reader.forSession(this.definition.programme.id, session) : [];
    if (alert.taken) return this.alerts.cardFor(alert, cases);
    if (!agentId) return this.alerts.cardFor(alert, cases, 'Choose an agent first.');
    try {
      await this.assign(clicker, alert.reference, agentId);
    } catch (error) {
      if (!(error instanceof SupervisionError)) throw error;
      const c = await this.cases.get(alert.reference);
      if (c && c.state !== 'waiting' && !alert.taken) {
        // Someone took it meanwhile: the card says who, for everyone.
        return this.alerts.finish(
          {
            ...alert,
            taken: c.assignedTo && c.state === 'in_progress'
              ? { staffId: c.assignedTo.staffId, name: c.assignedTo.name, at: c.assignedTo.since, how: 'claimed' }
              : { at: c.closedAt ?? this.clock.now().toISOString(), how: 'closed' },
          },
          cases,
        );
      }
      return this.alerts.cardFor(alert, cases, error.message);
    }
    const updated = (await this.store.getAlert(alertId)) ?? alert;
    return this.alerts.cardFor(updated, cases);
  }
}
