/**
 * One log line per HTTP request, so the City's IT team can trace a failure (tester 10, finding
 * 13: a whole manual run logged nothing): `{ component: 'http', method, route, status,
 * durationMs }`, plus, on the bot endpoint, the activity's `activityType` and `channel`
 * (Bot Framework `type` and `channelId`: "message", "msteams"…).
 *
 * PII-free by construction (POPIA; docs/security.md "Logs"): the route is restify's *pattern*
 * ("/api/cases/:reference"), never the URL, its path values or its query; no header, body, text,
 * name, number or conversation id; the activity's type and channel only when they are short
 * plain words. Levels: `error` for a 5xx answer, `info` for the bot endpoint, the APIs and the
 * WhatsApp/SMS webhook, `debug` for the health check and static files (the tab, the chat page),
 * which would otherwise drown the rest. `LOG_LEVEL=debug` shows those too.
 */
import type restify from 'restify';
import { log } from '../log.js';

const requestLog = log.child({ component: 'http' });

/** A Bot Framework activity field worth logging: a short word ("message", "conversationUpdate", "msteams", "directline"). */
const WORD = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** Routes logged at `debug`: polled by the platform, or files of the pages. */
function quiet(route: string): boolean {
  return route === '/health' || route === '/favicon.ico' || !route.startsWith('/api/');
}

/** The fields of one request's line: nothing a client chose except an activity's type and channel. */
function requestFields(req: restify.Request, res: restify.Response, route: string | undefined, now = Date.now()): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    method: WORD.test(req.method ?? '') ? req.method : 'other',
    route: route ?? '(no route)',
    status: res.statusCode,
    durationMs: Math.max(0, now - req.time()),
  };
  if (route === '/api/messages') {
    const body = (req as { body?: unknown }).body as { type?: unknown; channelId?: unknown } | undefined;
    if (typeof body?.type === 'string' && WORD.test(body.type)) fields.activityType = body.type;
    if (typeof body?.channelId === 'string' && WORD.test(body.channelId)) fields.channel = body.channelId;
  }
  return fields;
}

/** Logs every request once it is answered (restify's `after` event, which fires for refusals too). */
export function logRequests(server: restify.Server): void {
  server.on('after', (req: restify.Request, res: restify.Response, route: { spec?: { path?: unknown } } | null | undefined) => {
    const path = route?.spec?.path;
    const pattern = typeof path === 'string' ? path : undefined;
    const fields = requestFields(req, res, pattern);
    if (res.statusCode >= 500) requestLog.error(fields, 'request failed');
    else if (pattern === undefined || !quiet(pattern)) requestLog.info(fields, 'request');
    else requestLog.debug(fields, 'request');
  });
}
