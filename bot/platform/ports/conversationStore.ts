/**
 * Where to reach a conversation later (proactive messages), and which cases were opened from it.
 * The reference is kept as the channel gave it: the service does not look inside beyond the ids
 * it needs.
 */
export interface StoredConversation {
  id: string;
  channelId: string;
  /** The Bot Framework conversation reference, opaque to everything but the bot adapter. */
  reference: Record<string, unknown>;
  kind: 'personal' | 'groupChat' | 'channel';
  userId?: string;
  updatedAt: string;
  /**
   * Cases opened from this conversation, oldest first, each noted just before the case is
   * saved: so a ratepayer's cases are found by reading them, not by a query across every case.
   * Closed ones are forgotten when next seen closed.
   */
  openedCases?: OpenedCase[];
  /**
   * The ratepayer's language, once chosen (issue 16): a catalogue code ("zu") and how it was
   * chosen. Messages sent outside a turn read it through `localeOf` (bot/messages/index.ts).
   */
  language?: string;
  languageSource?: 'picked' | 'locale' | 'words' | 'default';
}

/** A case noted on its conversation, and when. */
export interface OpenedCase {
  id: string;
  at: string;
}

/** Conversation references by conversation id. */
export interface ConversationStore {
  /** Saves where to reach the conversation; the cases noted on it are kept. */
  save(conversation: StoredConversation): Promise<void>;
  /** Saves where to reach the conversation and notes a case opened from it. */
  noteCase(conversation: StoredConversation, opened: OpenedCase): Promise<void>;
  /**
   * Forgets cases noted on the conversation (closed, or never saved); false when the
   * conversation changed meanwhile, so nothing was forgotten this time.
   */
  forgetCases(conversationId: string, caseIds: readonly string[]): Promise<boolean>;
  /**
   * Records the ratepayer's language on the conversation (created when it is not stored yet);
   * the reference and the noted cases are kept.
   */
  setLanguage(conversation: StoredConversation, language: string, source: NonNullable<StoredConversation['languageSource']>): Promise<void>;
  /**
   * Records a language known before the conversation starts (the public page's browser language,
   * bot/platform/webchat/token.ts) as chosen by the client's locale, so the welcome that answers the
   * conversation's start is in it. Kept without a reference until the conversation is saved.
   */
  presetLanguage(conversationId: string, language: string): Promise<void>;
  /** The language recorded for the conversation and how it was chosen, with or without a reference kept. */
  languageOf(conversationId: string): Promise<Pick<StoredConversation, 'language' | 'languageSource'> | undefined>;
  get(id: string): Promise<StoredConversation | undefined>;
  /** Ids of personal conversations last written before the instant (the retention sweep), at most `limit`. */
  listPersonalWrittenBefore(writtenBefore: string, limit: number): Promise<string[]>;
  /** Deletes a conversation for good (retention over); false when it was already gone. */
  remove(id: string): Promise<boolean>;
}
