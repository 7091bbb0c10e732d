/**
 * The embedded Cosmos DB-compatible server for local runs and tests (@vercel/cosmosdb-server,
 * a dev dependency: production never loads this file). It speaks the real SQL-API protocol,
 * so the service reaches it through @azure/cosmos exactly as it reaches Azure.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** A running embedded server. */
export interface EmbeddedCosmos {
  endpoint: string;
  /** Any key works; the server does not check it. */
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
    key: 'local-embedded-cosmos-key',
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
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
