import type { Case, Delivery, PlaceTold, TranscriptEntry } from '../../domain/case.js';
import type { OpenCaseRow, RecentCaseRow } from '../../domain/waitEstimate.js';

/**
 * A case as read from the store, with the version the store gave it (`etag`, opaque): a write
 * based on it succeeds only while the case is unchanged since.
 */
export type StoredCase = Case & { etag: string };

/** The result of creating a case: created, or an existing case already holds that id. */
export type CreateResult = { created: true; case: StoredCase } | { created: false; existing: StoredCase };

/** Thrown when a write is based on a version of the case that is no longer current. */
export class StaleCaseError extends Error {
  constructor(readonly caseId: string) {
    super(`Case ${caseId} was changed by someone else; read it again.`);
    this.name = 'StaleCaseError';
  }
}

/** Where cases live. Production and local runs both use Cosmos DB through @azure/cosmos. */
export interface CaseStore {
  /** Creates the case unless its id is taken, in which case the holder is returned. */
  create(c: Case): Promise<CreateResult>;
  get(id: string): Promise<StoredCase | undefined>;
  /** Writes the case only if it is unchanged since it was read; else StaleCaseError. */
  replace(c: StoredCase): Promise<StoredCase>;
  /** How many waiting cases of the category are ahead of the given queue key. */
  countWaitingAhead(programmeId: string, category: string, queueKey: string): Promise<number>;
  /** Waiting cases of the given categories, oldest first. */
  listWaiting(programmeId: string, categories: readonly string[], limit: number): Promise<StoredCase[]>;
  /**
   * Every waiting and in-progress case of the programme, oldest in the queue first, with only
   * what the wait forecast needs (one query; at most `limit`).
   */
  listOpen(programmeId: string, limit: number): Promise<OpenCaseRow[]>;
  /** Cases of the programme closed at or after the instant, newest first, with what the wait forecast needs. */
  listClosedSince(programmeId: string, since: string, limit: number): Promise<RecentCaseRow[]>;
  /** Handling minutes of the category's most recently resolved cases, newest first. */
  recentHandlingMinutes(programmeId: string, category: string, limit: number): Promise<number[]>;
  /** An account's cases, newest first. */
  listByAccount(accountNumber: string, limit: number): Promise<StoredCase[]>;
  /** Open cases (waiting or with an expert) of a programme with this mobile number (E.164) and category, at most `limit`. */
  listOpenByMobile(programmeId: string, category: string, mobile: string, limit: number): Promise<StoredCase[]>;
  /** Cases being worked on in the given categories (or by one person), oldest in the queue first. */
  listInProgress(programmeId: string, filter: { categories?: readonly string[]; staffId?: string }, limit: number): Promise<StoredCase[]>;
  /** A conversation's cases, open or closed, newest first ("my cases"). */
  listForConversation(conversationId: string, limit: number): Promise<StoredCase[]>;
  /**
   * Appends to the transcript without reading the case first (a patch), so relayed messages
   * never contend with other changes for the ETag.
   */
  appendTranscript(caseId: string, entry: TranscriptEntry): Promise<void>;
  /** Records whether a message to the ratepayer was delivered. */
  recordDelivery(caseId: string, entryId: string, delivery: Delivery): Promise<void>;
  /**
   * Issue 20: cases whose ESP registration reminder is due on local date `today` (remindOn on or
   * before it, lapsesOn after it) and not yet sent, open or closed.
   */
  listEspRemindersDue(programmeId: string, today: string, limit: number): Promise<StoredCase[]>;
  /** Issue 20: cases with a dispute still open (lodged, not settled), oldest lodged first. */
  listOpenDisputes(programmeId: string, limit: number): Promise<StoredCase[]>;
  /** Cases whose conversation may still have messages on their way: with an expert, or changed since the instant. */
  listInConversation(programmeId: string, changedSince: string, limit: number): Promise<StoredCase[]>;
  /**
   * Makes `to` the sender of a message still without an outcome, only if its sender is still
   * `from`; false when another instance took it over first, or its outcome was recorded meanwhile.
   */
  takeOverDelivery(caseId: string, index: number, entryId: string, from: string, to: string): Promise<boolean>;
  /**
   * Records the place the ratepayer was last told, only if it is better than the one on record;
   * false when another instance told them first (so they are not told twice).
   */
  recordPlaceNotified(caseId: string, notified: PlaceTold, previous: number | undefined): Promise<boolean>;
  /**
   * Records that the ratepayer is told their wait slipped (and the new baseline), only while the
   * case waits and was never told of a slip; false otherwise (another instance told them first).
   */
  recordWaitSlip(caseId: string, slip: NonNullable<Case['slip']>, notified: PlaceTold): Promise<boolean>;
  /** Cases with a receipt still to deliver, last changed between the two instants (the retry round), at most `limit`. */
  listPendingReceipts(programmeId: string, changedAfter: string, changedBefore: string, limit: number): Promise<StoredCase[]>;
  /** Cases of the programme with a referral still open (issue 19), soonest due first, at most `limit`. */
  listOpenReferrals(programmeId: string, limit: number): Promise<StoredCase[]>;
  /** Ids of cases done (with a retention decision) before the instant (the retention sweep), oldest first, at most `limit`. */
  listClosedBefore(closedBefore: string, limit: number): Promise<string[]>;
  /** Deletes a case for good (retention over); false when it was already gone. */
  remove(caseId: string): Promise<boolean>;
}
