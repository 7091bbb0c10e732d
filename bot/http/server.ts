/**
 * The HTTP edge: restify serving the Bot Framework endpoint, a health check and whatever else
 * the composition root registers (the tab API and the tab itself). Thin: it hands requests on
 * and says nothing itself about cases.
 */
import restify from 'restify';
import { securityHeaders } from './rateLimit.js';
import { isLoopbackUrl, jsonBodiesOnly, onlyLoopbackHosts } from './edgeGuards.js';

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

/** Builds the server (not yet listening). */
export function createHttpServer(deps: HttpDependencies): restify.Server {
  const server = restify.createServer({ name: 'ratepayer-desk', handleUncaughtExceptions: false });
  // Local mode has no authentication on the bot endpoint: answer only requests addressed to loopback.
  server.pre(securityHeaders(deps.mode));
  if (deps.mode === 'local') server.pre(onlyLoopbackHosts());
  server.use(jsonBodiesOnly());
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    // Local mode has no bot authentication, so nothing binds an activity's serviceUrl to the
    // Bot Framework: only a loopback one (the Playground, a test's connector) is let in, or the
    // bot would send a chat's replies wherever a request said.
    const serviceUrl = (req.body as { serviceUrl?: unknown } | undefined)?.serviceUrl;
    if (deps.mode === 'local' && !(typeof serviceUrl === 'string' && isLoopbackUrl(serviceUrl))) {
      res.send(400, { error: 'invalid_activity', message: 'In local mode the activity\'s serviceUrl must be a loopback address.' });
      return;
    }
    await deps.processActivity(req, res);
  });

  server.get('/health', async (_req, res) => {
    const health = await deps.health().catch((error: Error) => ({ ok: false, detail: error.message }));
    res.send(health.ok ? 200 : 503, { status: health.ok ? 'ok' : 'unavailable', mode: deps.mode, ...health });
  });

  for (const register of deps.routes ?? []) register(server);

  return server;
}
