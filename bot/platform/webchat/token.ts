/**
 * `POST /api/webchat/token`: the public page's way into Direct Line. The service exchanges the
 * Direct Line secret for a token that opens one conversation only and expires (Direct Line 3.0
 * authentication: `POST /tokens/generate`); the secret never leaves the service. The user id is
 * of our own making (`dl_` + random: nothing personal; the `dl_` prefix is what Direct Line's
 * enhanced authentication expects of user ids), bound into the token so that a page cannot speak
 * as another user.
 *
 * Resume after a reload: the page keeps the conversation id with a `resumeKey` (an HMAC of the
 * conversation and user ids under a key derived from the secret) and sends both back; with a key
 * that verifies, the service asks Direct Line for a fresh token for that conversation
 * (`GET /conversations/{id}` with the secret, the documented reconnect). Without the key a
 * conversation id alone opens nothing, so a guessed or leaked id is useless.
 *
 * A new chat is also started here, on the page's behalf and with its token (so as the page's own
 * user): the conversation opened (`POST /conversations`), the category link's choice sent as the
 * welcome card's button would send it (a post-back, which Web Chat does not show), and the bot's
 * first messages read back as plain text. A slow phone then shows the bot's first words from this
 * one answer, before Web Chat (the page's large part) has loaded: each round trip it saves is
 * 400 ms on a slow 3G connection.
 *
 * Rate limited per client address (a page load makes one call; a script making hundreds is
 * refused with 429), before Direct Line is called.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type restify from 'restify';
import { z } from 'zod';
import type { WebChatSettings } from '../config/settings.js';
import { RateLimiter, type RateLimit } from '../http/rateLimiter.js';
import { log } from '../log.js';

/** What the page gets: enough to start or resume Web Chat. */
export interface WebChatToken {
  token: string;
  conversationId: string;
  userId: string;
  /** Seconds until the token expires (Web Chat refreshes it itself before then). */
  expiresIn: number;
  /** Direct Line's base URL for Web Chat's `domain` option. */
  domain: string;
  /** Kept by the page with the conversation id; sent back to resume it. */
  resumeKey: string;
  /** A new chat: the bot's first messages as plain text (a card: its first line), already in the conversation. */
  first?: string[];
}

/**
 * Per client address: 60 page loads (new chats and reloads) at once, then 30 a minute. South
 * Africa's mobile networks put many subscribers behind one address (carrier-grade NAT), so a
 * session advertised on a poster brings many ratepayers from few addresses: at 10, then 6 a
 * minute, a tester's 48 chats from one address saw 22 turned away (tester 11, finding 11). The
 * bound still caps what one address can open; cases are capped per mobile number and conversation
 * besides (bot/domain/openCaseLimits.ts).
 */
const TOKEN_RATE_LIMIT: RateLimit = { burst: 60, perSecond: 0.5 };

const newChatRequest = z.object({
  category: z.string().max(64).optional(),
  locale: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/).max(35).optional(),
});

/** What the page shows of a bot message before Web Chat is there: its text, or its card's first line. */
function firstWords(activity: { text?: unknown; summary?: unknown; attachments?: { contentType?: string; content?: { body?: { type?: string; text?: string }[] } }[] }): string {
  if (typeof activity.text === 'string' && activity.text) return activity.text;
  if (typeof activity.summary === 'string' && activity.summary) return activity.summary;
  const card = activity.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
  // The card's text is written for Markdown renderers: its escapes are undone for plain text.
  return (card?.body?.find((b) => b.type === 'TextBlock' && b.text)?.text ?? '').replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, '$1');
}

const resumeRequest = z.object({
  conversationId: z.string().min(1).max(200),
  userId: z.string().regex(/^dl_[0-9a-f-]{36}$/),
  resumeKey: z.string().min(1).max(200),
  category: z.string().max(64).optional(),
  locale: newChatRequest.shape.locale,
});

function resumeKeyOf(secret: string, conversationId: string, userId: string): string {
  const key = createHmac('sha256', 'ratepayer-desk/webchat-resume').update(secret).digest();
  return createHmac('sha256', key).update(`${conversationId}\n${userId}`).digest('base64url');
}

function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The client's address: App Service's front end appends the address it saw to X-Forwarded-For
 * (the last entry, "ip:port"); entries before it are whatever the client sent. Locally, the socket's.
 */
function clientAddress(req: restify.Request, behindProxy: boolean): string {
  const forwarded = behindProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',').pop()?.trim() : undefined;
  const raw = forwarded || req.socket.remoteAddress || 'unknown';
  // "1.2.3.4:5678" → "1.2.3.4"; an IPv6 address keeps its colons ("[::1]:5678" → "::1").
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(raw);
  if (bracketed) return bracketed[1]!;
  return /^[\d.]+:\d+$/.test(raw) ? raw.slice(0, raw.lastIndexOf(':')) : raw;
}

