/** Cases in Cosmos DB: the container `cases`, partitioned by the case id (the reference). */
import type { Container, ItemDefinition, SqlParameter } from '@azure/cosmos';
import type { Case, Delivery, PlaceTold, TranscriptEntry } from '../../domain/case.js';
import type { OpenCaseRow, RecentCaseRow } from '../../domain/waitEstimate.js';
import { StaleCaseError, type CaseStore, type CreateResult, type StoredCase } from '../ports/caseStore.js';
import { statusOf } from './statusOf.js';

/** Seconds in a day: Cosmos DB's `ttl` is in seconds, the domain's retention decision in days. */
const DAY_SECONDS = 86_400;

/**
 * A case as the `cases` container holds it: the domain's case plus the document's own fields —
 * `type: 'case'`, and `ttl` (seconds after the last write until Cosmos DB deletes it) computed
 * from the domain's retention decision (`retentionDays`, set when the case closes).
 */
type CaseDocument = Omit<Case, 'retentionDays'> & { type: 'case'; ttl?: number };

/** The document written for a case. */
function toDocument(c: Case | StoredCase): CaseDocument {
  // The ETag a write is based on is a condition of the request, never part of the document.
  const { retentionDays, etag: _etag, ...rest } = c as Case & { etag?: string };
  return { ...rest, type: 'case', ...(retentionDays !== undefined ? { ttl: retentionDays * DAY_SECONDS } : {}) };
}

/** The domain's case from a document: Cosmos DB's bookkeeping dropped, `ttl` read back as days, the ETag kept to guard the next write. */
function toStored(resource: ItemDefinition | undefined): StoredCase {
  if (!resource) throw new Error('Cosmos DB returned no document');
  const { _rid, _self, _ts, _attachments, _etag, type, ttl, ...rest } = resource as Record<string, unknown>;
  return {
    ...(rest as unknown as Case),
    ...(typeof ttl === 'number' ? { retentionDays: ttl / DAY_SECONDS } : {}),
    etag: String(_etag),
  };
}

