/**
 * Follow-through alerts in the supervisors' channels (issue 19): a reminder that a back-office
 * referral falls due soon, and an alert when an overdue one escalates. References, teams and
 * dates only, never a ratepayer's details (POPIA). Posted to the programme's channel and to the
 * channel of the case's region.
 */
import { formatReference } from '../domain/reference.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import type { Case } from '../domain/case.js';
import type { Messenger } from '../platform/ports/messenger.js';
import type { SupervisionStore } from '../platform/ports/supervision.js';

/** The supervisors' follow-through posts. */
export class FollowThroughAlerts {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly store: SupervisionStore,
    private readonly messenger: Messenger,
  ) {}

  /** "Due soon": the team has until the end of the due date. */
  reminder(c: Case): Promise<void> {
    const r = c.referral!;
    return this.post(c, `Reminder: back-office referral ${formatReference(c.id)} (${this.category(c)}) is due by the end of ${r.dueDate} with ${r.team.name}.`);
  }

  /** "Escalated": the due date passed; the case went up the ladder. */
  escalated(c: Case, levels: string[]): Promise<void> {
    const r = c.referral!;
    return this.post(c, `Escalation: back-office referral ${formatReference(c.id)} (${this.category(c)}) with ${r.team.name} was due ${r.dueDate} and is now escalated to ${levels.join(', then ')}.`);
  }

  /**
   * "Status locked" (issue 19, bot/backOffice/ratepayerFollowUp.ts): the case's reference had
   * `failures` wrong proofs of ownership from other chats within `minutes`, so status by account
   * proof is refused for it until `until`. Neither the chats nor what they typed: the audit trail
   * lists the chats.
   */
  proofsLocked(c: Case, failures: number, minutes: number, until: Date): Promise<void> {
    return this.post(
      c,
      `Status locked: case ${formatReference(c.id)} (${this.category(c)}) had ${failures} wrong proofs of ownership from other chats within ${minutes} minutes, ` +
        `so "status" with an account number is refused for it until ${until.toISOString().slice(11, 16)} UTC. The case's audit trail lists the chats; if it keeps happening, someone is guessing.`,
    );
  }

  private category(c: Case): string {
    return categoryByCode(this.definition, c.category)?.name ?? c.category;
  }

  private async post(c: Case, text: string): Promise<void> {
    const channels = (await this.store.listRegistrations(this.definition.programme.id)).filter((reg) => !reg.region || reg.region === c.region);
    for (const reg of channels) await this.messenger.send(reg.conversationId, { text }).catch(() => undefined);
  }
}
