/**
 * Conversation references in Cosmos DB: the container `conversations`, partitioned by id. The
 * same document keeps the conversation's latest processed activities (the redelivery check,
 * bot/platform/ports/processedActivities.ts), so the check is the read the turn makes anyway and
 * recording costs one write: a conversation first seen without a reference to keep gets a record
 * of its own (no reference, no user: `processedActivities`, `openedCases: []`, `kind`,
 * `updatedAt`, a TTL of a day), which the first save of the reference completes. It also keeps the
 * times of the conversation's recent failed proofs of ownership (`failedProofs`,
 * bot/platform/ports/proofAttempts.ts), so the limit on them holds across instances; those on a
 * case reference, from any chat, are kept in a document of their own in the same container
 * (`failed-proofs:<reference>`, kind `failed-proofs`, a day's TTL). And the intake form last
 * offered in the chat and not sent (`openForm`, bot/platform/ports/openForms.ts: Teams, whose
 * client does not say which form it shows), written with the record of the turn's activity.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Container, Item, PatchOperation } from '@azure/cosmos';
import type { ConversationStore, OpenedCase, StoredConversation } from '../ports/conversationStore.js';
import { PROCESSED_ACTIVITIES_KEPT, PROCESSED_ACTIVITY_KEEP_MS, type ProcessedActivities } from '../ports/processedActivities.js';
import type { ProofAttempts } from '../ports/proofAttempts.js';
import type { OpenForms, RememberedForm } from '../ports/openForms.js';
import { statusOf } from './statusOf.js';

/**
 * A reference this instance wrote less than this long ago (by the conversations' own times) is
 * not written again unchanged: it changes only when Teams moves the conversation to another
 * service URL.
 */
const UNCHANGED_REFERENCE_REWRITE_MS = 10 * 60_000;

/** How many recently written references are remembered (a session's ratepayers, with room to spare). */
const REMEMBERED_REFERENCES = 5_000;

/** A processed activity: its id and when its turn completed (ISO 8601). */
interface ProcessedEntry {
  id: string;
  at: string;
}

type ConversationDocument = Omit<StoredConversation, 'reference' | 'channelId'> & {
  /** Absent on a record of processed activities only (no reference kept yet). */
  reference?: Record<string, unknown>;
  channelId?: string;
  /** Newest first, at most PROCESSED_ACTIVITIES_KEPT. */
  processedActivities?: ProcessedEntry[];
  /** When the conversation's recent failed proofs of ownership were made (ISO 8601), newest first. */
  failedProofs?: string[];
  /** The intake form last offered and not sent (OpenForms); null or absent: none. */
  openForm?: RememberedForm | null;
  _etag?: string;
};

/** Cosmos DB's limit on the operations of one patch. */
const MAX_PATCH_OPERATIONS = 10;

/** Whether two remembered forms (or none) are the same. */
const sameForm = (a: RememberedForm | null | undefined, b: RememberedForm | null | undefined): boolean =>
  (a ?? null) === (b ?? null) || (!!a && !!b && a.category === b.category && a.draftId === b.draftId && (a.follows ?? '') === (b.follows ?? ''));

/**
 * One turn's reads (duringTurn): by conversation id, the read in force, the first read (the
 * check's), a language choice not written yet (it goes with the turn's next write of the
 * conversation, at the latest the record of its activity: markProcessed) and the open form to
 * remember (null: none), which goes with that record.
 */
interface TurnReads {
  open: boolean;
  reads: Map<string, Promise<ConversationDocument | undefined>>;
  checked: Map<string, ConversationDocument | undefined>;
  language: Map<string, StoredConversation>;
  form: Map<string, RememberedForm | null>;
}

/**
 * The id of a case reference's record of failed proofs: a prefix no channel's conversation id
 * has (Teams `a:`/`19:`, Direct Line's random ids, `whatsapp:`/`sms:`), and the reference, which
 * is no personal data.
 */
const failedProofsId = (reference: string): string => `failed-proofs:${reference}`;

/** How many of the ISO times are at or after `since`. */
const countSince = (times: string[] | undefined, since: Date): number => (times ?? []).filter((at) => Date.parse(at) >= since.getTime()).length;

