/**
 * A small client for Azure Communication Services' data-plane REST APIs (Advanced Messaging for
 * WhatsApp, SMS): the same code talks to Azure and to the local stand-in (devTools/acs.ts).
 *
 * Authentication, as ACS documents it: with an access key, every request is signed with
 * HMAC-SHA256 over "VERB\npath-and-query\nx-ms-date;host;x-ms-content-sha256" (the key
 * base64-decoded; the headers x-ms-date, x-ms-content-sha256 and Authorization "HMAC-SHA256
 * SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…"); with Entra ID (a managed
 * identity: no secret in settings), a bearer token for ACS_TOKEN_SCOPE.
 *
 * Why our own and not @azure-rest/communication-messages: the registry's 2.0.0 build speaks
 * api-version 2024-08-30, which has no interactive messages (reply buttons, lists), and these
 * three calls are a few lines each.
 */
import { createHash, createHmac } from 'node:crypto';

/** How requests are authenticated: an access key (HMAC) or an Entra token source. */
export type AcsAuth = { kind: 'key'; accessKey: string } | { kind: 'token'; token: () => Promise<string> };

/** An answer the service gave that is not a success: the status and its error body's message. */
export class AcsError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`Communication Services answered HTTP ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'AcsError';
  }
}

/** Longest one attempt may take before it is given up. */
const REQUEST_TIMEOUT_MS = 20_000;
/** Attempts of a throttled or failed request (429, 5xx) before it is recorded as failed. */
const ATTEMPTS = 3;

/** The three headers of an HMAC-signed request (exported for the stand-in, which checks them the same way). */
export function hmacHeaders(accessKey: string, method: string, url: URL, body: string, date = new Date()): Record<string, string> {
  const xmsDate = date.toUTCString();
  const contentHash = createHash('sha256').update(body, 'utf8').digest('base64');
  const stringToSign = `${method.toUpperCase()}\n${url.pathname}${url.search}\n${xmsDate};${url.host};${contentHash}`;
  const signature = createHmac('sha256', Buffer.from(accessKey, 'base64')).update(stringToSign, 'utf8').digest('base64');
  return {
    'x-ms-date': xmsDate,
    'x-ms-content-sha256': contentHash,
    authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
  };
}

/** One Communication Services resource's data plane. */
export class AcsClient {
  constructor(
    /** The resource's endpoint, e.g. https://my-resource.communication.azure.com (locally the stand-in's). */
    readonly endpoint: string,
    private readonly auth: AcsAuth,
  ) {}

  /**
   * Sends a request; resolves with the response when it succeeded (2xx), else rejects with
   * AcsError. Throttling (429) and the service's own failures (5xx) are tried again, up to
   * ATTEMPTS in all, after the Retry-After it gives (at most 10 s) or a short growing wait; each
   * attempt is signed afresh (the signature carries the time).
   */
  async request(method: 'GET' | 'POST', pathAndQuery: string, json?: unknown): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const response = await this.attempt(method, pathAndQuery, json);
      if (response.ok || attempt >= ATTEMPTS || !(response.status === 429 || response.status >= 500)) return this.checked(response);
      await response.arrayBuffer().catch(() => undefined);
      const retryAfter = Number(response.headers.get('retry-after'));
      await new Promise((r) => setTimeout(r, Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 10) * 1000 : 250 * 2 ** (attempt - 1)));
    }
  }

  private async attempt(method: 'GET' | 'POST', pathAndQuery: string, json?: unknown): Promise<Response> {
    const url = new URL(pathAndQuery, this.endpoint);
    const body = json === undefined ? '' : JSON.stringify(json);
    const headers: Record<string, string> = {
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      ...(this.auth.kind === 'key' ? hmacHeaders(this.auth.accessKey, method, url, body) : { authorization: `Bearer ${await this.auth.token()}` }),
    };
    return fetch(url, { method, headers, ...(json === undefined ? {} : { body }), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  }

  private async checked(response: Response): Promise<Response> {
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let detail = text.slice(0, 300);
      try {
        const parsed = JSON.parse(text) as { error?: { message?: string } };
        if (parsed.error?.message) detail = parsed.error.message;
      } catch {
        // not JSON: the text as it came
      }
      throw new AcsError(response.status, detail);
    }
    return response;
  }
}

/**
 * The Entra scope of Communication Services' data plane, as Microsoft's own SDKs request it
 * (azure-sdk-for-js communication-common, createCommunicationAuthPolicy): the resource
 * `https://communication.azure.com/` and `/.default` after it. The double slash is theirs.
 */
const ACS_TOKEN_SCOPE = 'https://communication.azure.com//.default';

/** Something that gives Entra tokens (@azure/identity's TokenCredential, as much of it as is used). */
export interface TokenSource {
  getToken(scope: string): Promise<{ token: string } | null>;
}

/**
 * The token source of an identity setting: the user-assigned managed identity with that client id,
 * else DefaultAzureCredential (a system-assigned identity in Azure, a developer's sign-in locally).
 * `credential`: one given instead (tests).
 */
export async function acsTokenAuth(identity: { managedIdentityClientId?: string }, credential?: TokenSource): Promise<AcsAuth> {
  let source = credential;
  if (!source) {
    const { DefaultAzureCredential, ManagedIdentityCredential } = await import('@azure/identity');
    source = identity.managedIdentityClientId ? new ManagedIdentityCredential({ clientId: identity.managedIdentityClientId }) : new DefaultAzureCredential();
  }
  const from = source;
  return {
    kind: 'token',
    token: async () => {
      const token = await from.getToken(ACS_TOKEN_SCOPE);
      if (!token) throw new Error('no token for Communication Services from the managed identity');
      return token.token;
    },
  };
}

/** The client for the configured resource: its access key, or the managed identity's tokens (Azure: no secret in settings). */
export async function acsClientFor(settings: { endpoint: string; auth: { kind: 'key'; accessKey: string } | { kind: 'identity'; managedIdentityClientId?: string } }): Promise<AcsClient> {
  if (settings.auth.kind === 'key') return new AcsClient(settings.endpoint, { kind: 'key', accessKey: settings.auth.accessKey });
  return new AcsClient(settings.endpoint, await acsTokenAuth(settings.auth));
}
