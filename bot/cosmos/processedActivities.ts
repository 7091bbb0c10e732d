/**
 * Processed activities in Cosmos DB: the container `processedActivities`, one small document per
 * activity claimed, created once (a second create of the same id answers 409: the activity was
 * already processed). The id is a SHA-256 of the conversation id and the activity id, so the
 * container holds no conversation ids and every claim is a point write in its own partition.
 * The container's TTL deletes a claim a day later in Azure; where there is no TTL (the embedded
 * server) an expired claim counts as absent when read and `removeBefore` deletes it.
 */
import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { PROCESSED_ACTIVITY_KEEP_MS, type ProcessedActivities } from '../ports/processedActivities.js';
import { statusOf } from './statusOf.js';

interface ProcessedActivityDocument {
  id: string;
  /** When it was claimed (ISO 8601). */
  at: string;
}

/** The document id of an activity in a conversation. */
function idOf(conversationId: string, activityId: string): string {
  return createHash('sha256').update(conversationId).update('\n').update(activityId).digest('hex');
}

/** The Cosmos DB implementation of the processed-activity record. */
export class CosmosProcessedActivities implements ProcessedActivities {
  constructor(private readonly container: Container) {}

  async claim(conversationId: string, activityId: string, now: Date): Promise<boolean> {
    const doc: ProcessedActivityDocument = { id: idOf(conversationId, activityId), at: now.toISOString() };
    try {
      await this.container.items.create(doc);
      return true;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
    // Already claimed: a redelivery, unless the claim is past its keep (a store without TTL).
    const { resource, etag } = await this.container.item(doc.id, doc.id).read<ProcessedActivityDocument>();
    if (resource && Date.parse(resource.at) > now.getTime() - PROCESSED_ACTIVITY_KEEP_MS) return false;
    try {
      if (resource && etag) await this.container.item(doc.id, doc.id).replace(doc, { accessCondition: { type: 'IfMatch', condition: etag } });
      else await this.container.items.create(doc);
      return true;
    } catch (error) {
      // Another instance renewed it first: that one processes it.
      if (statusOf(error) === 412 || statusOf(error) === 409) return false;
      throw error;
    }
  }

  async release(conversationId: string, activityId: string): Promise<void> {
    const id = idOf(conversationId, activityId);
    try {
      await this.container.item(id, id).delete();
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
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
