/**
 * The intake form a conversation was last offered and has not sent, kept by the service for a
 * channel whose client does not say which form it shows (Teams: the public web page sends
 * `channelData.openForm` with each message, web/src/openForm.ts; Teams sends nothing of the
 * kind). A language chosen while that form is open then sends it again in the new language
 * (bot/ratepayers/features/language.ts `formAgain`, through `Turn.openForm`), as on the page.
 *
 * Kept on the conversation's own document (bot/platform/cosmos/conversationStore.ts, `openForm`),
 * which every turn reads anyway (the redelivery check) and ends by patching (the record of its
 * activity): inside a turn neither reading nor remembering costs a request of its own.
 */

/** A form's identity, what its own submit carries: never a typed value (POPIA: nothing personal). */
export interface RememberedForm {
  /** The category's code ("billing"). */
  category: string;
  /** The filling-in (bot/ratepayers/features/intakeSubmit.ts DRAFT_ID): both cards of one draft queue one case. */
  draftId: string;
  /** The earlier case the form's case follows (its reference, issue 19), when it does. */
  follows?: string;
}

/** The remembered open form of a conversation. */
export interface OpenForms {
  /**
   * The form last offered in the conversation and not sent since, or undefined. Inside a turn
   * (ProcessedActivities.duringTurn) the turn's read of the conversation: no request of its own.
   */
  openFormOf(conversationId: string): Promise<RememberedForm | undefined>;
  /**
   * Remembers `form` as the conversation's open form, or, with null, that none is open. Inside a
   * turn whose check read the conversation it is written with the record of the turn's activity
   * (markProcessed), and not at all when it is what was read; a turn that fails writes nothing.
   * Outside a turn: one patch; a conversation not stored is left so.
   */
  rememberOpenForm(conversationId: string, form: RememberedForm | null): Promise<void>;
}
