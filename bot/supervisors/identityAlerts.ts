/**
 * Identity alerts: the supervisors' channels are told when a sign-in as a member of staff was
 * refused because it came from another Microsoft account than the one bound to that entry
 * (bot/platform/auth/staffBinding.ts). Staff names only; nothing about ratepayers.
 */
import type { IdentityMismatch } from '../platform/auth/staffBinding.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import type { Messenger } from '../platform/ports/messenger.js';
import type { SupervisionStore } from '../platform/ports/supervision.js';

export class IdentityAlerts {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly store: SupervisionStore,
    private readonly messenger: Messenger,
  ) {}

  /** Posts the alert in every registered channel. */
  async post(mismatch: IdentityMismatch): Promise<void> {
    const registrations = await this.store.listRegistrations(this.definition.programme.id);
    const since = mismatch.boundAt ? `the account first used for it on ${mismatch.boundAt.slice(0, 16).replace('T', ' ')} UTC` : 'the account the staff list names';
    const text =
      `Sign-in refused: someone tried to sign in to the desk as ${mismatch.staff.name} (staff id ${mismatch.staff.id}) with a Microsoft account other than ${since}. ` +
      `If ${mismatch.staff.name}'s account was re-created, list its object id (oid) in the service definition; otherwise treat this as an attempt to act as them.`;
    for (const reg of registrations) await this.messenger.send(reg.conversationId, { text });
  }
}
