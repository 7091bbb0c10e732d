/**
 * Sending a text message (SMS) to a mobile number: the port the service's notices use (the
 * public web chat's "an expert is ready" and the outcome, issue 17). Azure Communication
 * Services' SMS client implements it in Azure; locally a stand-in records what would be sent.
 */
export interface SmsSender {
  /**
   * Sends `text` to `to`, a mobile number in E.164 form (`+27821234567`). Resolves once the
   * provider has accepted it; rejects when it refuses or cannot be reached (the caller logs).
   */
  send(to: string, text: string): Promise<void>;
}
