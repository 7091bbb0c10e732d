/**
 * Channel registration ("monitor"): which channel is the supervisors' channel of the programme, or
 * of one region of it. Registering a scope again moves it to the new channel.
 */
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import type { Clock } from '../platform/ports/clock.js';
import type { ChannelRegistration, SupervisionStore } from '../platform/ports/supervision.js';
import { scopeOf } from './scope.js';
import { SupervisionError } from '../platform/flow/errors.js';

export class ChannelRegistry {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly store: SupervisionStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Makes the channel the supervisors' channel of the programme (or of one region). Returns the
   * channel it replaced, if another one held that scope.
   */
  async register(input: { conversationId: string; region?: string; channelName?: string; by: { id: string; name: string } }): Promise<{ replaced?: string }> {
    if (input.region && !this.definition.regions.some((r) => r.code === input.region))
      throw new SupervisionError('invalid', `There is no region "${input.region}" in this programme.`);
    const programmeId = this.definition.programme.id;
    const id = `registration:${scopeOf(this.definition, input.region)}`;
    const existing = (await this.store.listRegistrations(programmeId)).find((r) => r.id === id);
    await this.store.saveRegistration({
      id,
      kind: 'registration',
      programmeId,
      ...(input.region ? { region: input.region } : {}),
      conversationId: input.conversationId,
      ...(input.channelName ? { channelName: input.channelName } : {}),
      registeredBy: input.by,
      registeredAt: this.clock.now().toISOString(),
    });
    return existing && existing.conversationId !== input.conversationId ? { replaced: existing.conversationId } : {};
  }

  /** Stops monitoring in this channel; returns the scopes it was registered for. */
  async unregister(conversationId: string): Promise<ChannelRegistration[]> {
    const mine = await this.registrationsOf(conversationId);
    for (const r of mine) await this.store.deleteRegistration(r.id);
    return mine;
  }

  /** The registrations held by one channel. */
  async registrationsOf(conversationId: string): Promise<ChannelRegistration[]> {
    return (await this.store.listRegistrations(this.definition.programme.id)).filter((r) => r.conversationId === conversationId);
  }

  /** Every registration of the programme. */
  all(): Promise<ChannelRegistration[]> {
    return this.store.listRegistrations(this.definition.programme.id);
  }
}
