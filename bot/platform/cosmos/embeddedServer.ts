/**
 * The embedded Cosmos DB-compatible server for local runs and tests (@vercel/cosmosdb-server,
 * a dev dependency: production never loads this file). It speaks the real SQL-API protocol,
 * so the service reaches it through @azure/cosmos exactly as it reaches Azure.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** A running embedded server. */
export interface EmbeddedCosmos {
  endpoint: string;
  /**
   * This server's own master key (random, made at start, never written anywhere): every request
   * must be signed with it as Cosmos DB's master-key authorization does, so another process on
   * the machine (or a web page) cannot read or change the data.
   */
  key: string;
  /** Requests served so far (the benchmarks count the database calls a turn makes). */
  requestsServed(): number;
  close(): Promise<void>;
}

/**
 * Starts the server on 127.0.0.1 over plain HTTP (its bundled certificate has expired, and
 * loopback needs none). Port 0 picks a free port.
 */
export async function startEmbeddedCosmos(port = 0): Promise<EmbeddedCosmos> {
  const { createHttpServer } = await import('@vercel/cosmosdb-server');
  makeQueriesLinear();
  // keepAlive: left off, the server answers every request with "Connection: close", so each
  // SDK call opened a new TCP connection (Azure Cosmos DB keeps them open, as the SDK expects).
  const server: Server = createHttpServer({ keepAlive: true });
  const key = randomBytes(64).toString('base64');
  requireMasterKey(server, key);
  // Longer than any pause between a test's or a tab's calls, so the SDK's pooled sockets stay usable.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  let served = 0;
  server.on('request', () => served++);
  return {
    requestsServed: () => served,
    endpoint: `http://127.0.0.1:${address.port}`,
    key,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** How far a request's x-ms-date may be from now (Cosmos DB allows 15 minutes). */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/**
 * Puts Cosmos DB's master-key check in front of the server's own handlers (it checks nothing):
 * `Authorization: type=master&ver=1.0&sig=<base64 HMAC-SHA256>` over
 * `verb\nresourceType\nresourceLink\nx-ms-date\n\n` (lower-cased but the link), keyed with the
 * base64-decoded key. Source: "Access control on Cosmos DB resources" (REST API reference,
 * Microsoft Learn), as @azure/cosmos signs requests (utils/headers.js). Anything else gets 401.
 */
function requireMasterKey(server: Server, key: string): void {
  const secret = Buffer.from(key, 'base64');
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (signedWithKey(req, secret)) {
      for (const handle of handlers) handle.call(server, req, res);
      return;
    }
    req.resume();
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'Unauthorized', message: 'The request is not signed with this server\'s key.' }));
  });
}

/** The resource type and link a request path stands for, as the SDK signs them. */
function resourceOf(pathname: string): { type: string; link: string } {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  // Odd: a feed (`dbs`, `dbs/d/colls`): the type is the last segment, the link its parent.
  // Even: one resource (`dbs/d`, `dbs/d/colls/c/docs/x`): the type is the segment before the id.
  if (segments.length % 2 === 1) return { type: segments.at(-1)!, link: segments.slice(0, -1).join('/') };
  return { type: segments.at(-2) ?? '', link: segments.join('/') };
}

function signedWithKey(req: IncomingMessage, secret: Buffer): boolean {
  try {
    const header = decodeURIComponent(String(req.headers.authorization ?? ''));
    // Split by hand: the signature is base64, whose '+' URLSearchParams would read as a space.
    const fields = new Map(header.split('&').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const));
    if (fields.get('type') !== 'master' || fields.get('ver') !== '1.0') return false;
    const given = Buffer.from(fields.get('sig') ?? '', 'base64');
    const date = String(req.headers['x-ms-date'] ?? '');
    if (!(Math.abs(Date.now() - Date.parse(date)) <= MAX_CLOCK_SKEW_MS)) return false;
    const { type, link } = resourceOf(new URL(req.url ?? '/', 'http://localhost').pathname);
    const text = `${(req.method ?? '').toLowerCase()}\n${type.toLowerCase()}\n${type === 'offers' ? link.toLowerCase() : link}\n${date.toLowerCase()}\n\n`;
    const expected = createHmac('sha256', secret).update(text).digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  } catch {
    return false;
  }
}

type Node = { type?: string; [key: string]: unknown };
let queriesMadeLinear = false;

/**
 * The server's query engine (@zeit/cosmosdb-query) compiles `FROM c` to
 * `docs.reduce(($, c) => [...$, { c }], [])`, which copies the growing array once per document:
 * a query over 30,000 documents took 13 s, over 110,000 it never finished, whatever it matched.
 * This rewrites each such accumulator to push into the array the reduce started with (always a
 * fresh `[]`), which gives the same rows in linear time. Only the local stand-in is touched.
 */
function makeQueriesLinear(): void {
  if (queriesMadeLinear) return;
  const fromServer = createRequire(createRequire(import.meta.url).resolve('@vercel/cosmosdb-server'));
  const queryPackage = fromServer.resolve('@zeit/cosmosdb-query');
  const fromQuery = createRequire(queryPackage);
  const query = fromQuery(queryPackage) as { default: (text: string) => object };
  const transform = (fromQuery('./transformer') as { default: (ast: unknown) => Node }).default;
  const generate = (fromQuery('@babel/generator') as { default: (ast: Node) => { code: string } }).default;
  const prototype = Object.getPrototypeOf(query.default('SELECT * FROM c')) as object;
  Object.defineProperty(prototype, 'code', {
    configurable: true,
    get(this: { ast: unknown; _code: string | null }) {
      if (!this._code) {
        const program = transform(this.ast);
        pushInsteadOfSpread(program);
        this._code = generate(program).code;
      }
      return this._code;
    },
  });
  queriesMadeLinear = true;
}

/** `[...$, a, ...b]` becomes `($.push(a, ...b), $)`, everywhere in the tree. */
function pushInsteadOfSpread(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(pushInsteadOfSpread);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Node;
  for (const value of Object.values(n)) pushInsteadOfSpread(value);
  const elements = n.type === 'ArrayExpression' ? (n.elements as Node[]) : undefined;
  const first = elements?.[0];
  if (!elements || first?.type !== 'SpreadElement' || (first.argument as Node).type !== 'Identifier' || (first.argument as Node).name !== '$') return;
  const accumulator = { type: 'Identifier', name: '$' };
  delete n.elements;
  n.type = 'SequenceExpression';
  n.expressions = [
    {
      type: 'CallExpression',
      callee: { type: 'MemberExpression', object: accumulator, property: { type: 'Identifier', name: 'push' }, computed: false },
      arguments: elements.slice(1),
    },
    accumulator,
  ];
}
