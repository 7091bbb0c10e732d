/**
 * SMS through Azure Communication Services' REST API (POST {endpoint}/sms?api-version=2021-03-07),
 * the same client as WhatsApp (bot/platform/acs/client.ts).
 *
 * What Microsoft documents (checked 30 November 2026, docs/whatsapp.md "SMS"): ACS sends SMS from
 * toll-free numbers (to the United States, Canada and Puerto Rico), short codes (US, CA, UK),
 * alphanumeric sender ids (to listed European countries and Australia) and mobile numbers (some
 * European countries and Australia); its South African numbers are toll-free numbers for
 * receiving calls only. So ACS cannot send to South African mobiles from a South African sender
 * today: this client is what runs against the local stand-in and wherever ACS adds South Africa;
 * in production the City needs a South African SMS provider behind the same port
 * (bot/platform/ports/sms.ts) — the named gap.
 */
import type { SmsSender } from '../ports/sms.js';
import type { AcsClient } from '../acs/client.js';

const SMS_API_VERSION = '2021-03-07';

/** One ACS resource's SMS, from one sender. */
export class AcsSmsSender implements SmsSender {
  constructor(
    private readonly client: AcsClient,
    /** The sender: an ACS phone number (E.164) or alphanumeric sender id. */
    private readonly from: string,
  ) {}

  async send(to: string, text: string): Promise<void> {
    const response = await this.client.request('POST', `/sms?api-version=${SMS_API_VERSION}`, {
      from: this.from,
      smsRecipients: [{ to }],
      message: text,
      smsSendOptions: { enableDeliveryReport: true },
    });
    const body = (await response.json()) as { value?: { successful?: boolean; errorMessage?: string; httpStatusCode?: number }[] };
    const result = body.value?.[0];
    if (!result?.successful) throw new Error(`the SMS was not accepted${result?.errorMessage ? `: ${result.errorMessage}` : ''}${result?.httpStatusCode ? ` (HTTP ${result.httpStatusCode})` : ''}`);
  }
}
