/** Conversation references in Cosmos DB: the container `conversations`, partitioned by id. */
import type { Container, PatchOperation } from '@azure/cosmos';
import type { ConversationStore, OpenedCase, StoredConversation } from '../ports/conversationStore.js';
import { statusOf } from './statusOf.js';

/**
 * A reference this instance wrote less than this long ago (by the conversations' own times) is
 * not written again unchanged: it changes only when Teams moves the conversation to another
 * service URL.
 */
const UNCHANGED_REFERENCE_REWRITE_MS = 10 * 60_000;

/** How many recently written references are remembered (a session's ratepayers, with room to spare). */
const REMEMBERED_REFERENCES = 5_000;

type ConversationDocument = StoredConversation & { _etag?: string };

/** The Cosmos DB implementation of the conversation store. */
export class CosmosConversationStore implements ConversationStore {
  /** By conversation id: what was last written and when (insertion order is age order). */
  private readonly written = new Map<string, { body: string; at: number }>();

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
    await this.write({ ...conversation, language, languageSource: source });
    this.remember(conversation.id, comparable(conversation), Date.parse(conversation.updatedAt));
  }

  async forgetCases(conversationId: string, caseIds: readonly string[]): Promise<boolean> {
    const current = await this.read(conversationId);
    if (!current?.openedCases) return true;
    const forget = new Set(caseIds);
    const { _etag, ...rest } = current;
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
    if (!resource) return undefined;
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
    try {
      await this.container.item(id, id).delete();
      this.written.delete(id);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  private async read(id: string): Promise<ConversationDocument | undefined> {
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
   * create when it is not. Two instances creating it at once: the loser patches.
   */
  private async write(conversation: StoredConversation, opened?: OpenedCase): Promise<void> {
    const { id, channelId, reference, kind, userId, updatedAt, language, languageSource } = conversation;
    // The language only when it is being set: a plain save never resets it (issue 16).
    const languageOps: PatchOperation[] = language
      ? [
          { op: 'set', path: '/language', value: language },
          { op: 'set', path: '/languageSource', value: languageSource ?? 'picked' },
        ]
      : [];
    const operations: PatchOperation[] = [
      ...languageOps,
      { op: 'set', path: '/channelId', value: channelId },
      { op: 'set', path: '/reference', value: reference },
      { op: 'set', path: '/kind', value: kind },
      { op: 'set', path: '/updatedAt', value: updatedAt },
      ...(userId ? [{ op: 'set', path: '/userId', value: userId } as const] : []),
      ...(this.ttlOf(kind) ? [{ op: 'set', path: '/ttl', value: this.ttlOf(kind) } as const] : []),
      ...(opened ? [{ op: 'add', path: '/openedCases/-', value: opened } as const] : []),
    ];
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.container.item(id, id).patch(operations);
        return;
      } catch (error) {
        if (opened && statusOf(error) === 400 && (await this.startNotingCases(id, operations, opened))) return;
        if (statusOf(error) !== 404) throw error;
      }
      try {
        const ttl = this.ttlOf(kind);
        const document = {
          id,
          channelId,
          reference,
          kind,
          ...(userId ? { userId } : {}),
          updatedAt,
          openedCases: opened ? [opened] : [],
          ...(ttl ? { ttl } : {}),
          ...(language ? { language, languageSource: languageSource ?? 'picked' } : {}),
        };
        await this.container.items.create(document);
        return;
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
      }
    }
    throw new Error(`Conversation ${id} could not be saved: it keeps being created and deleted`);
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
