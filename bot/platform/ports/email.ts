/**
 * Sending an email (issue 19: a ratepayer's receipts, when they gave an address). Production:
 * Azure Communication Services Email (bot/platform/email/acsEmail.ts); locally and in tests the
 * same client against the stand-in in devTools/acsEmailStandIn.ts.
 */

/** One email to one person: a subject, a plain-text body and the same as HTML. */
export interface EmailMessage {
  to: string;
  subject: string;
  plainText: string;
  html: string;
  /**
   * A stable key for this message (a receipt's id): sending it again (a retry after a crash) is
   * accepted once by the provider, not delivered twice.
   */
  key: string;
}

/** The provider refused the message or could not be reached. */
export class EmailFailedError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EmailFailedError';
  }
}

/** Sends emails; resolves with the provider's id of the accepted send, rejects with EmailFailedError. */
export interface EmailSender {
  send(message: EmailMessage): Promise<{ id: string }>;
}
