/**
 * The HTTP edge: restify serving the Bot Framework endpoint, a health check and whatever else
 * the composition root registers (the tab API and the tab itself). Thin: it hands requests on
 * and says nothing itself about cases.
 */
import restify from 'restify';
import { securityHeaders } from './rateLimit.js';
import { jsonBodiesOnly, onlyLoopbackHosts } from './edgeGuards.js';
import { log } from '../log.js';
import { logRequests } from './requestLog.js';

/** What the HTTP server hands requests to. */
export interface HttpDependencies {
  /** Processes one Bot Framework request (the adapter and the bot together). */
  processActivity(req: restify.Request, res: restify.Response): Promise<void>;
  mode: 'local' | 'azure';
  /** Reports whether the service's dependencies answer. */
  health(): Promise<{ ok: boolean; detail?: string }>;
  /** Registers further routes (the tab API, the tab's files). */
  routes?: ((server: restify.Server) => void)[];
}

/** Largest activity accepted: Teams messages are at most about 100 KB. */
const MAX_BODY_BYTES = 256 * 1024;

/** What the edge answers when restify refuses a request itself, by status. */
const EDGE_ERRORS: Record<number, [string, string]> = {
  400: ['invalid_body', 'The request body is not valid JSON.'],
  404: ['not_found', 'There is no such route.'],
  405: ['method_not_allowed', 'This route does not take that method.'],
  406: ['not_acceptable', 'This route answers in JSON only.'],
  413: ['too_large', `The request body exceeds ${MAX_BODY_BYTES / 1024} KB.`],
  415: ['unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).'],
};

/** Builds the server (not yet listening). */
export function createHttpServer(deps: HttpDependencies): restify.Server {
  const server = restify.createServer({ name: 'ratepayer-desk', handleUncaughtExceptions: false });
  server.pre(securityHeaders(deps.mode));
  // One PII-free line per request (route pattern, status, duration; the activity's type and channel).
  logRequests(server);
  // Local mode has no authentication on the bot endpoint: answer only requests addressed to loopback.
  if (deps.mode === 'local') server.pre(onlyLoopbackHosts());
  server.use(jsonBodiesOnly());
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  // restify's own refusals (bad JSON, unknown route, body too large…) carry its parser's text,
  // which may echo what the client sent: answer with ours.
  server.on('restifyError', (_req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number; toJSON?: () => unknown }, callback: () => void) => {
    const status = err.statusCode ?? 500;
    const body = { error: EDGE_ERRORS[status]?.[0] ?? 'request_failed', message: EDGE_ERRORS[status]?.[1] ?? 'The request could not be handled.' };
    err.toJSON = () => body;
    err.toString = () => body.message;
    callback();
  });

  server.post('/api/messages', async (req, res) => {
    await deps.processActivity(req, res);
  });

  server.get('/health', async (_req, res) => {
    // The store's own error text stays in the log: the endpoint is public.
    const health = await deps.health().catch((error: unknown) => {
      log.warn({ err: error, component: 'health' }, 'health check failed');
      return { ok: false, detail: 'The case store does not answer.' };
    });
    res.send(health.ok ? 200 : 503, { status: health.ok ? 'ok' : 'unavailable', mode: deps.mode, ...health });
  });

  // Browsers ask every origin for /favicon.ico (the tab and the chat page have no icon of their
  // own): "nothing here" on purpose, rather than a 404 in every console.
  server.get('/favicon.ico', (_req, res, next) => {
    res.header('cache-control', 'public, max-age=86400');
    res.send(204);
    next();
  });

  for (const register of deps.routes ?? []) register(server);

  return server;
}
