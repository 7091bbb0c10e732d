/**
 * The HTTP edge: restify serving the Bot Framework endpoint and a health check. Thin: it hands
 * requests to the bot adapter and says nothing itself about cases.
 */
import restify from 'restify';

/** What the HTTP server hands requests to. */
export interface HttpDependencies {
  /** Processes one Bot Framework request (the adapter and the bot together). */
  processActivity(req: restify.Request, res: restify.Response): Promise<void>;
  mode: 'local' | 'azure';
  /** Reports whether the service's dependencies answer. */
  health(): Promise<{ ok: boolean; detail?: string }>;
}

/** Largest activity accepted: Teams messages are at most about 100 KB. */
const MAX_BODY_BYTES = 256 * 1024;

/** Builds the server (not yet listening). */
export function createHttpServer(deps: HttpDependencies): restify.Server {
  const server = restify.createServer({ name: 'ratepayer-desk', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    await deps.processActivity(req, res);
  });

  server.get('/health', async (_req, res) => {
    const health = await deps.health().catch((error: Error) => ({ ok: false, detail: error.message }));
    res.send(health.ok ? 200 : 503, { status: health.ok ? 'ok' : 'unavailable', mode: deps.mode, ...health });
  });

  return server;
}
