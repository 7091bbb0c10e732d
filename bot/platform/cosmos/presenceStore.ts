/** Presence in Cosmos DB: the container `presence`, one document per member of staff. */
import type { Container } from '@azure/cosmos';
import type { StaffIdentity } from '../../domain/access.js';
import type { PresenceReport, PresenceStore } from '../ports/presence.js';

interface PresenceDocument {
  id: string;
  staff: StaffIdentity;
  seenAt: string;
}

/** The Cosmos DB implementation of the presence store. */
export class CosmosPresenceStore implements PresenceStore {
  constructor(private readonly container: Container) {}

  async report(staff: StaffIdentity, seenAt: Date): Promise<void> {
    const doc: PresenceDocument = { id: staff.id, staff, seenAt: seenAt.toISOString() };
    await this.container.items.upsert(doc);
  }

  async seenSince(since: Date): Promise<PresenceReport[]> {
    const { resources } = await this.container.items
      .query<PresenceDocument>({
        query: 'SELECT * FROM c WHERE c.seenAt >= @since',
        parameters: [{ name: '@since', value: since.toISOString() }],
      })
      .fetchAll();
    return resources.map((d) => ({ staff: d.staff, seenAt: d.seenAt }));
  }
}
