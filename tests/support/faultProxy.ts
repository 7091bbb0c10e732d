/**
 * Test support: a fault-injecting HTTP proxy. It forwards requests to a target (the embedded
 * Cosmos DB server, the local Bot Framework connector) and, when `decide` says so, answers with
 * an injected status instead — either before the request reaches the target (the write never
 * happened) or after (the write happened, the answer was lost).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What to do with one request. */
export type FaultDecision =
  | { kind: 'pass' }
  | { kind: 'before'; status: number; headers?: Record<string, string> }
  | { kind: 'after'; status: number; headers?: Record<string, string> }
  /** Takes the request and never answers (a database that accepts connections and hangs). */
  | { kind: 'hang' };

export interface FaultProxy {
  url: string;
  /** Requests seen, and faults injected by status and kind. */
  stats: { requests: number; passed: number; injected: Record<string, number> };
  decide: (req: http.IncomingMessage) => FaultDecision;
  close(): Promise<void>;
}

/** Starts a proxy in front of `target` (http://host:port). */
export async function startFaultProxy(target: string, decide: FaultProxy['decide'] = () => ({ kind: 'pass' })): Promise<FaultProxy> {
  const to = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const proxy: FaultProxy = { url: '', stats: { requests: 0, passed: 0, injected: {} }, decide, close: async () => undefined };
  const inject = (res: http.ServerResponse, status: number, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ code: status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', message: `injected ${status}` }));
  };
  const server = http.createServer((req, res) => {
    proxy.stats.requests++;
    const decision = proxy.decide(req);
    const count = (what: string) => (proxy.stats.injected[what] = (proxy.stats.injected[what] ?? 0) + 1);
    if (decision.kind === 'hang') {
      count('hang');
      req.resume();
      return;
    }
    if (decision.kind === 'before') {
      count(`${decision.status} before`);
      req.resume();
      req.on('end', () => inject(res, decision.status, decision.headers));
      return;
    }
    const upstream = http.request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host }, agent },
      (up) => {
        if (decision.kind === 'after') {
          count(`${decision.status} after`);
          up.resume();
          up.on('end', () => inject(res, decision.status, decision.headers));
          return;
        }
        proxy.stats.passed++;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => inject(res, 502));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
