/**
 * The City's rules on the tab API (issue 20; contract: docs/api.md "The City's rules"): lodge a
 * dispute, record an arrangement, record an ESP registration on a case. Same token check, input
 * checks (zod) and error shapes as the rest of the tab API; who may act is the desk's rule
 * (the assignee, or a supervisor).
 */
import type restify from 'restify';
import { z } from 'zod';
import { ACCOUNT_TYPES } from '../../domain/arrangement.js';
import type { StaffIdentity } from '../../domain/access.js';
import type { CityRulesDesk } from '../../agents/cityRulesDesk.js';
import type { DisputeExport } from '../../supervisors/disputeExport.js';
import { ServiceError, type Problem } from '../flow/errors.js';
import type { Authenticate } from './authenticate.js';
import { sendError } from './errors.js';

/** What the rules routes need. */
export interface RulesApiDependencies {
  rules: CityRulesDesk;
  disputes: DisputeExport;
  authenticate: Authenticate;
}

const cents = z.number({ error: () => 'must be an amount in whole cents' }).int('must be an amount in whole cents');
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');

const schemas = {
  dispute: z
    .object({
      statementDate: localDate,
      statementTotalCents: cents.optional(),
      items: z
        .array(
          z
            .object({
              amountCents: cents,
              reason: z.string().max(400, 'is too long'),
              meter: z.object({ billed: z.number().int('must be a whole reading'), own: z.number().int('must be a whole reading'), estimated: z.boolean() }).strict().optional(),
            })
            .strict(),
        )
        .max(50, 'has too many items'),
      keepPayingCents: cents,
      keepPayingBasis: z.enum(['undisputed', 'average'], { error: () => 'must be "undisputed" or "average"' }),
    })
    .strict(),
  arrangement: z
    .object({
      accountType: z.enum(ACCOUNT_TYPES, { error: () => `must be one of ${ACCOUNT_TYPES.join(', ')}` }),
      debtCents: cents,
      months: z.number().int('must be a whole number of months'),
      monthlyIncomeCents: cents.optional(),
      arrearsCents: cents.optional(),
    })
    .strict(),
  esp: z.object({ registeredOn: localDate, applicationNumber: z.string().trim().min(1).max(40).optional(), confirmAboveThreshold: z.boolean().optional() }).strict(),
};

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems: Problem[] = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'body'),
    message: issue.code === 'unrecognized_keys' ? 'is not a field this request takes' : issue.message,
  }));
  throw new ServiceError('invalid_input', `The request is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, {}, problems);
}

/** Registers the rules routes of the case page. */
export function registerRulesApi(server: restify.Server, deps: RulesApiDependencies): void {
  const route =
    (handler: (staff: StaffIdentity, reference: string, body: unknown) => Promise<unknown>) =>
    async (req: restify.Request, res: restify.Response) => {
      try {
        const staff = await deps.authenticate(req.headers);
        const reference = String(req.params?.reference ?? '').slice(0, 20);
        res.header('cache-control', 'no-store');
        res.send(200, await handler(staff, reference, req.body));
      } catch (error) {
        sendError(res, error, 'rules-api');
      }
    };
  // The hand-over of open disputes (supervisors only): JSON and CSV.
  const supervisor = async (req: restify.Request): Promise<void> => {
    const staff = await deps.authenticate(req.headers);
    if (staff.role !== 'supervisor') throw new ServiceError('supervisors_only', 'Only supervisors can export the open disputes.');
  };
  server.get('/api/supervisor/disputes', async (req, res) => {
    try {
      await supervisor(req);
      res.header('cache-control', 'no-store');
      res.send(200, await deps.disputes.handOver());
    } catch (error) {
      sendError(res, error, 'rules-api');
    }
  });
  server.get('/api/supervisor/disputes.csv', async (req, res) => {
    try {
      await supervisor(req);
      const csv = await deps.disputes.csv();
      const raw = res as unknown as import('node:http').ServerResponse;
      raw.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="open-disputes.csv"',
        'cache-control': 'no-store',
      });
      raw.end(csv);
    } catch (error) {
      sendError(res, error, 'rules-api');
    }
  });
  server.post('/api/cases/:reference/dispute', route((staff, ref, body) => deps.rules.lodgeDispute(staff, ref, parse(schemas.dispute, body))));
  server.post('/api/cases/:reference/arrangement', route((staff, ref, body) => deps.rules.recordArrangement(staff, ref, parse(schemas.arrangement, body))));
  server.post('/api/cases/:reference/esp-registration', route((staff, ref, body) => {
    const input = parse(schemas.esp, body);
    return deps.rules.recordEspRegistration(staff, ref, {
      registeredOn: input.registeredOn,
      ...(input.applicationNumber ? { applicationNumber: input.applicationNumber } : {}),
      ...(input.confirmAboveThreshold ? { confirmAboveThreshold: true } : {}),
    });
  }));
}
