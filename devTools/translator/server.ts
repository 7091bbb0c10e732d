/**
 * A local stand-in for Azure AI Translator (Text Translation REST v3), for `npm start` and the
 * tests: Azure's translator cannot run on this machine, so the service's own client
 * (bot/platform/translator/client.ts) talks to this over real HTTP, exactly as it talks to Azure.
 *
 * It speaks the documented contract (Microsoft Learn, "Translator 3.0: Translate", "Languages",
 * "Authentication and authorization", "status and response codes"):
 * - `GET /languages?api-version=3.0[&scope=translation]`: no authentication;
 *   `{"translation": {"zu": {"name", "nativeName", "dir"}, …}}`.
 * - `POST /translate?api-version=3.0&to=…[&from=…]` (also under `/translator/text/v3.0/`, the path of
 *   a resource's custom subdomain endpoint): body `[{"Text": "…"}]` (at most 1,000 items and
 *   50,000 characters); answer `[{"detectedLanguage"?, "translations": [{"text", "to"}]}]`.
 * - Authentication: `Ocp-Apim-Subscription-Key` with `Ocp-Apim-Subscription-Region` (a regional
 *   resource), or `Authorization: Bearer <token>`; else 401.
 * - Errors: `{"error": {"code": <6 digits>, "message"}}` with 400 (400000 input, 400021 api-version,
 *   400035 from, 400036 to, 400050 too long), 401 (401000), 429 (429000), 500 (500000), 503 (503000).
 *
 * It does not translate. It looks a few common sentences up in a small phrase table (so a newcomer
 * sees what a translated conversation looks like) and otherwise answers the text with a visible
 * marker, `[zu] original`: deterministic, so tests can say exactly what the other side reads.
 *
 * Tests can make the next requests fail (`failNext`) or hang (`delayNext`) to see how the service
 * copes, and read what was asked (`requests`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The languages the stand-in knows (Azure's codes; Azure knows many more). */
const LANGUAGES: Record<string, { name: string; nativeName: string }> = {
  en: { name: 'English', nativeName: 'English' },
  zu: { name: 'Zulu', nativeName: 'Isi-Zulu' },
  xh: { name: 'Xhosa', nativeName: 'isiXhosa' },
  af: { name: 'Afrikaans', nativeName: 'Afrikaans' },
  nso: { name: 'Sesotho sa Leboa', nativeName: 'Sesotho sa Leboa' },
  st: { name: 'Sesotho', nativeName: 'Sesotho' },
  tn: { name: 'Setswana', nativeName: 'Setswana' },
};

/**
 * A few sentences in each language, row by row the same meaning. Enough for a demonstration;
 * not a translation service (anything else gets the `[xx] ` marker).
 */
const PHRASES: Record<string, string>[] = [
  { en: 'Hello', zu: 'Sawubona', xh: 'Molo', af: 'Hallo', nso: 'Thobela', st: 'Dumela', tn: 'Dumela' },
  { en: 'Thank you', zu: 'Ngiyabonga', xh: 'Enkosi', af: 'Dankie', nso: 'Ke a leboga', st: 'Ke a leboha', tn: 'Ke a leboga' },
  { en: 'How can I help you?', zu: 'Ngingakusiza kanjani?', af: 'Hoe kan ek jou help?', st: 'Nka o thusa jwang?' },
  { en: 'My bill is too high.', zu: 'Ibhili yami iphezulu kakhulu.', af: 'My rekening is te hoog.', st: 'Tefo ya ka e phahame haholo.' },
];

function normalised(text: string): string {
  return text.trim().replace(/[.!?]+$/, '').toLowerCase();
}

/** The stand-in's "translation": the phrase table, else the text with a visible marker. */
function standInTranslation(text: string, from: string, to: string): string {
  if (from === to) return text;
  const row = PHRASES.find((r) => r[from] !== undefined && normalised(r[from]!) === normalised(text));
  return row?.[to] ?? `[${to}] ${text}`;
}

/** A language for a text whose language was not given: a phrase's language, else English. */
function detect(text: string): string {
  for (const row of PHRASES) for (const [lang, phrase] of Object.entries(row)) if (lang !== 'en' && normalised(phrase) === normalised(text)) return lang;
  return 'en';
}

/** What one request asked, for tests. */
export interface StandInRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body?: unknown;
  status: number;
}

/** How the stand-in accepts callers: a key for a region, and/or a bearer token. */
export interface StandInAuth {
  key?: string;
  region?: string;
  bearerToken?: string;
}

/** A running stand-in. */
export interface TranslatorStandIn {
  /** Its base URL (the global endpoint's shape): `http://127.0.0.1:<port>`. */
  url: string;
  auth: StandInAuth;
  /** Every request so far, oldest first. */
  requests: StandInRequest[];
  /** The next `count` translate requests answer `status` (with Retry-After when given, in seconds). */
  failNext(count: number, status: number, retryAfterSeconds?: number): void;
  /** The next `count` translate requests are answered only after `ms`. */
  delayNext(count: number, ms: number): void;
  close(): Promise<void>;
}