/** The Cosmos DB implementation of the conversation store and of the processed-activity record. */
export class CosmosConversationStore implements ConversationStore, ProcessedActivities, ProofAttempts, OpenForms {
  /** By conversation id: what was last written and when (insertion order is age order). */
  private readonly written = new Map<string, { body: string; at: number }>();
  private readonly turn = new AsyncLocalStorage<TurnReads>();

  constructor(
    private readonly container: Container,
    private readonly options: {
      /**
       * Seconds a ratepayer's (personal) conversation is kept after it was last written: POPIA's
       * "no longer than necessary". Channels (the supervisors') are kept.
       */
      personalTtlSeconds?: number;
    } = {},
  ) {}

  async save(conversation: StoredConversation): Promise<void> {
    const body = comparable(conversation);
    const at = Date.parse(conversation.updatedAt);
    const last = this.written.get(conversation.id);
    if (last && last.body === body && at >= last.at && at - last.at < UNCHANGED_REFERENCE_REWRITE_MS) return;
    await this.write(conversation);
    this.remember(conversation.id, body, at);
  }

  async noteCase(conversation: StoredConversation, opened: OpenedCase): Promise<void> {
    await this.write(conversation, opened);
    this.remember(conversation.id, comparable(conversation), Date.parse(conversation.updatedAt));
  }

  async setLanguage(conversation: StoredConversation, language: string, source: NonNullable<StoredConversation['languageSource']>): Promise<void> {
    const written = { ...conversation, language, languageSource: source };
    // Inside a turn whose check read the document (duringTurn), the choice is not written on its
    // own: it goes with the turn's next write of the conversation (noteCase, save), at the latest
    // with the record of the turn's activity (markProcessed), so a first message costs the check's
    // read and one create, not a read, a create and a patch. A turn that fails records neither,
    // and its resend settles the language again. The turn's later reads see the choice at once.
    const reads = this.turn.getStore();
    if (reads?.open && reads.checked.has(conversation.id)) {
      const before = await this.read(conversation.id);
      reads.language.set(conversation.id, written);
      reads.reads.set(conversation.id, Promise.resolve({ openedCases: [], processedActivities: [], ...before, ...written } as ConversationDocument));
      return;
    }
    await this.write(written);
    this.remember(conversation.id, comparable(conversation), Date.parse(conversation.updatedAt));
  }

  async presetLanguage(conversationId: string, language: string): Promise<void> {
    const at = new Date().toISOString();
    try {
      // A record like a processed activity's: no reference yet, a day's TTL until the conversation is saved.
      await this.container.items.create({ id: conversationId, updatedAt: at, openedCases: [], processedActivities: [], language, languageSource: 'locale', ttl: PROCESSED_ACTIVITY_KEEP_MS / 1000 });
    } catch (error) {
      // Already there: the conversation started meanwhile, and what it settled stands.
      if (statusOf(error) !== 409) throw error;
    }
  }

  async languageOf(conversationId: string): Promise<Pick<StoredConversation, 'language' | 'languageSource'> | undefined> {
    const doc = await this.read(conversationId);
    return doc?.language ? { language: doc.language, ...(doc.languageSource ? { languageSource: doc.languageSource } : {}) } : undefined;
  }

  async openFormOf(conversationId: string): Promise<RememberedForm | undefined> {
    const form = (await this.read(conversationId))?.openForm;
    return form ? { category: form.category, draftId: form.draftId, ...(form.follows ? { follows: form.follows } : {}) } : undefined;
  }

  async rememberOpenForm(conversationId: string, form: RememberedForm | null): Promise<void> {
    const reads = this.turn.getStore();
    if (reads?.open && reads.checked.has(conversationId)) {
      // Against what the turn began with, not a read of its own: the turn may have written the
      // conversation since (a case noted), and a read now would be the request this saves.
      const before = reads.form.has(conversationId) ? reads.form.get(conversationId) : reads.checked.get(conversationId)?.openForm;
      if (sameForm(before, form) && !reads.form.has(conversationId)) return;
      reads.form.set(conversationId, form);
      const cached = reads.reads.get(conversationId);
      if (cached) reads.reads.set(conversationId, cached.then((doc) => (doc ? { ...doc, openForm: form } : doc)));
      return;
    }
    this.wrote(conversationId);
    await this.container
      .item(conversationId, conversationId)
      .patch([{ op: 'set', path: '/openForm', value: form }])
      .catch((error: unknown) => {
        if (statusOf(error) !== 404) throw error;
      });
  }

