/** The audit trail of searches in Cosmos DB: the container `searches`, one document per search. */
import type { Container } from '@azure/cosmos';
import type { SearchAudit, SearchRecord } from '../ports/searchAudit.js';

/** The Cosmos DB implementation of the search audit trail. */
export class CosmosSearchAudit implements SearchAudit {
  constructor(private readonly container: Container) {}

  async record(entry: SearchRecord): Promise<void> {
    // create, not upsert: a record is never rewritten.
    await this.container.items.create(entry);
  }
}