const ERROR_MESSAGES: Record<number, string> = {
  400000: 'One of the request inputs is not valid.',
  400021: 'The API version parameter is missing or invalid.',
  400035: 'The source language (From field) is not valid.',
  400036: 'The target language (To field) is missing or invalid.',
  400050: 'The input text is too long.',
  401000: 'The request is not authorized because credentials are missing or invalid.',
  429000: 'The server rejected the request because the client has exceeded request limits.',
  500000: 'An unexpected error occurred.',
  503000: 'Service is temporarily unavailable.',
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-requestid': randomUUID(), ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, code: number, headers: Record<string, string> = {}): number {
  const status = Math.floor(code / 1000);
  send(res, status, { error: { code, message: ERROR_MESSAGES[code] ?? 'Error.' } }, headers);
  return status;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the stand-in on 127.0.0.1 (`port` 0: any free port). */
export async function startTranslatorStandIn(options: { port?: number; auth?: StandInAuth } = {}): Promise<TranslatorStandIn> {
  const auth: StandInAuth = options.auth ?? { key: randomUUID().replace(/-/g, ''), region: 'southafricanorth' };
  const requests: StandInRequest[] = [];
  const faults: { status: number; retryAfter?: number }[] = [];
  const delays: number[] = [];

  const authorised = (headers: IncomingMessage['headers']): boolean => {
    const key = headers['ocp-apim-subscription-key'];
    if (typeof key === 'string' && auth.key !== undefined)
      return key === auth.key && (auth.region === undefined || headers['ocp-apim-subscription-region'] === auth.region);
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    return bearer !== undefined && auth.bearerToken !== undefined && bearer === auth.bearerToken;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    // The custom subdomain endpoint puts the same operations under /translator/text/v3.0.
    const operation = url.pathname.replace(/^\/translator\/text\/v3\.0/, '');
    const query = Object.fromEntries(url.searchParams);
    const record: StandInRequest = { method: req.method ?? '', path: url.pathname, query, headers: req.headers, status: 0 };
    requests.push(record);
    const answer = async (): Promise<number> => {
      if (query['api-version'] !== '3.0') return sendError(res, 400021);
      if (req.method === 'GET' && operation === '/languages') {
        const translation = Object.fromEntries(Object.entries(LANGUAGES).map(([code, l]) => [code, { ...l, dir: 'ltr' }]));
        send(res, 200, { translation });
        return 200;
      }
      if (req.method !== 'POST' || operation !== '/translate') {
        send(res, 404, { error: { code: 404001, message: 'The requested resource was not found.' } });
        return 404;
      }
      const raw = await readBody(req);
      if (!authorised(req.headers)) return sendError(res, 401000);
      const delay = delays.shift();
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      const fault = faults.shift();
      if (fault) return sendError(res, fault.status * 1000, fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {});
      const to = query.to;
      if (!to || !LANGUAGES[to]) return sendError(res, 400036);
      const from = query.from;
      if (from !== undefined && !LANGUAGES[from]) return sendError(res, 400035);
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return sendError(res, 400000);
      }
      record.body = body;
      if (!Array.isArray(body) || body.length === 0 || body.length > 1000 || !body.every((item) => typeof item?.Text === 'string'))
        return sendError(res, 400000);
      const texts = (body as { Text: string }[]).map((item) => item.Text);
      if (texts.reduce((n, t) => n + t.length, 0) > 50_000) return sendError(res, 400050);
      send(
        res,
        200,
        texts.map((text) => {
          const source = from ?? detect(text);
          return {
            ...(from === undefined ? { detectedLanguage: { language: source, score: 1.0 } } : {}),
            translations: [{ text: standInTranslation(text, source, to), to }],
          };
        }),
      );
      return 200;
    };
    record.status = await answer();
    return record.status;
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500000);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    auth,
    requests,
    failNext(count, status, retryAfterSeconds) {
      for (let i = 0; i < count; i++) faults.push({ status, ...(retryAfterSeconds !== undefined ? { retryAfter: retryAfterSeconds } : {}) });
    },
    delayNext(count, ms) {
      for (let i = 0; i < count; i++) delays.push(ms);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// `npx tsx devTools/translator/server.ts`: the stand-in on its own (TRANSLATOR_STAND_IN_PORT, default any).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const standIn = await startTranslatorStandIn({ port: Number(process.env.TRANSLATOR_STAND_IN_PORT ?? 0) });
  console.log(`Translator stand-in at ${standIn.url}\n  TRANSLATOR_ENDPOINT=${standIn.url}\n  TRANSLATOR_KEY=${standIn.auth.key}\n  TRANSLATOR_REGION=${standIn.auth.region}`);
}
