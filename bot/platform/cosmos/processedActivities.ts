/**
 * Processed activities in Cosmos DB: the container `processedActivities`, one small document per
 * activity whose turn completed, looked up by a point read when an activity arrives. The id is a
 * SHA-256 of the conversation id and the activity id, so the container holds no conversation ids
 * and every record is a point read or write in its own partition. The container's TTL deletes a
 * record a day later in Azure; where there is no TTL (the embedded server) an expired record
 * counts as absent when read and `removeBefore` deletes it.
 */
import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { PROCESSED_ACTIVITY_KEEP_MS, type ProcessedActivities } from '../ports/processedActivities.js';
import { statusOf } from './statusOf.js';

interface ProcessedActivityDocument {
  id: string;
  /** When its turn completed (ISO 8601). */
  at: string;
}

/** The document id of an activity in a conversation. */
function idOf(conversationId: string, activityId: string): string {
  return createHash('sha256').update(conversationId).update('\n').update(activityId).digest('hex');
}

/** The Cosmos DB implementation of the processed-activity record. */
export class CosmosProcessedActivities implements ProcessedActivities {
  constructor(private readonly container: Container) {}

  async wasProcessed(conversationId: string, activityId: string, now: Date): Promise<boolean> {
    const id = idOf(conversationId, activityId);
    const { resource } = await this.container.item(id, id).read<ProcessedActivityDocument>();
    // Past its keep counts as absent: the embedded server has no TTL to delete it.
    return resource !== undefined && Date.parse(resource.at) > now.getTime() - PROCESSED_ACTIVITY_KEEP_MS;
  }

  async markProcessed(conversationId: string, activityId: string, now: Date): Promise<void> {
    const doc: ProcessedActivityDocument = { id: idOf(conversationId, activityId), at: now.toISOString() };
    await this.container.items.upsert(doc);
  }

  async removeBefore(cutoff: Date, max: number): Promise<number> {
    const { resources } = await this.container.items
      .query<{ id: string }>({
        query: 'SELECT TOP @max c.id FROM c WHERE c.at < @cutoff',
        parameters: [
          { name: '@max', value: max },
          { name: '@cutoff', value: cutoff.toISOString() },
        ],
      })
      .fetchAll();
    let removed = 0;
    for (const { id } of resources) {
      try {
        await this.container.item(id, id).delete();
        removed++;
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
    }
    return removed;
  }
}