/** Registers the token route. `behindProxy`: Azure mode (App Service's front end sets X-Forwarded-For). */
export function registerWebChatToken(
  server: restify.Server,
  settings: WebChatSettings,
  options: {
    behindProxy: boolean;
    limit?: RateLimit;
    categories: readonly string[];
    /** Records the page's browser language for a conversation about to start (so its welcome is in it); a failure starts the chat anyway. */
    presetLanguage?: (conversationId: string, locale: string) => Promise<void>;
    /**
     * The language a conversation is in (a catalogue code: the one the ratepayer chose in the chat,
     * or the one settled for it), given back with a resumed chat's token so the page is in it from
     * the start of a reload or a return; a failure resumes without it.
     */
    languageOf?: (conversationId: string) => Promise<string | undefined>;
  },
): void {
  const limiter = new RateLimiter(options.limit ?? TOKEN_RATE_LIMIT);

  const directLine = async (method: 'GET' | 'POST', path: string, body?: unknown, credential = settings.secret): Promise<{ status: number; json: any }> => {
    const response = await fetch(`${settings.endpoint}${path}`, {
      method,
      headers: { authorization: `Bearer ${credential}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(8000),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };

  /** Sends a category's choice as the page's user, as the welcome card's button would (a post-back, which Web Chat does not show). */
  const chooseCategory = async (token: string, conversationId: string, userId: string, category: string, locale?: string): Promise<void> => {
    const sent = await directLine(
      'POST',
      `/conversations/${encodeURIComponent(conversationId)}/activities`,
      { type: 'message', from: { id: userId, role: 'user' }, ...(locale ? { locale } : {}), value: { verb: 'category.choose', category }, channelData: { postBack: true } },
      token,
    );
    if (sent.status !== 200) throw new Error(`Direct Line answered ${sent.status} to the category`);
  };

  /** Opens the conversation as the page's user, sends the category's choice, and reads the bot's first messages. */
  const startChat = async (token: string, conversationId: string, userId: string, category?: string, locale?: string): Promise<string[]> => {
    const path = `/conversations/${encodeURIComponent(conversationId)}`;
    if (locale && options.presetLanguage)
      await options.presetLanguage(conversationId, locale).catch((error: unknown) => log.warn({ err: error, component: 'webchat' }, 'the browser language could not be recorded; the welcome will be in English'));
    const started = await directLine('POST', '/conversations', undefined, token);
    if (started.status !== 200 && started.status !== 201) throw new Error(`Direct Line answered ${started.status} to starting the conversation`);
    if (category) await chooseCategory(token, conversationId, userId, category, locale);
    const read = await directLine('GET', `${path}/activities`, undefined, token);
    const activities = (read.json?.activities ?? []) as ({ type?: string; from?: { id?: string } } & Parameters<typeof firstWords>[0])[];
    return activities
      .filter((a) => a.type === 'message' && a.from?.id !== userId)
      .map((a) => firstWords(a))
      .filter(Boolean)
      .slice(0, 5);
  };

  server.post('/api/webchat/token', async (req, res) => {
    const decision = limiter.take(clientAddress(req, options.behindProxy));
    if (!decision.ok) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      res.header('retry-after', String(seconds));
      res.send(429, { error: 'rate_limited', message: `Too many new chats from this address: please wait ${seconds} s and try again.` });
      return;
    }
    res.header('cache-control', 'no-store');
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      if (body.conversationId !== undefined) {
        const resume = resumeRequest.safeParse(body);
        if (!resume.success || !sameKey(resume.data.resumeKey, resumeKeyOf(settings.secret, resume.data.conversationId, resume.data.userId))) {
          res.send(403, { error: 'cannot_resume', message: 'That conversation cannot be resumed here: a new chat will start.' });
          return;
        }
        const { conversationId, userId } = resume.data;
        const answer = await directLine('GET', `/conversations/${encodeURIComponent(conversationId)}`);
        if (answer.status === 404 || answer.status === 403) {
          res.send(410, { error: 'conversation_gone', message: 'That conversation has ended: a new chat will start.' });
          return;
        }
        if (answer.status !== 200 || typeof answer.json?.token !== 'string') throw new Error(`Direct Line answered ${answer.status}`);
        const token: WebChatToken = { token: answer.json.token, conversationId, userId, expiresIn: Number(answer.json.expires_in ?? 1800), domain: settings.endpoint, resumeKey: resume.data.resumeKey };
        // Another category's link: its choice, before Web Chat replays the conversation (its form included).
        const category = resume.data.category && options.categories.includes(resume.data.category) ? resume.data.category : undefined;
        if (category) await chooseCategory(token.token, conversationId, userId, category, resume.data.locale);
        const language = await options.languageOf?.(conversationId).catch((error: unknown) => {
          log.warn({ err: error, component: 'webchat' }, "the chat's language could not be read; the page stays in the browser's");
          return undefined;
        });
        res.send(200, { ...token, ...(language ? { language } : {}) });
        return;
      }
      const request = newChatRequest.safeParse(body);
      const wanted = request.success ? request.data : {};
      const category = wanted.category && options.categories.includes(wanted.category) ? wanted.category : undefined;
      const userId = `dl_${randomUUID()}`;
      const answer = await directLine('POST', '/tokens/generate', { user: { id: userId } });
      if (answer.status !== 200 || typeof answer.json?.token !== 'string' || typeof answer.json?.conversationId !== 'string')
        throw new Error(`Direct Line answered ${answer.status}`);
      const conversationId = answer.json.conversationId as string;
      const token: WebChatToken = {
        token: answer.json.token,
        conversationId,
        userId,
        expiresIn: Number(answer.json.expires_in ?? 3600),
        domain: settings.endpoint,
        resumeKey: resumeKeyOf(settings.secret, conversationId, userId),
        first: await startChat(answer.json.token as string, conversationId, userId, category, wanted.locale),
      };
      res.send(200, token);
    } catch (error) {
      // Direct Line's own text stays in the log; the page shows its own words.
      log.error({ err: error, component: 'webchat' }, 'Direct Line token exchange failed');
      res.send(502, { error: 'direct_line_unavailable', message: 'The chat service cannot be reached just now: please try again in a minute.' });
    }
  });
}
