/**
 * A small stand-in for the Bot Framework connector (Teams' own servers cannot run here): it
 * records the activities the bot sends to `POST /v3/conversations/:id/activities[/:replyTo]`
 * and `PUT /v3/conversations/:id/activities/:activityId`, and answers like the connector.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One activity the bot sent. */
export interface SentActivity {
  method: 'POST' | 'PUT';
  conversationId: string;
  activityId?: string;
  body: Record<string, any>;
  receivedAt: number;
  /** performance.now() in this process when the activity had arrived: for latencies timed here (the bench). */
  arrivedMs: number;
}

/** A running local connector. */
export interface LocalConnector {
  serviceUrl: string;
  sent: SentActivity[];
  /** Every request that reached the connector, answered or failed, in arrival order. */
  attempts: { conversationId: string; status: number; at: number }[];
  /** Answers the next requests for a conversation with these statuses (and Retry-After seconds, if given). */
  failNext(conversationId: string, statuses: number[], retryAfterSeconds?: number): void;
  /**
   * While on, requests for activities are accepted and read but never answered (a connector that
   * hangs: the connection stays open); `hung` counts them. Off again, new requests are answered.
   */
  hang(on: boolean): void;
  hung: { conversationId: string; at: number }[];
  /** Members the member API knows (`GET /v3/conversations/:team/members/:user`), by user id: email, userPrincipalName, name. */
  members: Map<string, Record<string, unknown>>;
  /** Resolves when at least `count` activities have arrived for the conversation. */
  waitFor(conversationId: string, count: number, timeoutMs?: number): Promise<SentActivity[]>;
  close(): Promise<void>;
}

/** Starts the connector on a free loopback port. */
export async function startLocalConnector(): Promise<LocalConnector> {
  const sent: SentActivity[] = [];
  const attempts: LocalConnector['attempts'] = [];
  const failures = new Map<string, { statuses: number[]; retryAfterSeconds?: number }>();
  const waiters = new Set<() => void>();
  let next = 1;
  const members = new Map<string, Record<string, unknown>>();
  let hanging = false;
  const hung: LocalConnector['hung'] = [];
  const server = http.createServer((req, res) => {
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/?]+)$/.exec(req.url ?? '');
    if (member && req.method === 'GET') {
      const found = members.get(decodeURIComponent(member[2]!));
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found ? { id: decodeURIComponent(member[2]!), ...found } : { error: { code: 'MemberNotFoundInConversation', message: 'not a member' } }));
      req.resume();
      return;
    }
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
        res.writeHead(404);
        res.end();
        return;
      }
      const conversationId = decodeURIComponent(match[1]!);
      const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
      if (hanging) {
        hung.push({ conversationId, at: Date.now() });
        waiters.forEach((w) => w());
        return; // never answered
      }
      const failure = failures.get(conversationId);
      const failWith = failure?.statuses.shift();
      attempts.push({ conversationId, status: failWith ?? 200, at: Date.now() });
      if (failWith !== undefined) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (failure?.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
        // Two calls: restify patches ServerResponse.writeHead process-wide and it no longer returns `this`.
        res.writeHead(failWith, headers);
        res.end(JSON.stringify({ error: { code: 'Injected', message: `injected ${failWith}` } }));
        return;
      }
      sent.push({
        method: req.method as 'POST' | 'PUT',
        conversationId,
        ...(activityId ? { activityId } : {}),
        body: raw ? JSON.parse(raw) : {},
        receivedAt: Date.now(),
        arrivedMs: performance.now(),
      });
      waiters.forEach((w) => w());
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: req.method === 'PUT' ? activityId : `sent-${next++}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    sent,
    attempts,
    members,
    hung,
    hang(on) {
      hanging = on;
    },
    failNext(conversationId, statuses, retryAfterSeconds) {
      failures.set(conversationId, { statuses: [...statuses], ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
    },
    waitFor(conversationId, count, timeoutMs = 5000) {
      const mine = () => sent.filter((s) => s.conversationId === conversationId);
      if (mine().length >= count) return Promise.resolve(mine());
      return new Promise((resolve, reject) => {
        const check = () => {
          if (mine().length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(mine());
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} activities in ${conversationId}, got ${mine().length}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
