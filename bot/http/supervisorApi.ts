/**
 * The supervisor view's routes under /api/supervisor/ (contract: docs/api.md). Every route needs
 * a signed-in supervisor: agents get 403 `supervisors_only`.
 */
import type restify from 'restify';
import { z } from 'zod';
import { RateLimitedError } from './rateLimit.js';
import { AuthError } from '../auth/tokens.js';
import type { StaffIdentity } from '../domain/access.js';
import type { SessionSlot } from '../domain/calendar.js';
import type { Clock } from '../ports/clock.js';
import { SupervisionError, type Supervision } from '../services/supervision/index.js';
import type { Authenticate } from './authenticate.js';
import { log } from '../log.js';

/** What the supervisor API needs. */
export interface SupervisorApiDependencies {
  supervision: Supervision;
  authenticate: Authenticate;
  clock: Clock;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const assignBody = z.object({ agentId: z.string().trim().min(1, 'is required').max(64) }).strict();

function sendError(res: restify.Response, error: unknown): void {
  if (error instanceof AuthError) {
    if (error instanceof RateLimitedError) res.header('Retry-After', String(error.retryAfterSeconds));
    if (error.status === 401) res.header('WWW-Authenticate', `Bearer error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`);
    res.send(error.status, { error: error.code, message: error.message });
    return;
  }
  if (error instanceof ApiError) {
    res.send(error.status, { error: error.code, message: error.message, ...error.extra });
    return;
  }
  if (error instanceof SupervisionError) {
    const status = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409 }[error.kind];
    res.send(status, {
      error: error.kind === 'invalid' ? 'invalid_input' : error.kind,
      message: error.message,
      ...(error.kind === 'invalid' ? { problems: [{ field: error.field ?? 'agentId', message: error.message }] } : {}),
    });
    return;
  }
  log.error({ err: error, component: 'supervisor-api' }, 'supervisor API request failed');
  res.send(500, { error: 'internal', message: 'Something went wrong on the service; try again.' });
}

/** Registers the supervisor routes. */
export function registerSupervisorApi(server: restify.Server, deps: SupervisorApiDependencies): void {
  const { supervision } = deps;

  const supervisor = async (req: restify.Request): Promise<StaffIdentity> => {
    const staff = await deps.authenticate(req.headers);
    if (staff.role !== 'supervisor') throw new ApiError(403, 'supervisors_only', 'Only supervisors can use the supervisor view.');
    return staff;
  };

  const sessionOf = (req: restify.Request): SessionSlot => {
    const id = new URL(req.url ?? '', 'http://localhost').searchParams.get('session');
    const session = id ? supervision.sessionById(id) : supervision.currentOrLastSession();
    if (!session)
      throw id
        ? new ApiError(404, 'not_found', `The calendar has no session ${id.slice(0, 20)}.`)
        : new ApiError(404, 'not_found', 'No session is open, and none closed in the last two weeks.');
    return session;
  };

  /** `?region=B`: the view of one region (a channel tab pinned to it); absent or empty, the whole programme. */
  const regionOf = (req: restify.Request): string | undefined => new URL(req.url ?? '', 'http://localhost').searchParams.get('region') || undefined;

  server.get('/api/supervisor/overview', async (req, res) => {
    try {
      await supervisor(req);
      const body = await supervision.overview(sessionOf(req), regionOf(req));
      res.header('cache-control', 'no-store');
      res.send(200, body);
    } catch (error) {
      sendError(res, error);
    }
  });

  server.get('/api/supervisor/cases.csv', async (req, res) => {
    try {
      await supervisor(req);
      const session = sessionOf(req);
      const csv = await supervision.csv(session, regionOf(req));
      const raw = res as unknown as import('node:http').ServerResponse;
      raw.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="cases-${session.id.replace(':', '')}.csv"`,
        'cache-control': 'no-store',
      });
      raw.end(csv);
    } catch (error) {
      sendError(res, error);
    }
  });

  server.post('/api/supervisor/cases/:reference/assign', async (req, res) => {
    try {
      const staff = await supervisor(req);
      const parsed = assignBody.safeParse(req.body ?? {});
      if (!parsed.success)
        throw new ApiError(400, 'invalid_input', 'The request is not valid.', {
          problems: parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message })),
        });
      const saved = await supervision.assign(staff, String(req.params?.reference ?? ''), parsed.data.agentId);
      res.header('cache-control', 'no-store');
      res.send(200, { reference: saved.id, state: saved.state, category: saved.category, assignedTo: saved.assignedTo });
    } catch (error) {
      sendError(res, error);
    }
  });
}
