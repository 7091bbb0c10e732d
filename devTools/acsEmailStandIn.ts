/**
 * A local stand-in for Azure Communication Services Email (issue 19), for `npm start` and the
 * tests: it speaks the service's documented REST contract (api-version 2023-03-31) and records
 * what it is sent instead of delivering it.
 *
 * - `POST /emails:send?api-version=…`: checks the HMAC-SHA256 access-key signature the way ACS
 *   does (x-ms-date within 15 minutes, x-ms-content-sha256 equal to the body's hash, the signature
 *   over `VERB\npath?query\nx-ms-date;host;hash`), then the body (senderAddress, recipients.to,
 *   content.subject, plainText or html); answers 202 `{ id, status: "Running" }` with
 *   `Operation-Location`. The same `Operation-Id` again is the same operation (recorded once).
 *   401 `{ error: { code: "Denied" } }` for a bad signature, 400 `{ error: { code: "BadRequest" } }`
 *   for a bad body.
 *   With `bearerToken` set it also accepts `Authorization: Bearer <that token>` (Microsoft Entra ID,
 *   a managed identity: a real resource checks the token's signature, audience and role; the
 *   stand-in only that it is the one it was given), and refuses any other bearer token with 401.
 * - `GET /emails/operations/{id}?api-version=…`: `{ id, status: "Succeeded" }`, 404 when unknown.
 * - `GET /messages` (the stand-in's own, not ACS's): what was recorded, newest last.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded email. */
export interface RecordedEmail {
  operationId: string;
  at: string;
  senderAddress: string;
  to: string[];
  subject: string;
  plainText?: string;
  html?: string;
}

/** A running stand-in. */
export interface AcsEmailStandIn {
  /** The resource endpoint to configure the client with (`http://127.0.0.1:<port>/`). */
  endpoint: string;
  /** The access key it checks signatures with (base64). */
  accessKey: string;
  messages: RecordedEmail[];
  /** While true, sends are answered 503 ServiceUnavailable (as ACS does under an outage), to try retries. */
  failing: boolean;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function signatureOk(req: IncomingMessage, body: string, accessKey: string, now: number, bearerToken?: string): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  if (bearer) {
    if (!bearerToken) return 'this resource accepts only access-key (HMAC) requests';
    const given = Buffer.from(bearer[1]!);
    const expected = Buffer.from(bearerToken);
    return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : 'the bearer token is not valid for this resource';
  }
  const date = req.headers['x-ms-date'];
  const hash = req.headers['x-ms-content-sha256'];
  const auth = req.headers.authorization;
  if (typeof date !== 'string' || typeof hash !== 'string' || typeof auth !== 'string') return 'missing x-ms-date, x-ms-content-sha256 or Authorization';
  if (!Number.isFinite(Date.parse(date)) || Math.abs(now - Date.parse(date)) > 15 * 60_000) return 'x-ms-date is more than 15 minutes off';
  if (createHash('sha256').update(body, 'utf8').digest('base64') !== hash) return 'x-ms-content-sha256 is not the hash of the body';
  const match = /^HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=(.+)$/.exec(auth);
  if (!match) return 'Authorization is not HMAC-SHA256 over x-ms-date;host;x-ms-content-sha256';
  const toSign = `${req.method}\n${req.url}\n${date};${req.headers.host};${hash}`;
  const expected = createHmac('sha256', Buffer.from(accessKey, 'base64')).update(toSign, 'utf8').digest();
  const given = Buffer.from(match[1]!, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : 'the signature does not match';
}

/** Starts the stand-in on 127.0.0.1 (port 0: any free port). */
export async function startAcsEmailStandIn(options: { port?: number; accessKey?: string; bearerToken?: string } = {}): Promise<AcsEmailStandIn> {
  const accessKey = options.accessKey ?? Buffer.from(randomUUID()).toString('base64');
  const messages: RecordedEmail[] = [];
  const operations = new Map<string, RecordedEmail>();
  const state = { failing: false };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const body = await readBody(req);
      if (req.method === 'GET' && url.pathname === '/messages') return answer(res, 200, messages);
      if (!url.searchParams.get('api-version')) return answer(res, 400, { error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter is required.' } });
      const denied = signatureOk(req, body, accessKey, Date.now(), options.bearerToken);
      if (denied) return answer(res, 401, { error: { code: 'Denied', message: denied } });
      const op = /^\/emails\/operations\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && op) {
        const found = operations.get(decodeURIComponent(op[1]!));
        return found ? answer(res, 200, { id: found.operationId, status: 'Succeeded' }) : answer(res, 404, { error: { code: 'NotFound', message: 'No such operation.' } });
      }
      if (req.method !== 'POST' || url.pathname !== '/emails:send') return answer(res, 404, { error: { code: 'NotFound', message: `${req.method} ${url.pathname}` } });
      if (state.failing) return answer(res, 503, { error: { code: 'ServiceUnavailable', message: 'The stand-in is set to fail.' } }, { 'retry-after': '1' });
      let message: { senderAddress?: unknown; recipients?: { to?: { address?: unknown }[] }; content?: { subject?: unknown; plainText?: unknown; html?: unknown } };
      try {
        message = JSON.parse(body) as typeof message;
      } catch {
        return answer(res, 400, { error: { code: 'BadRequest', message: 'The body is not JSON.' } });
      }
      const to = (message.recipients?.to ?? []).map((r) => r.address);
      const problems = [
        typeof message.senderAddress === 'string' && message.senderAddress.includes('@') ? '' : 'senderAddress',
        to.length > 0 && to.every((a) => typeof a === 'string' && /^[^@\s]+@[^@\s]+$/.test(a)) ? '' : 'recipients.to',
        typeof message.content?.subject === 'string' && message.content.subject ? '' : 'content.subject',
        typeof message.content?.plainText === 'string' || typeof message.content?.html === 'string' ? '' : 'content.plainText or content.html',
      ].filter(Boolean);
      if (problems.length) return answer(res, 400, { error: { code: 'BadRequest', message: `Invalid: ${problems.join(', ')}.` } });
      const header = req.headers['operation-id'];
      const operationId = typeof header === 'string' && header ? header : randomUUID();
      if (!operations.has(operationId)) {
        const recorded: RecordedEmail = {
          operationId,
          at: new Date().toISOString(),
          senderAddress: message.senderAddress as string,
          to: to as string[],
          subject: message.content!.subject as string,
          ...(typeof message.content?.plainText === 'string' ? { plainText: message.content.plainText } : {}),
          ...(typeof message.content?.html === 'string' ? { html: message.content.html } : {}),
        };
        operations.set(operationId, recorded);
        messages.push(recorded);
      }
      const location = `http://${req.headers.host}/emails/operations/${operationId}?api-version=${url.searchParams.get('api-version')}`;
      answer(res, 202, { id: operationId, status: 'Running' }, { 'operation-location': location, 'retry-after': '1' });
    })().catch(() => answer(res, 500, { error: { code: 'InternalError', message: 'stand-in failure' } }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/`,
    accessKey,
    messages,
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
