/**
 * Azure AI Translator, Text Translation REST v3 (the Translator port, bot/platform/ports/translator.ts),
 * with `fetch`. The same code talks to Azure and to the local stand-in (devTools/translator/server.ts).
 *
 * The contract (Microsoft Learn, "Translator 3.0: Translate", "Authentication and authorization"):
 * - `POST {endpoint}/translate?api-version=3.0&to=zu[&from=en]`, body `[{"Text": "…"}]`,
 *   `Content-Type: application/json`; an optional `X-ClientTraceId` (a GUID) names the request.
 * - Answer 200: `[{"detectedLanguage"?: {"language","score"}, "translations": [{"text","to"}]}]`
 *   (`detectedLanguage` only when `from` was left out).
 * - Errors: a status and `{"error": {"code": 6 digits (status × 1000 + detail), "message"}}`;
 *   400 bad request, 401 not authenticated, 403 not allowed (a free tier used up), 408/429 too many
 *   requests (retry later), 500/503 the service's fault (retry).
 * - Authentication, one of:
 *   - a key: `Ocp-Apim-Subscription-Key`, with `Ocp-Apim-Subscription-Region` for a regional
 *     resource (ours is regional, so the region is always sent);
 *   - Microsoft Entra ID (a managed identity): `Authorization: Bearer <token>` for the scope
 *     `https://cognitiveservices.azure.com/.default`, sent to the resource's custom subdomain
 *     endpoint `https://<name>.cognitiveservices.azure.com/translator/text/v3.0`; the identity
 *     needs the "Cognitive Services User" role on the resource.
 *
 * Never blocks a message for long: each request has a deadline (`timeoutMs`); 429, 5xx, a timeout
 * or a network error is tried once more (after Retry-After when the service gives one, capped at
 * RETRY_WAIT_CAP_MS); then TranslationFailedError, and the relay delivers the message untranslated.
 * Nothing of the text is logged (POPIA): only statuses and codes.
 */
import { randomUUID } from 'node:crypto';
import { DefaultAzureCredential, ManagedIdentityCredential, type AccessToken, type TokenCredential } from '@azure/identity';
import type { TranslatorSettings } from '../config/settings.js';
import { TranslationFailedError, type Translation, type Translator } from '../ports/translator.js';

/** The token scope of Azure AI services (Cognitive Services) for Entra ID authentication. */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** The longest wait before the one retry, whatever Retry-After says: a person is waiting for the message. */
const RETRY_WAIT_CAP_MS = 1_000;

/** How the client authenticates. */
export type TranslatorAuth = { kind: 'key'; key: string; region: string } | { kind: 'token'; credential: TokenCredential };

/** What the client needs. */
export interface TranslatorClientOptions {
  /** Base URL: the global `https://api.cognitive.microsofttranslator.com`, a custom subdomain's `…/translator/text/v3.0`, or the stand-in. */
  endpoint: string;
  auth: TranslatorAuth;
  /** Deadline of one request, in milliseconds. */
  timeoutMs: number;
}

/** One item of the answer to POST /translate. */
interface TranslateResult {
  detectedLanguage?: { language: string; score: number };
  translations: { text: string; to: string }[];
}

function isTranslateResults(body: unknown): body is TranslateResult[] {
  return (
    Array.isArray(body) &&
    body.every(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        Array.isArray((item as TranslateResult).translations) &&
        (item as TranslateResult).translations.every((t) => typeof t?.text === 'string' && typeof t?.to === 'string'),
    )
  );
}

/** Whether a failure is worth one more try: throttled, the service's fault, or no answer. */
function retryable(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/** Azure AI Translator over its REST API. */
export class AzureTranslator implements Translator {
  private token: AccessToken | undefined;

  constructor(private readonly options: TranslatorClientOptions) {}

  async translate(text: string, from: string | undefined, to: string): Promise<Translation> {
    let last: TranslationFailedError | undefined;
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        return await this.once(text, from, to);
      } catch (error) {
        if (!(error instanceof TranslationFailedError)) throw error;
        last = error;
        if (attempt === 2 || !retryable(error.status)) break;
        await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterMs(error) ?? 200, RETRY_WAIT_CAP_MS)));
      }
    }
    throw last!;
  }

  private async once(text: string, from: string | undefined, to: string): Promise<Translation> {
    const url = new URL(`${this.options.endpoint.replace(/\/+$/, '')}/translate`);
    url.searchParams.set('api-version', '3.0');
    url.searchParams.set('to', to);
    if (from) url.searchParams.set('from', from);
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=UTF-8', 'x-clienttraceid': randomUUID(), ...(await this.authHeaders()) },
        body: JSON.stringify([{ Text: text }]),
        signal: deadline,
      });
    } catch (error) {
      if (error instanceof TranslationFailedError) throw error;
      throw new TranslationFailedError(
        deadline.aborted
          ? `the translation service did not answer within ${formatSeconds(this.options.timeoutMs)}`
          : 'the translation service could not be reached',
      );
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
      const failure = new TranslationFailedError(reasonFor(res.status), res.status, typeof code === 'number' ? code : undefined);
      const retryAfter = Number(res.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter >= 0) Object.assign(failure, { retryAfterMs: retryAfter * 1000 });
      throw failure;
    }
    const first = isTranslateResults(body) ? body[0] : undefined;
    const translation = first?.translations.find((t) => t.to === to) ?? first?.translations[0];
    if (!first || !translation) throw new TranslationFailedError('the translation service answered with something that is not a translation', res.status);
    return { text: translation.text, from: from ?? first.detectedLanguage?.language ?? 'und', to };
  }

  private async authHeaders(): Promise<Record<string, string>> {
    const auth = this.options.auth;
    if (auth.kind === 'key') return { 'ocp-apim-subscription-key': auth.key, 'ocp-apim-subscription-region': auth.region };
    // A token is reused until five minutes before it expires (they last about an hour).
    if (!this.token || this.token.expiresOnTimestamp - Date.now() < 5 * 60_000) {
      const token = await auth.credential.getToken(COGNITIVE_SERVICES_SCOPE).catch(() => null);
      if (!token) throw new TranslationFailedError('no token for the translation service could be had (managed identity)');
      this.token = token;
    }
    return { authorization: `Bearer ${this.token.token}` };
  }
}

function retryAfterMs(error: TranslationFailedError): number | undefined {
  return (error as TranslationFailedError & { retryAfterMs?: number }).retryAfterMs;
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** A failure in words an agent can read beside the message. */
function reasonFor(status: number): string {
  if (status === 401 || status === 403) return `the translation service refused the service's credentials (HTTP ${status})`;
  if (status === 408 || status === 429) return `the translation service is busy (HTTP ${status})`;
  if (status >= 500) return `the translation service failed (HTTP ${status})`;
  return `the translation service did not accept the message (HTTP ${status})`;
}

/**
 * The client for the settings (bot/platform/config/settings.ts): a key with its region, or the
 * managed identity (`credential` overrides it: tests give one that hands out the stand-in's token).
 */
export function translatorFromSettings(
  settings: TranslatorSettings,
  credential?: TokenCredential,
): AzureTranslator {
  const auth: TranslatorAuth =
    settings.auth.kind === 'key'
      ? settings.auth
      : {
          kind: 'token',
          credential:
            credential ??
            (settings.auth.managedIdentityClientId ? new ManagedIdentityCredential({ clientId: settings.auth.managedIdentityClientId }) : new DefaultAzureCredential()),
        };
  return new AzureTranslator({ endpoint: settings.endpoint, auth, timeoutMs: settings.timeoutMs });
}
