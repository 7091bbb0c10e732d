/**
 * Errors are coded in one module (bot/platform/flow/errors.ts) and mapped to HTTP once
 * (bot/platform/http/errors.ts) for both the tab API and the supervisor API: the same refusal gets the same
 * status and shape from either, and the case store being busy is a 503 with Retry-After on both.
 */
import assert from 'node:assert/strict';
import type restify from 'restify';
import { AuthError } from '../../bot/platform/auth/tokens.js';
import { sendError } from '../../bot/platform/http/errors.js';
import { RateLimitedError } from '../../bot/platform/http/rateLimit.js';
import { captureLog } from '../../bot/platform/log.js';
import type { RunningService } from '../../bot/service.js';
import { DeskError, ERROR_CODES, ServiceError, SupervisionError } from '../../bot/platform/flow/errors.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';

/** Records what a handler answered. */
function response() {
  const answer = { status: 0, body: undefined as unknown, headers: {} as Record<string, string> };
  const res = {
    header: (name: string, value: string) => void (answer.headers[name.toLowerCase()] = value),
    send: (status: number, body: unknown) => void Object.assign(answer, { status, body }),
  } as unknown as restify.Response;
  return { res, answer };
}

describe('errors: coded once, mapped to HTTP once for both APIs', () => {
  it('answers each coded refusal with its status, code, message, detail and problems', () => {
    const cases: [ServiceError, number, Record<string, unknown>][] = [
      [new DeskError('conflict', 'Thandi already has this case.', { state: 'in_progress' }), 409, { error: 'conflict', message: 'Thandi already has this case.', state: 'in_progress' }],
      [
        new DeskError('invalid', 'That is not a case reference.', { field: 'reference' }),
        400,
        { error: 'invalid_input', message: 'That is not a case reference.', field: 'reference', problems: [{ field: 'reference', message: 'That is not a case reference.' }] },
      ],
      [new DeskError('queue_empty', 'No case is waiting in your categories.'), 404, { error: 'queue_empty', message: 'No case is waiting in your categories.' }],
      [
        new SupervisionError('invalid', 'There is no agent "x".'),
        400,
        { error: 'invalid_input', message: 'There is no agent "x".', problems: [{ field: 'agentId', message: 'There is no agent "x".' }] },
      ],
      [new SupervisionError('forbidden', 'Only supervisors can assign cases.'), 403, { error: 'forbidden', message: 'Only supervisors can assign cases.' }],
      [
        new DeskError('ratepayer_with_other_expert', 'This ratepayer is already talking with Thandi Mokoena about Account and billing queries; this case waits until that one is done.', {
          busyWith: { reference: 'K7M3PQ', expert: 'Thandi Mokoena', category: 'billing' },
        }),
        409,
        {
          error: 'ratepayer_with_other_expert',
          message: 'This ratepayer is already talking with Thandi Mokoena about Account and billing queries; this case waits until that one is done.',
          busyWith: { reference: 'K7M3PQ', expert: 'Thandi Mokoena', category: 'billing' },
        },
      ],
      [new ServiceError('supervisors_only', 'Only supervisors can use the supervisor view.'), 403, { error: 'supervisors_only', message: 'Only supervisors can use the supervisor view.' }],
    ];
    for (const [error, status, body] of cases) {
      const { res, answer } = response();
      sendError(res, error, 'test');
      assert.equal(answer.status, status, error.message);
      assert.equal(answer.status, ERROR_CODES[error.code]);
      assert.deepEqual(answer.body, body);
    }
  });

  it('answers a refused sign-in with its status (and how to retry), the store busy with 503, and anything else with 500 and a message of ours, logged', () => {
    const expired = response();
    sendError(expired.res, new AuthError(401, 'token_expired', 'The sign-in has expired; sign in again.'), 'test');
    assert.deepEqual([expired.answer.status, expired.answer.body], [401, { error: 'token_expired', message: 'The sign-in has expired; sign in again.' }]);
    assert.match(expired.answer.headers['www-authenticate']!, /^Bearer error="invalid_token"/);
    const limited = response();
    sendError(limited.res, new RateLimitedError(3), 'test');
    assert.deepEqual([limited.answer.status, limited.answer.headers['retry-after']], [429, '3']);
    for (const code of [429, 503, 408]) {
      const busy = response();
      sendError(busy.res, Object.assign(new Error('Request rate is large'), { code }), 'supervisor-api');
      assert.equal(busy.answer.status, 503);
      assert.equal((busy.answer.body as { error: string }).error, 'busy');
      assert.equal(busy.answer.headers['retry-after'], '2');
    }
    const logs = captureLog();
    try {
      const broken = response();
      sendError(broken.res, new Error('secret internals at /home/site'), 'supervisor-api');
      assert.deepEqual([broken.answer.status, broken.answer.body], [500, { error: 'internal', message: 'Something went wrong on the service; try again.' }]);
      const [line] = logs.records();
      assert.equal(line?.component, 'supervisor-api');
      assert.equal(line?.level, 'error');
    } finally {
      logs.restore();
    }
  });

  describe('over real HTTP', function () {
    this.timeout(30_000);
    let service: RunningService;
    before(async () => {
      service = await startTestService(await freshDatabase(), definitionWithAgents());
    });
    after(async () => service.close());

    it('the tab API and the supervisor API answer the same refusal the same way', async () => {
      const [thandi, sipho] = [await signIn(service, 'thandi'), await signIn(service, 'sipho')];
      const supervisorId = service.definition.staff.find((s) => s.role === 'supervisor')!.id;
      const supervisor = await signIn(service, supervisorId);
      const tabMissing = await thandi.get('/api/cases/ZZZ999');
      const supervisorMissing = await supervisor.post('/api/supervisor/cases/ZZZ999/assign', { agentId: 'thandi' });
      assert.deepEqual([tabMissing.status, tabMissing.body.error], [404, 'not_found']);
      assert.deepEqual([supervisorMissing.status, supervisorMissing.body.error], [404, 'not_found']);
      const tabInvalid = await thandi.post('/api/cases/ZZZ999/notes', { text: '' });
      const supervisorInvalid = await supervisor.post('/api/supervisor/cases/ZZZ999/assign', { agentId: '' });
      for (const invalid of [tabInvalid, supervisorInvalid]) {
        assert.equal(invalid.status, 400);
        assert.equal(invalid.body.error, 'invalid_input');
        assert.ok(Array.isArray(invalid.body.problems) && invalid.body.problems.length > 0);
      }
      const notSupervisor = await sipho.get('/api/supervisor/overview');
      assert.deepEqual([notSupervisor.status, notSupervisor.body.error], [403, 'supervisors_only']);
    });
  });
});
