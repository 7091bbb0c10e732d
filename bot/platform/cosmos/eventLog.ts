/** The queue event log in Cosmos DB: the container `events`, one partition per programme. */
import type { Container } from '@azure/cosmos';
import type { QueueEvent, QueueEventLog } from '../ports/queueEvents.js';

type StoredEvent = QueueEvent & { stream: string };

/** Drops Cosmos DB's bookkeeping fields and the partition key. */
function toEvent(resource: Record<string, unknown>): QueueEvent {
  const { _rid, _self, _ts, _etag, _attachments, stream, ttl, ...event } = resource;
  return event as unknown as QueueEvent;
}

/** The Cosmos DB implementation of the event log. */
export class CosmosQueueEventLog implements QueueEventLog {
  constructor(
    private readonly container: Container,
    private readonly stream: string,
  ) {}

  async append(event: QueueEvent): Promise<void> {
    const stored: StoredEvent = { ...event, stream: this.stream };
    await this.container.items.create(stored);
  }

  async after(afterId: string, limit: number): Promise<QueueEvent[]> {
    const { resources } = await this.container.items
      .query<Record<string, unknown>>(
        {
          query: 'SELECT TOP @limit * FROM c WHERE c.stream = @stream AND c.id > @afterId ORDER BY c.id ASC',
          parameters: [
            { name: '@limit', value: limit },
            { name: '@stream', value: this.stream },
            { name: '@afterId', value: afterId },
          ],
        },
        { partitionKey: this.stream },
      )
      .fetchAll();
    return resources.map(toEvent);
  }
}
