/**
 * The supervisor view's routes under /api/supervisor/ (contract: docs/api.md). Every route needs
 * a signed-in supervisor: agents get 403 `supervisors_only`.
 */
import type restify from 'restify';
import { z } from 'zod';
import type { StaffIdentity } from '../../domain/access.js';
import type { SessionSlot } from '../../domain/calendar.js';
import type { Clock } from '../ports/clock.js';
import type { SessionCaseReader } from '../ports/supervision.js';
import { ServiceError } from '../flow/errors.js';
import type { Supervision } from '../../supervisors/index.js';
import type { Authenticate } from './authenticate.js';
import { sendError as sendCodedError } from './errors.js';

/** What the supervisor API needs. */
export interface SupervisorApiDependencies {
  supervision: Supervision;
  authenticate: Authenticate;
  clock: Clock;
}

const assignBody = z.object({ agentId: z.string().trim().min(1, 'is required').max(64) }).strict();

function sendError(res: restify.Response, error: unknown): void {
  sendCodedError(res, error, 'supervisor-api');
}

/** Registers the supervisor routes. */
export function registerSupervisorApi(server: restify.Server, deps: SupervisorApiDependencies): void {
  const { supervision } = deps;

  const supervisor = async (req: restify.Request): Promise<StaffIdentity> => {
    const staff = await deps.authenticate(req.headers);
    if (staff.role !== 'supervisor') throw new ServiceError('supervisors_only', 'Only supervisors can use the supervisor view.');
    return staff;
  };

  const sessionOf = (req: restify.Request): SessionSlot => {
    const id = new URL(req.url ?? '', 'http://localhost').searchParams.get('session');
    const session = id ? supervision.sessionById(id) : supervision.currentOrLastSession();
    if (!session)
      throw id
        ? new ServiceError('not_found', `The calendar has no session ${id.slice(0, 20)}.`)
        : new ServiceError('not_found', 'No session is open, and none closed in the last two weeks.');
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

  // Issue 17: a supervisor closes a case as spam (the ratepayer is told politely; the audit names them).
  server.post('/api/supervisor/cases/:reference/spam', async (req, res) => {
    try {
      const staff = await supervisor(req);
      const saved = await supervision.closeAsSpam(staff, String(req.params?.reference ?? ''));
      res.header('cache-control', 'no-store');
      res.send(200, { reference: saved.id, state: saved.state, closedAs: saved.closedAs });
    } catch (error) {
      sendError(res, error);
    }
  });

  server.post('/api/supervisor/cases/:reference/assign', async (req, res) => {
    try {
      const staff = await supervisor(req);
      const parsed = assignBody.safeParse(req.body ?? {});
      if (!parsed.success)
        throw new ServiceError(
          'invalid_input',
          'The request is not valid.',
          {},
          parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message })),
        );
      const saved = await supervision.assign(staff, String(req.params?.reference ?? ''), parsed.data.agentId);
      res.header('cache-control', 'no-store');
      res.send(200, { reference: saved.id, state: saved.state, category: saved.category, assignedTo: saved.assignedTo });
    } catch (error) {
      sendError(res, error);
    }
  });
}
