/**
 * The back-office API (issue 19; docs/api.md, "Back office"): the open referrals of the signed-in
 * person's teams and the actions on one. Every route checks the token, then the person's teams
 * (BackOfficeDesk: supervisors, or staff listed with `backOfficeTeams`). Bad input: 400
 * `invalid_input` naming the field; nothing is changed.
 */
import type restify from 'restify';
import { z } from 'zod';
import type { StaffIdentity } from '../../domain/access.js';
import type { Outcome } from '../../domain/case.js';
import { MESSAGE_CHARACTERS, NOTE_CHARACTERS } from '../../domain/textLimits.js';
import type { BackOfficeDesk } from '../../backOffice/backOfficeDesk.js';
import { ServiceError } from '../flow/errors.js';
import type { Authenticate } from './authenticate.js';
import { sendError } from './errors.js';

/** What the routes need. */
export interface BackOfficeApiDependencies {
  backOffice: BackOfficeDesk;
  authenticate: Authenticate;
}

const text = (limit: number) => z.string().trim().min(1, 'must not be empty').max(limit, `must be at most ${limit} characters; nothing was saved`);
const FINAL: [Outcome, ...Outcome[]] = ['resolved', 'arrangement_made', 'not_resolved'];
const schemas = {
  update: z.object({ text: text(MESSAGE_CHARACTERS) }).strict(),
  note: z.object({ text: text(NOTE_CHARACTERS) }).strict(),
  done: z.object({ outcome: z.enum(FINAL, { error: () => `must be one of ${FINAL.join(', ')}` }), summary: text(NOTE_CHARACTERS) }).strict(),
  moreTime: z.object({ dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD'), reason: text(NOTE_CHARACTERS) }).strict(),
};

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'body'),
    message: issue.code === 'unrecognized_keys' ? 'is not a field this request takes' : issue.message,
  }));
  throw new ServiceError('invalid_input', `The request is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, {}, problems);
}

/** Registers the back-office routes. */
export function registerBackOfficeApi(server: restify.Server, deps: BackOfficeApiDependencies): void {
  const { backOffice } = deps;
  const route =
    (handler: (staff: StaffIdentity, req: restify.Request) => Promise<unknown>) =>
    async (req: restify.Request, res: restify.Response) => {
      try {
        const staff = await deps.authenticate(req.headers);
        const body = await handler(staff, req);
        res.header('cache-control', 'no-store');
        res.send(200, body);
      } catch (error) {
        sendError(res, error, 'back-office-api');
      }
    };
  const ref = (req: restify.Request) => String(req.params?.reference ?? '');

  server.get('/api/back-office/referrals', route((staff) => backOffice.list(staff)));
  server.get('/api/back-office/referrals/:reference', route((staff, req) => backOffice.page(staff, ref(req))));
  server.post('/api/back-office/referrals/:reference/update', route((staff, req) => backOffice.update(staff, ref(req), parse(schemas.update, req.body).text)));
  server.post('/api/back-office/referrals/:reference/notes', route((staff, req) => backOffice.note(staff, ref(req), parse(schemas.note, req.body).text)));
  server.post(
    '/api/back-office/referrals/:reference/done',
    route((staff, req) => {
      const body = parse(schemas.done, req.body);
      return backOffice.done(staff, ref(req), body.outcome as Exclude<Outcome, 'referred_back_office'>, body.summary);
    }),
  );
  server.post(
    '/api/back-office/referrals/:reference/more-time',
    route((staff, req) => {
      const body = parse(schemas.moreTime, req.body);
      return backOffice.moreTime(staff, ref(req), body.dueDate, body.reason);
    }),
  );
}