  async forgetCases(conversationId: string, caseIds: readonly string[]): Promise<boolean> {
    // Under the document's ETag: a turn's copy of what it wrote itself has none, so it is read.
    let current = await this.read(conversationId);
    if (current && !current._etag) current = await this.readStored(conversationId);
    if (!current?.openedCases) return true;
    const forget = new Set(caseIds);
    const { _etag, ...rest } = current;
    this.wrote(conversationId);
    try {
      await this.container
        .item(conversationId, conversationId)
        .replace({ ...rest, openedCases: current.openedCases.filter((c) => !forget.has(c.id)) }, { accessCondition: { type: 'IfMatch', condition: _etag! } });
      return true;
    } catch (error) {
      // A case noted meanwhile: keep everything; the closed ones are forgotten next time.
      if (statusOf(error) === 412 || statusOf(error) === 404) return false;
      throw error;
    }
  }

  async get(id: string): Promise<StoredConversation | undefined> {
    const resource = await this.read(id);
    // A record of processed activities only: no reference to reach it by.
    if (!resource?.reference || !resource.channelId) return undefined;
    const { id: rid, channelId, reference, kind, userId, updatedAt, openedCases, language, languageSource } = resource;
    return {
      id: rid,
      channelId,
      reference,
      kind,
      ...(userId ? { userId } : {}),
      updatedAt,
      ...(openedCases ? { openedCases } : {}),
      ...(language ? { language } : {}),
      ...(languageSource ? { languageSource } : {}),
    };
  }

  async listPersonalWrittenBefore(writtenBefore: string, limit: number): Promise<string[]> {
    const { resources } = await this.container.items
      .query<string>({
        query: `SELECT TOP @limit VALUE c.id FROM c WHERE c.kind = 'personal' AND c.updatedAt < @writtenBefore`,
        parameters: [
          { name: '@limit', value: limit },
          { name: '@writtenBefore', value: writtenBefore },
        ],
      })
      .fetchAll();
    return resources;
  }

