/**
 * Text messages (SMS) to a mobile number: notices for people who are not on a chat when it matters
 * (an expert is ready; the outcome): the WhatsApp ratepayer outside WhatsApp's window (issue 18)
 * and the public web chat's ratepayer whose page may be closed (issue 17). Azure Communication
 * Services SMS or another provider implements it (bot/platform/sms); locally a stand-in records
 * what would be sent. Opt-outs are honoured above this port (bot/platform/sms/notices.ts).
 */
export interface SmsSender {
  /**
   * Sends `text` to `to`, a mobile number in E.164 form (`+27821234567`). Resolves once the
   * provider has accepted it; rejects when it refuses or cannot be reached (the caller logs).
   */
  send(to: string, text: string): Promise<void>;
}
