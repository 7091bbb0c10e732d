/**
 * A local stand-in for Azure Bot Service's Direct Line 3.0 channel (the real one cannot run on
 * this machine). It speaks the documented REST contract on both of its sides, so the page and the
 * bot run the same code as in production:
 *
 * - towards the browser (Bot Framework Web Chat, botframework-directlinejs), under /v3/directline:
 *   `POST /tokens/generate` (secret → token bound to one conversation and one user id),
 *   `POST /tokens/refresh`, `POST /conversations` (start, 201; 200 when the token's conversation
 *   already started), `GET /conversations/{id}?watermark=` (resume: a fresh token and stream URL),
 *   `GET /conversations/{id}/activities?watermark=` (polling) and `POST …/activities` (send), and
 *   the WebSocket `streamUrl`, which pushes `{ activities, watermark }` groups and replays from
 *   the watermark it was opened with.
 *   https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-api-reference
 * - towards the bot: every activity a person sends is POSTed to the bot's `/api/messages` as the
 *   real service sends it — `channelId: "directline"`, `serviceUrl` (this server), `conversation`,
 *   `from` (the token's user id: a client cannot speak as another user), `recipient` (the bot),
 *   `id`, `timestamp`, `locale` — and, when a conversation starts, a `conversationUpdate` adding
 *   the bot and the user. This server is that `serviceUrl`'s connector: the bot's replies and
 *   proactive messages (`POST /v3/conversations/{id}/activities[/{replyToId}]`) and updates
 *   (`PUT /v3/conversations/{id}/activities/{activityId}`) go into the conversation's stream.
 *
 * In local mode the bot endpoint authenticates nothing (bot/platform/teams/adapter.ts), so no
 * Bot Framework token is attached. Everything is kept in memory until `close()`. Why our own and
 * not npm `offline-directline`: that package leaves out `activity.recipient` (its fix is an open
 * pull request), pins express 4.16 and moment 2.22 with known advisories, and has no token
 * binding or resume; this one is the part of the contract the page uses, and no more.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';

/** An activity as Direct Line carries it (the Bot Framework Activity schema). */
export type DirectLineActivity = Record<string, any> & { type: string; id?: string };

/** How the stand-in is set up. */
export interface DirectLineOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages (or set later with `pointAt`). */
  botEndpoint?: string;
  /** The Direct Line secret the service exchanges for tokens (the real one comes from the channel's site). */
  secret: string;
  /** The bot as Direct Line names it in `recipient` and `from` (the bot resource's handle). */
  bot?: { id: string; name: string };
  /** Port to listen on (0: any free one). */
  port?: number;
  /** Seconds a token lives (the real service: 3600 for generated tokens). */
  tokenSeconds?: number;
}

/** A running stand-in. */
export interface LocalDirectLine {
  /** The base URL Web Chat's `domain` option takes: http://127.0.0.1:PORT/v3/directline. */
  domain: string;
  /** The `serviceUrl` activities carry (the bot's connector): http://127.0.0.1:PORT. */
  serviceUrl: string;
  secret: string;
  /** Every activity of a conversation as the stream carries it (people's and the bot's), in order. */
  activities(conversationId: string): DirectLineActivity[];
  /** Every activity the stand-in POSTed to the bot, in order. */
  toBot: DirectLineActivity[];
  /** Sets the bot's messaging endpoint (when the bot starts after the stand-in, on a port not known before). */
  pointAt(botEndpoint: string): void;
  close(): Promise<void>;
}

interface Conversation {
  id: string;
  /** The user id the conversation's tokens speak for. */
  userId: string;
  userName?: string;
  started: boolean;
  activities: DirectLineActivity[];
  sockets: Set<WebSocket>;
}

interface TokenGrant {
  conversationId: string;
  expiresAt: number;
}

/** Answers with JSON. */
function send(res: http.ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' });
  res.end(text);
}