  async remove(id: string): Promise<boolean> {
    this.wrote(id);
    try {
      await this.container.item(id, id).delete();
      this.written.delete(id);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  async duringTurn<T>(work: () => Promise<T>): Promise<T> {
    const reads: TurnReads = { open: true, reads: new Map(), checked: new Map(), language: new Map(), form: new Map() };
    try {
      return await this.turn.run(reads, work);
    } finally {
      // Work the turn started that outlives it (a listener's later sends) reads afresh.
      reads.open = false;
    }
  }

  async wasProcessed(conversationId: string, activityId: string, now: Date): Promise<boolean> {
    const doc = await this.read(conversationId);
    this.turn.getStore()?.checked.set(conversationId, doc);
    return !!doc?.processedActivities?.some((p) => p.id === activityId && Date.parse(p.at) > now.getTime() - PROCESSED_ACTIVITY_KEEP_MS);
  }

  /**
   * One write: the entry put first in the list (and the one past PROCESSED_ACTIVITIES_KEPT taken
   * off, in the same patch, when the list read had that many: the list only grows between, so
   * the index is there); a create when the check found no document. What the check read decides
   * which; outside a turn it is read here. A language chosen in the turn and not written yet
   * (setLanguage) goes in the same write, with the conversation's reference, and so does the open
   * form the turn remembered (rememberOpenForm), unless the patch would then exceed Cosmos DB's
   * ten operations (a language and a full list): then the form is a patch of its own before it.
   */
  async markProcessed(conversationId: string, activityId: string, now: Date, kind?: StoredConversation['kind']): Promise<void> {
    const reads = this.turn.getStore();
    const known = reads?.checked.has(conversationId) ? reads.checked.get(conversationId) : await this.read(conversationId);
    const pending = reads?.language.get(conversationId);
    reads?.language.delete(conversationId);
    const formChanged = !!reads?.form.has(conversationId);
    const form = reads?.form.get(conversationId) ?? null;
    reads?.form.delete(conversationId);
    const entry: ProcessedEntry = { id: activityId, at: now.toISOString() };
    this.wrote(conversationId);
    const item = this.container.item(conversationId, conversationId);
    const create = async (): Promise<boolean> => {
      const record = pending
        ? { ...this.documentOf(pending), processedActivities: [entry], ...(form ? { openForm: form } : {}) }
        : {
            id: conversationId,
            ...(kind ? { kind } : {}),
            updatedAt: entry.at,
            openedCases: [],
            processedActivities: [entry],
            ...(form ? { openForm: form } : {}),
            ttl: PROCESSED_ACTIVITY_KEEP_MS / 1000,
          };
      try {
        await this.container.items.create(record);
        return true;
      } catch (error) {
        if (statusOf(error) === 409) return false;
        throw error;
      }
    };
    let conversation = pending ? this.operationsOf(pending) : [];
    if (formChanged) {
      const set: PatchOperation = { op: 'set', path: '/openForm', value: form };
      // The record adds at most two operations (the entry, and the oldest taken off).
      if (conversation.length + 3 <= MAX_PATCH_OPERATIONS) conversation = [...conversation, set];
      else if (known) await item.patch([set]).catch((error: unknown) => {
        if (statusOf(error) !== 404) throw error;
      });
    }
    const done = (!known && (await create())) || (await this.recordOn(item, known, entry, conversation));
    // Deleted meanwhile (the retention sweep): a record of its own again.
    if (!done) await create();
    if (pending) this.remember(conversationId, comparable(pending), Date.parse(pending.updatedAt));
  }

  /** The patch that records `entry` on a document that is there (`conversation`: more to set in the same patch); false when it is gone. */
  private async recordOn(item: Item, known: ConversationDocument | undefined, entry: ProcessedEntry, conversation: PatchOperation[]): Promise<boolean> {
    const prepend = (operations: PatchOperation[]) =>
      item.patch([...conversation, ...operations]).then(
        () => true,
        (error: unknown) => {
          if (statusOf(error) === 404) return false;
          throw error;
        },
      );
    if (known && !known.processedActivities) {
      // A document without the list yet (saved before processed activities were kept here): start it, unless another turn just did.
      return item.patch({ condition: 'FROM c WHERE NOT IS_DEFINED(c.processedActivities)', operations: [...conversation, { op: 'set', path: '/processedActivities', value: [entry] }] }).then(
        () => true,
        (error: unknown) => {
          if (statusOf(error) === 412) return prepend([{ op: 'add', path: '/processedActivities/0', value: entry }]);
          if (statusOf(error) === 404) return false;
          throw error;
        },
      );
    }
    const full = (known?.processedActivities?.length ?? 0) >= PROCESSED_ACTIVITIES_KEPT;
    return prepend([
      { op: 'add', path: '/processedActivities/0', value: entry },
      ...(full ? [{ op: 'remove', path: `/processedActivities/${PROCESSED_ACTIVITIES_KEPT}` } as const] : []),
    ]);
  }

  async failedProofsSince(conversationId: string, since: Date): Promise<number> {
    // Read afresh, not the turn's read: another instance may have counted one since the turn began.
    const doc = await this.readStored(conversationId);
    return countSince(doc?.failedProofs, since);
  }

  /**
   * A replace under the document's ETag (another instance recording at once: read again and
   * retry), so no attempt is lost; a record of its own (a day's TTL, like a processed-activity
   * record) when the conversation is not stored yet.
   */
  async recordFailedProof(conversationId: string, at: Date, keepSince: Date): Promise<void> {
    this.wrote(conversationId);
    await this.appendFailedProof(conversationId, at, keepSince, (entry) => ({
      id: conversationId,
      updatedAt: entry,
      openedCases: [],
      processedActivities: [],
      failedProofs: [entry],
      ttl: PROCESSED_ACTIVITY_KEEP_MS / 1000,
    }));
  }

  async failedProofsOnReferenceSince(reference: string, since: Date): Promise<number> {
    const doc = await this.readStored(failedProofsId(reference));
    return countSince(doc?.failedProofs, since);
  }

  /**
   * The document `failed-proofs:<reference>` (kind `failed-proofs`, `failedProofs`, a day's TTL
   * from its last write), written like a conversation's count: a replace under its ETag, retried.
   */
  async recordFailedProofOnReference(reference: string, at: Date, keepSince: Date): Promise<number> {
    const id = failedProofsId(reference);
    return this.appendFailedProof(id, at, keepSince, (entry) => ({ id, kind: 'failed-proofs', updatedAt: entry, failedProofs: [entry], ttl: PROCESSED_ACTIVITY_KEEP_MS / 1000 }));
  }

  /**
   * Puts `at` first in the document's `failedProofs` and returns how many of them are at or after
   * `keepSince`, this one included; creates the document (`fresh`) when there is none.
   * A patch (`add /failedProofs/0`), which Cosmos DB applies atomically in the order it receives
   * them: a burst of guesses at one reference from many chats and instances loses none and each
   * sees its own count (a read-and-replace under the ETag lost some under such a burst: every
   * writer but one retries, again and again). A conversation's document may have no list yet:
   * then the patch fails (400; the embedded server instead changes nothing) and the list is
   * started by a replace under the ETag. Those before `keepSince` are then dropped by a `set`
   * under the ETag the patch returned, which fails harmlessly when another try came in between
   * (that one drops them).
   */
  private async appendFailedProof(id: string, at: Date, keepSince: Date, fresh: (entry: string) => Record<string, unknown>): Promise<number> {
    const entry = at.toISOString();
    const item = this.container.item(id, id);
    for (let attempt = 0; attempt < 5; attempt++) {
      let doc: ConversationDocument | undefined;
      try {
        doc = (await item.patch<ConversationDocument>([{ op: 'add', path: '/failedProofs/0', value: entry }])).resource;
      } catch (error) {
        if (statusOf(error) === 404) {
          try {
            await this.container.items.create(fresh(entry));
            return 1;
          } catch (createError) {
            if (statusOf(createError) === 409) continue; // created by another try meanwhile: add to it
            throw createError;
          }
        }
        if (statusOf(error) !== 400) throw error;
      }
      if (!doc?.failedProofs) {
        const current = await this.readStored(id);
        if (!current || current.failedProofs) continue; // gone, or another try started the list: add to it
        const { _etag, ...rest } = current;
        try {
          await item.replace({ ...rest, failedProofs: [entry] }, { accessCondition: { type: 'IfMatch', condition: _etag! } });
          return 1;
        } catch (error) {
          if (statusOf(error) === 412 || statusOf(error) === 404) continue;
          throw error;
        }
      }
      const kept = doc.failedProofs.filter((t) => Date.parse(t) >= keepSince.getTime());
      if (kept.length < doc.failedProofs.length && doc._etag)
        await item.patch({ operations: [{ op: 'set', path: '/failedProofs', value: kept }] }, { accessCondition: { type: 'IfMatch', condition: doc._etag } }).catch((error: unknown) => {
          if (statusOf(error) !== 412 && statusOf(error) !== 404) throw error;
        });
      return kept.length;
    }
    throw new Error(`A failed proof on ${id} could not be recorded: the record keeps changing`);
  }

  /** A read of the document; inside a turn (duringTurn) the turn's read, until the turn writes it. */
  private read(id: string): Promise<ConversationDocument | undefined> {
    const reads = this.turn.getStore();
    if (!reads?.open) return this.readStored(id);
    let read = reads.reads.get(id);
    if (!read) {
      reads.reads.set(id, (read = this.readStored(id)));
      read.catch(() => {
        if (reads.reads.get(id) === read) reads.reads.delete(id);
      });
    }
    return read;
  }

  /** This instance writes the conversation: the turn's read of it no longer holds. */
  private wrote(id: string): void {
    this.turn.getStore()?.reads.delete(id);
  }

  private async readStored(id: string): Promise<ConversationDocument | undefined> {
    try {
      const { resource } = await this.container.item(id, id).read<ConversationDocument>();
      return resource ?? undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * One patch when the conversation is known (its noted cases kept, the new one appended); a
   * create when it is not. Two instances creating it at once: the loser patches. A language the
   * turn chose and has not written yet (setLanguage) is written with it.
   */
  private async write(given: StoredConversation, opened?: OpenedCase): Promise<void> {
    const reads = this.turn.getStore();
    const pending = reads?.language.get(given.id);
    reads?.language.delete(given.id);
    const conversation = pending && !given.language ? { ...given, language: pending.language, languageSource: pending.languageSource } : given;
    const { id } = conversation;
    this.wrote(id);
    const operations: PatchOperation[] = [...this.operationsOf(conversation), ...(opened ? [{ op: 'add', path: '/openedCases/-', value: opened } as const] : [])];
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.container.item(id, id).patch(operations);
        return;
      } catch (error) {
        if (opened && statusOf(error) === 400 && (await this.startNotingCases(id, operations, opened))) return;
        if (statusOf(error) !== 404) throw error;
      }
      try {
        await this.container.items.create({ ...this.documentOf(conversation), openedCases: opened ? [opened] : [] });
        return;
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
    }
    throw new Error(`Conversation ${id} could not be saved: it keeps being created and deleted`);
  }

  /** The patch operations that set the conversation's reference (and its language, when it is being set: a plain save never resets it, issue 16). At most 8, of Cosmos DB's 10 a patch. */
  private operationsOf(conversation: StoredConversation): PatchOperation[] {
    const { channelId, reference, kind, userId, updatedAt, language, languageSource } = conversation;
    return [
      ...(language
        ? [
            { op: 'set', path: '/language', value: language } as const,
            { op: 'set', path: '/languageSource', value: languageSource ?? 'picked' } as const,
          ]
        : []),
      { op: 'set', path: '/channelId', value: channelId },
      { op: 'set', path: '/reference', value: reference },
      { op: 'set', path: '/kind', value: kind },
      { op: 'set', path: '/updatedAt', value: updatedAt },
      ...(userId ? [{ op: 'set', path: '/userId', value: userId } as const] : []),
      // -1: never expires (a supervisors' channel), also where a processed-activity record had a day.
      { op: 'set', path: '/ttl', value: this.ttlOf(kind) ?? -1 },
    ];
  }

  /** A new document for the conversation, with no cases noted and no activities recorded yet. */
  private documentOf(conversation: StoredConversation): ConversationDocument {
    const { id, channelId, reference, kind, userId, updatedAt, language, languageSource } = conversation;
    const ttl = this.ttlOf(kind);
    return {
      id,
      channelId,
      reference,
      kind,
      ...(userId ? { userId } : {}),
      updatedAt,
      openedCases: [],
      processedActivities: [],
      ...(ttl ? { ttl } : {}),
      ...(language ? { language, languageSource: languageSource ?? 'picked' } : {}),
    } as ConversationDocument;
  }

  /** A conversation saved before cases were noted on conversations has no list to append to: start one. */
  private async startNotingCases(id: string, operations: PatchOperation[], opened: OpenedCase): Promise<boolean> {
    try {
      await this.container.item(id, id).patch({
        condition: 'FROM c WHERE NOT IS_DEFINED(c.openedCases)',
        operations: [...operations.slice(0, -1), { op: 'set', path: '/openedCases', value: [opened] }],
      });
      return true;
    } catch {
      return false;
    }
  }

  private ttlOf(kind: StoredConversation['kind']): number | undefined {
    return kind === 'personal' ? this.options.personalTtlSeconds : undefined;
  }

  private remember(id: string, body: string, at: number): void {
    this.written.delete(id);
    this.written.set(id, { body, at });
    if (this.written.size > REMEMBERED_REFERENCES) this.written.delete(this.written.keys().next().value!);
  }
}

/** What must match for a rewrite to be skipped: not the time, nor the id of the activity the reference was taken from. */
function comparable(conversation: StoredConversation): string {
  const { updatedAt: _updatedAt, openedCases: _openedCases, reference, ...rest } = conversation;
  const { activityId: _activityId, ...where } = reference;
  return JSON.stringify({ ...rest, where });
}
