/** Conversation references in Cosmos DB: the container `conversations`, partitioned by id. */
import type { Container } from '@azure/cosmos';
import type { ConversationStore, StoredConversation } from '../ports/conversationStore.js';

/** The Cosmos DB implementation of the conversation store. */
export class CosmosConversationStore implements ConversationStore {
  constructor(private readonly container: Container) {}

  async save(conversation: StoredConversation): Promise<void> {
    await this.container.items.upsert(conversation);
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