/** The Direct Line error shape: `{ error: { code, message } }`. */
function fail(res: http.ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { error: { code, message } });
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of req) {
    raw += chunk;
    if (raw.length > 256 * 1024) throw new Error('too large');
  }
  return raw ? JSON.parse(raw) : undefined;
}

function bearer(req: http.IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

/** Starts the stand-in on 127.0.0.1. */
export async function startLocalDirectLine(options: DirectLineOptions): Promise<LocalDirectLine> {
  const bot = options.bot ?? { id: 'ratepayer-desk', name: 'Ratepayer Desk' };
  const tokenMs = (options.tokenSeconds ?? 3600) * 1000;
  const conversations = new Map<string, Conversation>();
  const tokens = new Map<string, TokenGrant>();
  const toBot: DirectLineActivity[] = [];
  let botEndpoint = options.botEndpoint ?? '';
  let base = '';
  let sequence = 0;

  // Tokens are JWTs as the real service's are: Web Chat reads the `user` claim (a user id
  // starting "dl_" is honoured only from there). Signed with a key of this instance; every token
  // is also looked up, so a forged one opens nothing.
  const signingKey = randomBytes(32);
  const issueToken = (conversationId: string): string => {
    const expiresAt = Date.now() + tokenMs;
    const conversation = conversations.get(conversationId);
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ conv: conversationId, user: conversation?.userId, exp: Math.floor(expiresAt / 1000), jti: randomUUID() })}`;
    const token = `${unsigned}.${createHmac('sha256', signingKey).update(unsigned).digest('base64url')}`;
    tokens.set(token, { conversationId, expiresAt });
    return token;
  };
  const streamUrl = (conversation: Conversation, watermark: string | null): string =>
    `${base.replace(/^http/, 'ws')}/v3/directline/conversations/${encodeURIComponent(conversation.id)}/stream?t=${issueToken(conversation.id)}${watermark ? `&watermark=${encodeURIComponent(watermark)}` : ''}`;

  /** The conversation a token (or the secret, for any conversation) may use; undefined: 403. */
  const authorised = (req: http.IncomingMessage, conversationId?: string): Conversation | 'secret' | undefined => {
    const credential = bearer(req);
    if (!credential) return undefined;
    if (credential === options.secret) return conversationId ? conversations.get(conversationId) ?? 'secret' : 'secret';
    const grant = tokens.get(credential);
    if (!grant || grant.expiresAt < Date.now()) return undefined;
    if (conversationId !== undefined && grant.conversationId !== conversationId) return undefined;
    return conversations.get(grant.conversationId);
  };

  /** Adds an activity to a conversation's stream and pushes it to the open sockets. */
  const publish = (conversation: Conversation, activity: DirectLineActivity): void => {
    conversation.activities.push(activity);
    const watermark = String(conversation.activities.length);
    const group = JSON.stringify({ activities: [activity], watermark });
    for (const socket of conversation.sockets) if (socket.readyState === WebSocket.OPEN) socket.send(group);
  };

  /** POSTs an activity to the bot as the real channel does; the bot's HTTP status comes back. */
  const deliver = async (conversation: Conversation, activity: DirectLineActivity): Promise<number> => {
    const full = {
      ...activity,
      channelId: 'directline',
      serviceUrl: base,
      conversation: { id: conversation.id },
      recipient: { id: bot.id, name: bot.name, role: 'bot' },
      timestamp: activity.timestamp ?? new Date().toISOString(),
    };
    toBot.push(full);
    try {
      const response = await fetch(botEndpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(full) });
      await response.text();
      return response.status;
    } catch {
      return 502;
    }
  };

  const newConversation = (userId: string, userName?: string): Conversation => {
    const conversation: Conversation = { id: `${randomUUID().replace(/-/g, '').slice(0, 22)}-za`, userId, ...(userName ? { userName } : {}), started: false, activities: [], sockets: new Set() };
    conversations.set(conversation.id, conversation);
    return conversation;
  };

  const start = async (conversation: Conversation): Promise<void> => {
    conversation.started = true;
    const user = { id: conversation.userId, ...(conversation.userName ? { name: conversation.userName } : {}), role: 'user' };
    await deliver(conversation, { type: 'conversationUpdate', id: randomUUID(), from: user, membersAdded: [{ id: bot.id, name: bot.name }, { id: user.id, ...(user.name ? { name: user.name } : {}) }] });
  };

  const directLine = async (req: http.IncomingMessage, res: http.ServerResponse, path: string, query: URLSearchParams): Promise<void> => {
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/tokens/generate') {
      if (bearer(req) !== options.secret) return fail(res, 403, 'BadArgument', 'A token is generated with the Direct Line secret only.');
      const body = ((await readJson(req)) ?? {}) as { user?: { id?: unknown; name?: unknown } };
      const userId = typeof body.user?.id === 'string' && body.user.id ? body.user.id : `dl_${randomUUID()}`;
      const conversation = newConversation(userId, typeof body.user?.name === 'string' ? body.user.name : undefined);
      return send(res, 200, { conversationId: conversation.id, token: issueToken(conversation.id), expires_in: tokenMs / 1000 });
    }
    if (method === 'POST' && path === '/tokens/refresh') {
      const found = authorised(req);
      if (!found || found === 'secret') return fail(res, 403, 'TokenExpired', 'The token is not valid or has expired.');
      return send(res, 200, { conversationId: found.id, token: issueToken(found.id), expires_in: tokenMs / 1000 });
    }
    if (method === 'POST' && path === '/conversations') {
      const found = authorised(req);
      if (!found) return fail(res, 403, 'BadArgument', 'A secret or a token is needed.');
      const conversation = found === 'secret' ? newConversation(`dl_${randomUUID()}`) : found;
      const existed = conversation.started;
      if (!existed) await start(conversation);
      return send(res, existed ? 200 : 201, { conversationId: conversation.id, token: issueToken(conversation.id), expires_in: tokenMs / 1000, streamUrl: streamUrl(conversation, null) });
    }
    const match = /^\/conversations\/([^/]+)(\/activities)?$/.exec(path);
    if (!match) return fail(res, 404, 'NotFound', 'No such route.');
    const conversationId = decodeURIComponent(match[1]!);
    const found = authorised(req, conversationId);
    if (!found) return fail(res, 403, 'BadArgument', 'The token does not give access to this conversation.');
    const conversation = found === 'secret' ? undefined : found;
    if (!conversation) return fail(res, 404, 'BadArgument', 'Conversation not found.');
    if (!match[2] && method === 'GET') {
      // Resume: a new token and stream URL; the stream replays from the watermark given.
      if (!conversation.started) await start(conversation);
      return send(res, 200, { conversationId: conversation.id, token: issueToken(conversation.id), expires_in: tokenMs / 1000, streamUrl: streamUrl(conversation, query.get('watermark')) });
    }
    if (match[2] && method === 'GET') {
      const from = Math.max(0, Number(query.get('watermark') ?? 0) || 0);
      return send(res, 200, { activities: conversation.activities.slice(from), watermark: String(conversation.activities.length) });
    }
    if (match[2] && method === 'POST') {
      const body = (await readJson(req).catch(() => undefined)) as DirectLineActivity | undefined;
      if (!body || typeof body !== 'object' || typeof body.type !== 'string') return fail(res, 400, 'BadArgument', 'The activity is not valid.');
      if (body.from?.id && body.from.id !== conversation.userId) return fail(res, 400, 'BadArgument', 'The activity is from a user other than the token\'s.');
      const id = `${conversation.id}|${String(++sequence).padStart(7, '0')}`;
      const activity: DirectLineActivity = {
        ...body,
        id,
        from: { id: conversation.userId, ...(body.from?.name ? { name: body.from.name } : conversation.userName ? { name: conversation.userName } : {}), role: 'user' },
        conversation: { id: conversation.id },
        channelId: 'directline',
        timestamp: new Date().toISOString(),
      };
      // The echo first, as the real service does: Web Chat confirms its send by it.
      publish(conversation, activity);
      const status = await deliver(conversation, activity);
      if (status >= 400) return fail(res, 502, 'BotError', `The bot answered ${status}.`);
      return send(res, 200, { id });
    }
    return fail(res, 405, 'MethodNotAllowed', 'This route does not take that method.');
  };

  /** The bot's connector (its `serviceUrl`): replies, proactive messages, updates. */
  const connector = async (req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> => {
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    const conversation = match ? conversations.get(decodeURIComponent(match[1]!)) : undefined;
    if (!match || !conversation) return fail(res, 404, 'ConversationNotFound', 'No such conversation.');
    const body = (await readJson(req).catch(() => undefined)) as DirectLineActivity | undefined;
    if (!body || typeof body.type !== 'string') return fail(res, 400, 'BadArgument', 'The activity is not valid.');
    if (req.method === 'PUT' && match[2]) {
      // An update is the activity again under its id: Web Chat replaces the one it shows.
      const id = decodeURIComponent(match[2]);
      publish(conversation, { ...body, id, from: { id: bot.id, name: bot.name, role: 'bot' }, conversation: { id: conversation.id }, channelId: 'directline', timestamp: new Date().toISOString() });
      return send(res, 200, { id });
    }
    if (req.method !== 'POST') return fail(res, 405, 'MethodNotAllowed', 'This route does not take that method.');
    const id = `${conversation.id}|${String(++sequence).padStart(7, '0')}`;
    publish(conversation, {
      ...body,
      id,
      from: { id: bot.id, name: bot.name, role: 'bot' },
      recipient: { id: conversation.userId, role: 'user' },
      conversation: { id: conversation.id },
      channelId: 'directline',
      timestamp: new Date().toISOString(),
      ...(match[2] ? { replyToId: decodeURIComponent(match[2]) } : {}),
    });
    return send(res, 200, { id });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'OPTIONS') {
      // The real service answers any page's preflight (a token is what guards a conversation).
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'authorization, content-type',
        'access-control-allow-methods': 'GET, POST, PUT',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    const handled = url.pathname.startsWith('/v3/directline/')
      ? directLine(req, res, url.pathname.slice('/v3/directline'.length), url.searchParams)
      : connector(req, res, url.pathname);
    handled.catch(() => {
      if (!res.headersSent) fail(res, 400, 'BadArgument', 'The request could not be read.');
      else res.end();
    });
  });

  const sockets = new WebSocket.Server({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/.exec(url.pathname);
    const grant = tokens.get(url.searchParams.get('t') ?? '');
    const conversation = match ? conversations.get(decodeURIComponent(match[1]!)) : undefined;
    if (!conversation || !grant || grant.conversationId !== conversation.id || grant.expiresAt < Date.now()) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    // @types/ws (6) names a net.Socket where Node now passes a Duplex; ws uses only what both have.
    sockets.handleUpgrade(req, socket as import('node:net').Socket, head, (ws) => {
      // One stream per conversation, as the real service allows: an older one is closed.
      for (const old of conversation.sockets) old.close(1000, 'collision');
      conversation.sockets.add(ws);
      ws.on('close', () => conversation.sockets.delete(ws));
      ws.on('message', () => undefined);
      const from = Math.max(0, Number(url.searchParams.get('watermark') ?? 0) || 0);
      if (conversation.activities.length > from)
        ws.send(JSON.stringify({ activities: conversation.activities.slice(from), watermark: String(conversation.activities.length) }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    domain: `${base}/v3/directline`,
    serviceUrl: base,
    secret: options.secret,
    activities: (conversationId) => [...(conversations.get(conversationId)?.activities ?? [])],
    toBot,
    pointAt: (endpoint) => {
      botEndpoint = endpoint;
    },
    close: async () => {
      for (const conversation of conversations.values()) for (const ws of conversation.sockets) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