/** A projection leaves absent properties out, or (some servers) null: drop nulls so optional fields read as absent. */
function withoutUndefined<T>(row: T): T {
  return Object.fromEntries(Object.entries(row as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** The Cosmos DB implementation of the case store. */
export class CosmosCaseStore implements CaseStore {
  constructor(private readonly container: Container) {}

  async create(c: Case): Promise<CreateResult> {
    try {
      const { resource } = await this.container.items.create(toDocument(c));
      return { created: true, case: toStored(resource) };
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      const existing = await this.get(c.id);
      // Deleted between the conflict and the read: extremely unlikely, and the caller retries.
      if (!existing) throw error;
      return { created: false, existing };
    }
  }

  async get(id: string): Promise<StoredCase | undefined> {
    try {
      const { resource } = await this.container.item(id, id).read();
      return resource ? toStored(resource) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async replace(c: StoredCase): Promise<StoredCase> {
    try {
      const { resource } = await this.container
        .item(c.id, c.id)
        .replace(toDocument(c), { accessCondition: { type: 'IfMatch', condition: c.etag } });
      return toStored(resource);
    } catch (error) {
      if (statusOf(error) === 412) throw new StaleCaseError(c.id);
      throw error;
    }
  }

  async countWaitingAhead(programmeId: string, category: string, queueKey: string): Promise<number> {
    const [count] = await this.query<number>(
      `SELECT VALUE COUNT(1) FROM c WHERE c.programmeId = @programmeId AND c.state = 'waiting'
         AND c.category = @category AND c.queueKey < @queueKey`,
      { programmeId, category, queueKey },
    );
    return count ?? 0;
  }

  listWaiting(programmeId: string, categories: readonly string[], limit: number): Promise<StoredCase[]> {
    return this.query<StoredCase>(
      `SELECT TOP @limit * FROM c WHERE c.programmeId = @programmeId AND c.state = 'waiting'
         AND ARRAY_CONTAINS(@categories, c.category) ORDER BY c.queueKey ASC`,
      { programmeId, categories: [...categories], limit },
    ).then((rows) => rows.map(toStored));
  }

  listOpen(programmeId: string, limit: number): Promise<OpenCaseRow[]> {
    return this.query<OpenCaseRow>(
      `SELECT TOP @limit c.id, c.category, c.region, c.queueKey, c.state, c.assignedTo FROM c
         WHERE c.programmeId = @programmeId AND (c.state = 'waiting' OR c.state = 'in_progress') ORDER BY c.queueKey ASC`,
      { programmeId, limit },
    ).then((rows) => rows.map(withoutUndefined));
  }

  listClosedSince(programmeId: string, since: string, limit: number): Promise<RecentCaseRow[]> {
    return this.query<RecentCaseRow>(
      `SELECT TOP @limit c.category, c.state, c.queueKey, c.createdAt, c.closedAt, c.assignedTo, c.handlingMinutes FROM c
         WHERE c.programmeId = @programmeId AND c.closedAt >= @since ORDER BY c.closedAt DESC`,
      { programmeId, since, limit },
    ).then((rows) => rows.map(withoutUndefined));
  }

  recentHandlingMinutes(programmeId: string, category: string, limit: number): Promise<number[]> {
    return this.query<number>(
      `SELECT TOP @limit VALUE c.handlingMinutes FROM c WHERE c.programmeId = @programmeId
         AND c.category = @category AND c.state = 'resolved' AND IS_NUMBER(c.handlingMinutes)
         ORDER BY c.closedAt DESC`,
      { programmeId, category, limit },
    );
  }

  listByAccount(accountNumber: string, limit: number): Promise<StoredCase[]> {
    return this.query<StoredCase>(
      `SELECT TOP @limit * FROM c WHERE c.accountNumber = @accountNumber ORDER BY c.createdAt DESC`,
      { accountNumber, limit },
    ).then((rows) => rows.map(toStored));
  }

  listOpenByMobile(programmeId: string, category: string, mobile: string, limit: number): Promise<StoredCase[]> {
    return this.query<StoredCase>(
      `SELECT TOP @limit * FROM c WHERE c.mobile = @mobile AND c.programmeId = @programmeId AND c.category = @category AND (c.state = 'waiting' OR c.state = 'in_progress')`,
      { mobile, programmeId, category, limit },
    ).then((rows) => rows.map(toStored));
  }

  listInProgress(
    programmeId: string,
    filter: { categories?: readonly string[]; staffId?: string },
    limit: number,
  ): Promise<StoredCase[]> {
    const clauses = [`c.programmeId = @programmeId`, `c.state = 'in_progress'`];
    const values: Record<string, SqlParameter['value']> = { programmeId, limit };
    if (filter.categories) {
      clauses.push('ARRAY_CONTAINS(@categories, c.category)');
      values.categories = [...filter.categories];
    }
    if (filter.staffId) {
      clauses.push('c.assignedTo.staffId = @staffId');
      values.staffId = filter.staffId;
    }
    return this.query<StoredCase>(
      `SELECT TOP @limit * FROM c WHERE ${clauses.join(' AND ')} ORDER BY c.queueKey ASC`,
      values,
    ).then((rows) => rows.map(toStored));
  }

  listForConversation(conversationId: string, limit: number): Promise<StoredCase[]> {
    return this.query<StoredCase>(
      `SELECT TOP @limit * FROM c WHERE c.ratepayer.conversationId = @conversationId ORDER BY c.createdAt DESC`,
      { conversationId, limit },
    ).then((rows) => rows.map(toStored));
  }

  async appendTranscript(caseId: string, entry: TranscriptEntry): Promise<void> {
    // "/transcript/-" appends atomically on the server: no read, no ETag race with other writers.
    await this.container.item(caseId, caseId).patch([{ op: 'add', path: '/transcript/-', value: entry }]);
  }

  async recordDelivery(caseId: string, entryId: string, delivery: Delivery): Promise<void> {
    await this.container.item(caseId, caseId).patch([{ op: 'set', path: `/deliveries/${entryId}`, value: delivery }]);
  }

  listEspRemindersDue(programmeId: string, today: string, limit: number): Promise<StoredCase[]> {
    return this.query<StoredCase>(
      `SELECT TOP @limit * FROM c WHERE c.programmeId = @programmeId AND IS_DEFINED(c.espRegistration) AND NOT IS_DEFINED(c.espRegistration.remindedAt) AND c.espRegistration.remindOn <= @today AND c.espRegistration.lapsesOn > @today`,
      { programmeId, today, limit },
    ).then((rows) => rows.map(toStored));
  }

  listOpenDisputes(programmeId: string, limit: number): Promise<StoredCase[]> {
    return this.query<StoredCase>(
      `SELECT TOP @limit * FROM c WHERE c.programmeId = @programmeId AND IS_DEFINED(c.dispute) AND NOT IS_DEFINED(c.dispute.settledAt) ORDER BY c.dispute.lodgedAt`,
      { programmeId, limit },
    ).then((rows) => rows.map(toStored));
  }

  listInConversation(programmeId: string, changedSince: string, limit: number): Promise<StoredCase[]> {
    return this.query<StoredCase>(
      `SELECT TOP @limit * FROM c WHERE c.programmeId = @programmeId AND (c.state = 'in_progress' OR c.updatedAt >= @changedSince)`,
      { programmeId, changedSince, limit },
    ).then((rows) => rows.map(toStored));
  }

  async takeOverDelivery(caseId: string, index: number, entryId: string, from: string, to: string): Promise<boolean> {
    // The condition is SQL text (the patch API takes no parameters): the values go in as escaped
    // string literals. The embedded server lowercases a condition before running it, so the
    // properties named here are lowercase words.
    const i = Math.trunc(index);
    const literal = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    try {
      await this.container.item(caseId, caseId).patch({
        condition: `FROM c WHERE c.transcript[${i}].id = ${literal(entryId)} AND c.transcript[${i}].sender = ${literal(from)} AND NOT IS_DEFINED(c.deliveries[${literal(entryId)}])`,
        operations: [{ op: 'set', path: `/transcript/${i}/sender`, value: to }],
      });
      return true;
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return false;
      throw error;
    }
  }

  async recordWaitSlip(caseId: string, slip: NonNullable<Case['slip']>, notified: PlaceTold): Promise<boolean> {
    try {
      // Lowercase property names: the embedded server lowercases a condition (see takeOverDelivery).
      await this.container.item(caseId, caseId).patch({
        condition: "FROM c WHERE c.state = 'waiting' AND NOT IS_DEFINED(c.slip)",
        operations: [
          { op: 'set', path: '/slip', value: slip },
          { op: 'set', path: '/notified', value: notified },
        ],
      });
      return true;
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return false;
      throw error;
    }
  }

  async recordPlaceNotified(caseId: string, notified: PlaceTold, previous: number | undefined): Promise<boolean> {
    try {
      await this.container.item(caseId, caseId).patch({
        condition:
          previous === undefined
            ? 'FROM c WHERE NOT IS_DEFINED(c.notified)'
            : `FROM c WHERE c.notified.position = ${Math.trunc(previous)}`,
        operations: [{ op: 'set', path: '/notified', value: notified }],
      });
      return true;
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return false;
      throw error;
    }
  }

  async listPendingReceipts(programmeId: string, changedAfter: string, changedBefore: string, limit: number): Promise<StoredCase[]> {
    const docs = await this.query<ItemDefinition>(
      `SELECT TOP @limit * FROM c WHERE c.programmeId = @programmeId AND c.receiptsPending = true
         AND c.updatedAt > @changedAfter AND c.updatedAt < @changedBefore`,
      { programmeId, changedAfter, changedBefore, limit },
    );
    return docs.map(toStored);
  }

  async listOpenReferrals(programmeId: string, limit: number): Promise<StoredCase[]> {
    const docs = await this.query<ItemDefinition>(
      `SELECT TOP @limit * FROM c WHERE c.programmeId = @programmeId AND IS_DEFINED(c.referral) AND NOT IS_DEFINED(c.referral.done)
         ORDER BY c.referral.dueAt ASC`,
      { programmeId, limit },
    );
    return docs.map(toStored);
  }

  listClosedBefore(closedBefore: string, limit: number): Promise<string[]> {
    return this.query<string>(
      // Only cases with a retention decision (ttl), counted from when they were really done
      // (issue 19: a referral's session ends long before the back office finishes it).
      `SELECT TOP @limit VALUE c.id FROM c WHERE IS_DEFINED(c.ttl) AND IS_DEFINED(c.closedAt)
         AND ((IS_DEFINED(c.doneAt) AND c.doneAt < @closedBefore) OR (NOT IS_DEFINED(c.doneAt) AND c.closedAt < @closedBefore))
         ORDER BY c.closedAt ASC`,
      { closedBefore, limit },
    );
  }

  async remove(caseId: string): Promise<boolean> {
    try {
      await this.container.item(caseId, caseId).delete();
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  private async query<T>(query: string, values: Record<string, SqlParameter['value']>): Promise<T[]> {
    const parameters = Object.entries(values).map(([name, value]) => ({ name: `@${name}`, value }));
    const { resources } = await this.container.items.query<T>({ query, parameters }).fetchAll();
    return resources;
  }
}
