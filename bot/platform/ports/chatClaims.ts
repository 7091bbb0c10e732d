/**
 * Claims on "one expert per chat" (bot/domain/case.ts otherExpertInChat): one small document per
 * ratepayer conversation naming the expert who last took (or is taking) one of its cases. The
 * case's ETag guards one case; two experts taking two cases of one chat at the same instant each
 * write a different case, so the pair needs a document of its own: whoever takes a case of the
 * chat first claims (creates) or takes over (conditionally on its version) the chat's document,
 * so of two at the same instant one holds it and the other sees who (bot/platform/flow/chatClaim.ts).
 *
 * Never personal data: the conversation id is hashed in the document's id; the holder is a member
 * of staff (id and name), the case a reference and its category code.
 */

/** Who holds the chat, for which case. */
export interface ChatHolder {
  staffId: string;
  /** The expert's name as staff read it ("Thandi Mokoena"), for the refusal. */
  name: string;
  /** The case they took (its reference) and its category code. */
  caseId: string;
  category: string;
}

/** A chat's claim as the store holds it. */
export interface ChatClaim extends ChatHolder {
  /** When it was claimed or last taken over (ISO instant, service clock). */
  claimedAt: string;
  /** The version read: a take-over or release is conditional on it. */
  etag: string;
}

/** Where chat claims live (Cosmos: the `leases` container). */
export interface ChatClaims {
  /** Claims the chat for `holder` if nobody holds it; when someone does, their claim (possibly `holder`'s own, earlier). */
  claim(conversationId: string, holder: ChatHolder, now: Date): Promise<{ claimed: true; current: ChatClaim } | { claimed: false; current: ChatClaim }>;
  /** Gives the chat to `holder` only if its claim is still `current` (its version); undefined when it changed meanwhile. */
  takeOver(conversationId: string, holder: ChatHolder, now: Date, current: ChatClaim): Promise<ChatClaim | undefined>;
  /** Gives up the claim if it is still `current` (its version): nothing happens otherwise. */
  release(conversationId: string, current: ChatClaim): Promise<void>;
}
