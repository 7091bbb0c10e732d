/**
 * The email port over Azure Communication Services Email's REST API (data plane, api-version
 * 2023-03-31): `POST {endpoint}/emails:send` with an `EmailMessage` body (senderAddress,
 * recipients.to[], content.subject/plainText/html), answered 202 with `{ id, status }` and an
 * `Operation-Location` to poll. Authentication: the resource's access key, as ACS's HMAC-SHA256
 * scheme (Microsoft Learn, "Sign an HTTP request with HMAC"): the string
 * `VERB\npath?query\nx-ms-date;host;x-ms-content-sha256` signed with the base64-decoded key, sent
 * as `Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…`;
 * or Microsoft Entra ID (a managed identity, no secret in settings): `Authorization: Bearer <token>`
 * for the scope `https://communication.azure.com//.default` (acsEmailSenderFor; the identity needs
 * a role on the Communication Services resource, docs/deploy.md).
 *
 * The `Operation-Id` header is derived from the message key (a UUID made from its SHA-256), so a
 * receipt sent again after a crash is the same operation to ACS, not a second email.
 */
import { createHash } from 'node:crypto';
import { EmailFailedError, type EmailMessage, type EmailSender } from '../ports/email.js';
import { acsTokenAuth, hmacHeaders, type AcsAuth, type TokenSource } from '../acs/client.js';

const API_VERSION = '2023-03-31';

/** Where and as whom to send. */
export interface AcsEmailSettings {
  /** The Communication Services resource, e.g. `https://desk.africa.communication.azure.com`. */
  endpoint: string;
  /** The resource's access key (base64, from its connection string), or an Entra token source. */
  auth: AcsAuth;
  /** A sender address of a domain connected to the resource, e.g. `DoNotReply@…azurecomm.net`. */
  senderAddress: string;
  /** How long one request may take, in ms (default 10 000). */
  timeoutMs?: number;
}

/** A UUID (version-4 layout) derived from a key: the same key, the same operation id. */
function operationIdOf(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The ACS Email client. */
export class AcsEmailSender implements EmailSender {
  constructor(private readonly settings: AcsEmailSettings) {}

  async send(message: EmailMessage): Promise<{ id: string }> {
    const url = new URL(`./emails:send?api-version=${API_VERSION}`, this.settings.endpoint.endsWith('/') ? this.settings.endpoint : `${this.settings.endpoint}/`);
    const body = JSON.stringify({
      senderAddress: this.settings.senderAddress,
      recipients: { to: [{ address: message.to }] },
      content: { subject: message.subject, plainText: message.plainText, html: message.html },
      userEngagementTrackingDisabled: true,
    });
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'operation-id': operationIdOf(message.key), ...(await this.authorization(url, body)) },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 10_000),
      });
    } catch (error) {
      if (error instanceof EmailFailedError) throw error;
      throw new EmailFailedError(`The email service could not be reached (${(error as Error).message}).`);
    }
    const answer = (await response.json().catch(() => ({}))) as { id?: string; status?: string; error?: { code?: string; message?: string } };
    if (response.status !== 202 || typeof answer.id !== 'string')
      throw new EmailFailedError(`The email service refused the message (HTTP ${response.status}${answer.error?.code ? `, ${answer.error.code}` : ''}).`, response.status);
    return { id: answer.id };
  }

  /** The request's authentication: signed with the key, or a bearer token (a token that cannot be had fails the send, retried later). */
  private async authorization(url: URL, body: string): Promise<Record<string, string>> {
    const auth = this.settings.auth;
    if (auth.kind === 'key') return hmacHeaders(auth.accessKey, 'POST', url, body);
    try {
      return { authorization: `Bearer ${await auth.token()}` };
    } catch (error) {
      throw new EmailFailedError(`No Microsoft Entra token for the email service (${(error as Error).message}); check the managed identity and its role on the Communication Services resource.`);
    }
  }
}

/**
 * The sender for the configured settings (bot/platform/config/settings.ts EmailSettings): the access
 * key, or the managed identity's tokens. `credential`: a token source given instead (tests).
 */
export async function acsEmailSenderFor(
  settings: { endpoint: string; senderAddress: string; auth: { kind: 'key'; accessKey: string } | { kind: 'identity'; managedIdentityClientId?: string } },
  credential?: TokenSource,
): Promise<AcsEmailSender> {
  const auth: AcsAuth = settings.auth.kind === 'key' ? settings.auth : await acsTokenAuth(settings.auth, credential);
  return new AcsEmailSender({ endpoint: settings.endpoint, senderAddress: settings.senderAddress, auth });
}
