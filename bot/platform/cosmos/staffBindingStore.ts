/** Staff bindings in Cosmos DB: the container `staffBindings` (bindings by address, refusals). */
import type { Container } from '@azure/cosmos';
import type { BindingRefusal, StaffBinding, StaffBindings } from '../ports/staffBindings.js';
import { statusOf } from './statusOf.js';

/** The Cosmos DB implementation of the staff bindings. */
export class CosmosStaffBindings implements StaffBindings {
  constructor(private readonly container: Container) {}

  async get(address: string): Promise<StaffBinding | undefined> {
    const { resource } = await this.container.item(address, address).read<StaffBinding & { kind: 'binding' }>();
    return resource?.kind === 'binding' ? strip(resource) : undefined;
  }

  async findByIdentity(tid: string, oid: string): Promise<StaffBinding | undefined> {
    const { resources } = await this.container.items
      .query<StaffBinding>({
        query: "SELECT * FROM c WHERE c.kind = 'binding' AND c.oid = @oid AND c.tid = @tid",
        parameters: [
          { name: '@oid', value: oid },
          { name: '@tid', value: tid },
        ],
      })
      .fetchAll();
    return resources[0] ? strip(resources[0]) : undefined;
  }

  async bind(binding: StaffBinding): Promise<StaffBinding> {
    try {
      // create, never upsert: the first sign-in wins and nothing replaces it.
      await this.container.items.create({ ...binding, kind: 'binding' });
      return binding;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      const existing = await this.get(binding.id);
      if (!existing) throw error;
      return existing;
    }
  }

  async recordRefusal(refusal: BindingRefusal): Promise<boolean> {
    try {
      await this.container.items.create({ id: `refused:${refusal.staffId}:${refusal.tid}:${refusal.oid}`, kind: 'refusal', ...refusal });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  }
}

function strip(doc: StaffBinding): StaffBinding {
  return { id: doc.id, staffId: doc.staffId, oid: doc.oid, tid: doc.tid, boundAt: doc.boundAt };
}
