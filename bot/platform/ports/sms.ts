/**
 * Text messages (SMS) to a mobile number: notices for people who are not on a chat when it matters
 * (an expert is ready; the outcome), through Azure Communication Services SMS or another provider
 * (bot/platform/sms). Opt-outs are honoured above this port (bot/platform/sms/notices.ts).
 */

/** Sends one text message. */
export interface SmsSender {
  /** `to`: E.164 ("+27821234567"). Resolves once the provider accepted it; rejects when it did not. */
  send(to: string, text: string): Promise<void>;
}
