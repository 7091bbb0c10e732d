/**
 * SMS for people who are not on a chat when it matters (issue 18): when the ratepayer's chat
 * could not take a notice that matters — an expert is ready, the outcome, carried over to the
 * next session, the ESP registration's lapse reminder — it goes by SMS to the mobile number they gave on the form, through the SMS
 * notices (opt-out honoured, paced). WhatsApp conversations do this in their own channel, to the
 * WhatsApp number (bot/platform/whatsapp/channel.ts).
 */
import type { Case } from '../../domain/case.js';
import { localeOf, t, type MessageKey } from '../../messages/index.js';
import type { Fallback, Notice } from '../ports/messenger.js';
import type { SmsSender } from '../ports/sms.js';

const SMS_FOR: Partial<Record<string, MessageKey>> = {
  connected: 'whatsapp.smsExpertReadyChat',
  outcome: 'whatsapp.smsOutcome',
  nextSession: 'whatsapp.smsNextSessionChat',
  espReminder: 'whatsapp.smsEspReminder',
  // After the session (issue 19): the back office's news reaches them wherever they are.
  backOfficeUpdate: 'whatsapp.smsBackOfficeUpdate',
  moreTime: 'whatsapp.smsMoreTime',
  escalated: 'whatsapp.smsEscalated',
};

/** The fallback: sends the notice's SMS and says so in words for the case's record (undefined: not a notice that goes by SMS). */
export function smsFallback(sms: SmsSender): (c: Case, notice: Notice) => Promise<Fallback | undefined> {
  return async (c, notice) => {
    const key = SMS_FOR[notice.kind];
    if (!key) return undefined;
    // The intake keeps the mobile number as checked: E.164.
    const mobile = typeof c.intake.mobile === 'string' && c.intake.mobile.startsWith('+') ? c.intake.mobile : undefined;
    if (!mobile) return { reason: ' No mobile number was given, so no SMS was sent.', sent: false };
    try {
      await sms.send(mobile, t(localeOf(c), key, notice.params));
      return { reason: ' An SMS was sent instead to the mobile number they gave.', sent: true };
    } catch (error) {
      return { reason: ` The SMS sent instead failed too (${error instanceof Error ? error.message : 'unknown'}).`, sent: false };
    }
  };
}
