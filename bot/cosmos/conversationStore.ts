/** Conversation references in Cosmos DB: the container `conversations`, partitioned by id. */
import type { Container } from '@azure/cosmos';
import type { ConversationStore, StoredConversation } from '../ports/conversationStore.js';

/**
 * A reference this instance wrote less than this long ago (by the conversations' own times) is
 * not written again unchanged: a ratepayer's every card submission carries it, and it changes only
 * when Teams moves the conversation to another service URL.
 */
export const UNCHANGED_REFERENCE_REWRITE_MS = 10 * 60_000;

/** How many recently written references are remembered (a session's ratepayers, with room to spare). */
const REMEMBERED_REFERENCES = 5_000;

/** The Cosmos DB implementation of the conversation store. */
export class CosmosConversationStore implements ConversationStore {
  /** By conversation id: what was last written and when (insertion order is age order). */
  private readonly written = new Map<string, { body: string; at: number }>();

  constructor(private readonly container: Container) {}

  async save(conversation: StoredConversation): Promise<void> {
    // The id of the activity it was taken from changes every turn and does not matter for reaching the conversation.
    const { updatedAt, reference, ...rest } = conversation;
    const { activityId: _activityId, ...where } = reference;
    const body = JSON.stringify({ ...rest, where });
    const at = Date.parse(updatedAt);
    const last = this.written.get(conversation.id);
    if (last && last.body === body && at >= last.at && at - last.at < UNCHANGED_REFERENCE_REWRITE_MS) return;
    await this.container.items.upsert(conversation);
    this.written.delete(conversation.id);
    this.written.set(conversation.id, { body, at });
    if (this.written.size > REMEMBERED_REFERENCES) this.written.delete(this.written.keys().next().value!);
  }

  async get(id: string): Promise<StoredConversation | undefined> {
    try {
      const { resource } = await this.container.item(id, id).read<StoredConversation>();
      if (!resource) return undefined;
      const { id: rid, channelId, reference, kind, userId, updatedAt } = resource;
      return { id: rid, channelId, reference, kind, ...(userId ? { userId } : {}), updatedAt };
    } catch (error) {
      if ((error as { code?: number }).code === 404) return undefined;
      throw error;
    }
  }
}
