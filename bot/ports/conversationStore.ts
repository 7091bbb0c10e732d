/**
 * Where to reach a conversation later (proactive messages). The reference is kept as the
 * channel gave it: the service does not look inside beyond the ids it needs.
 */
export interface StoredConversation {
  id: string;
  channelId: string;
  /** The Bot Framework conversation reference, opaque to everything but the bot adapter. */
  reference: Record<string, unknown>;
  kind: 'personal' | 'groupChat' | 'channel';
  userId?: string;
  updatedAt: string;
}

/** Conversation references by conversation id. */
export interface ConversationStore {
  save(conversation: StoredConversation): Promise<void>;
  get(id: string): Promise<StoredConversation | undefined>;
}
