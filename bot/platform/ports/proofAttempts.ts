/**
 * Failed proofs of ownership (issue 19: "status K7M-3PQ <account> <last four>" from a chat the
 * case was not opened from), counted in the store so the limits hold across every instance of the
 * service, twice over:
 * - per chat: a chat guessing references or accounts is slowed down wherever its messages land;
 * - per case reference: a new chat (the public page's "Clear this chat", another WhatsApp number)
 *   starts a fresh count per chat, so without this a stranger who knows a reference and an account
 *   number could guess the 10,000 possible last four digits 5 at a time from as many chats as
 *   they can open. Counted for any well-formed reference, whether or not a case has it, so the
 *   limit being reached says nothing about whether the case exists.
 * Only the times are kept, never what was typed (POPIA).
 */
export interface ProofAttempts {
  /** How many failed proofs the conversation made at or after `since`. Rejects when the store cannot be reached. */
  failedProofsSince(conversationId: string, since: Date): Promise<number>;
  /**
   * Records a failed proof at `at`; attempts before `keepSince` are dropped (they no longer count),
   * so the record stays small. Rejects when the store cannot be reached.
   */
  recordFailedProof(conversationId: string, at: Date, keepSince: Date): Promise<void>;
  /**
   * How many failed proofs were made on the case reference `reference` (normalised: six
   * characters, no dash, bot/domain/reference.ts) at or after `since`, from any chat. Rejects
   * when the store cannot be reached.
   */
  failedProofsOnReferenceSince(reference: string, since: Date): Promise<number>;
  /**
   * Records a failed proof on `reference` at `at`, dropping those before `keepSince`, and returns
   * how many are kept, this one included (the count at or after `keepSince`): records made at
   * once are serialised, so exactly one of them sees the count reach a given limit. Rejects when
   * the store cannot be reached.
   */
  recordFailedProofOnReference(reference: string, at: Date, keepSince: Date): Promise<number>;
}
