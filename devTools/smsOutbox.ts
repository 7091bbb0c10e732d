/**
 * A local stand-in for the SMS provider (bot/platform/ports/sms.ts): it records every message
 * instead of sending it, and `npm start` prints each one, so a newcomer sees what a ratepayer's
 * phone would get. Tests read `sent`.
 */
import type { SmsSender } from '../bot/platform/ports/sms.js';

/** One message that would have gone out. */
export interface RecordedSms {
  to: string;
  text: string;
  at: string;
}

/** Records messages; `onSend` is told of each (the launcher prints them). */
export class SmsOutbox implements SmsSender {
  readonly sent: RecordedSms[] = [];

  constructor(private readonly onSend?: (sms: RecordedSms) => void) {}

  async send(to: string, text: string): Promise<void> {
    if (!/^\+[1-9]\d{6,14}$/.test(to)) throw new Error('not an E.164 mobile number');
    const sms = { to, text, at: new Date().toISOString() };
    this.sent.push(sms);
    this.onSend?.(sms);
  }
}
