import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import type { RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, signIn, signInAll, startTestService, type ApiClient } from '../support/tabApi.js';

const definition = definitionWithAgents(20);

describe('tab API: the queue, claims and the case page', () => {
  let db: CosmosContainers;
  let service: RunningService;
  let thandi: ApiClient; // billing, credit-control
  let sipho: ApiClient; // rates, billing
  let anele: ApiClient; // metering
  let priya: ApiClient; // indigent, credit-control
  let johan: ApiClient; // supervisor

  beforeEach(async () => {
    db = await freshDatabase();
    service = await startTestService(db, definition);
    [thandi, sipho, anele, priya, johan] = await signInAll(service, ['thandi', 'sipho', 'anele', 'priya', 'johan'] as const);
  });
  afterEach(() => service.close());

  it('shows each agent the waiting cases of their categories, oldest first, with nothing personal', async () => {
    const newer = await seedCase(db, definition, 'billing', { minutesAgo: 5 });
    const older = await seedCase(db, definition, 'billing', { minutesAgo: 30 });
    const metering = await seedCase(db, definition, 'metering', { minutesAgo: 10 });
    const queue = await thandi.get('/api/queue');
    assert.equal(queue.status, 200);
    assert.deepEqual(queue.body.waiting.map((i: any) => i.reference), [older.id, newer.id]);
    assert.deepEqual(Object.keys(queue.body.waiting[0]).sort(), ['category', 'categoryName', 'language', 'reference', 'region', 'waitLimitMinutes', 'waitingSince']);
    assert.equal(queue.body.waiting[0].waitLimitMinutes, 20);
    assert.doesNotMatch(JSON.stringify(queue.body), /Lerato|501234567|\+2782/);
    assert.deepEqual((await anele.get('/api/queue')).body.waiting.map((i: any) => i.reference), [metering.id]);
    assert.equal((await johan.get('/api/queue')).body.waiting.length, 3, 'a supervisor sees every queue');
  });

  it('claims the oldest case in the agent\'s skills with "claim next", and says when there is none', async () => {
    await seedCase(db, definition, 'billing', { minutesAgo: 5 });
    const metering = await seedCase(db, definition, 'metering', { minutesAgo: 60 });
    const oldest = await seedCase(db, definition, 'credit-control', { minutesAgo: 20 });
    const claimed = await thandi.post('/api/queue/claim-next');
    assert.equal(claimed.status, 200);
    assert.equal(claimed.body.reference, oldest.id, 'oldest in billing and credit-control; metering is not hers');
    assert.equal(claimed.body.state, 'in_progress');
    assert.equal(claimed.body.assignedTo.staffId, 'thandi');
    await thandi.post('/api/queue/claim-next');
    const none = await thandi.post('/api/queue/claim-next');
    assert.equal(none.status, 404);
    assert.equal(none.body.error, 'queue_empty');
    assert.equal((await anele.post('/api/queue/claim-next')).body.reference, metering.id);
    const queue = await thandi.get('/api/queue');
    assert.deepEqual(queue.body.mine.map((w: any) => w.reference).sort(), [oldest.id, queue.body.mine.find((w: any) => w.reference !== oldest.id).reference].sort());
    assert.equal(queue.body.waiting.length, 0);
  });

  it('when 20 agents claim the same case at once, exactly one wins and the others are told who has it', async () => {
    const c = await seedCase(db, definition, 'billing');
    const agents = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(service, `agent${String(i + 1).padStart(2, '0')}`)));
    const results = await Promise.all(agents.map((a) => a.post(`/api/cases/${c.id}/claim`)));
    const winners = results.filter((r) => r.status === 200);
    const losers = results.filter((r) => r.status !== 200);
    assert.equal(winners.length, 1, `statuses: ${results.map((r) => r.status).join(',')}`);
    const winner = winners[0]!.body.assignedTo;
    assert.equal(losers.length, 19);
    for (const r of losers) {
      assert.equal(r.status, 409);
      assert.equal(r.body.error, 'conflict');
      assert.equal(r.body.assignedTo.staffId, winner.staffId);
      assert.match(r.body.message, new RegExp(`${winner.name} already has this case`));
    }
    const stored = await new CosmosCaseStore(db.cases).get(c.id);
    assert.equal(stored?.assignedTo?.staffId, winner.staffId);
    assert.equal(stored?.audit.filter((e) => e.action === 'claimed').length, 1, 'one claim on the audit trail');
  });

  it('refuses (403) a case outside the agent\'s skills and someone else\'s case; a supervisor may act on all', async () => {
    const metering = await seedCase(db, definition, 'metering');
    const billing = await seedCase(db, definition, 'billing');
    for (const path of [`/api/cases/${metering.id}`, `/api/cases/${metering.id}/claim`]) {
      const res = path.endsWith('claim') ? await thandi.post(path) : await thandi.get(path);
      assert.equal(res.status, 403, path);
      assert.equal(res.body.reason, 'outside_skills');
    }
    assert.equal((await thandi.post(`/api/cases/${billing.id}/claim`)).status, 200);
    for (const [path, body] of [
      [`/api/cases/${billing.id}/release`, {}],
      [`/api/cases/${billing.id}/transfer`, { toCategory: 'rates', note: 'wrong queue' }],
      [`/api/cases/${billing.id}/resolve`, { outcome: 'resolved', summary: 'done' }],
      [`/api/cases/${billing.id}/notes`, { text: 'mine now' }],
    ] as const) {
      const res = await sipho.post(path, body);
      assert.equal(res.status, 403, path);
      assert.equal(res.body.reason, 'someone_elses_case');
      assert.match(res.body.message, /Thandi Mokoena has this case/);
    }
    // Outside her categories (tester 10, finding 14): Anele (metering) is told that, as the GET
    // tells her, and not who holds the case.
    for (const [path, body] of [
      [`/api/cases/${billing.id}/messages`, { text: 'hello' }],
      [`/api/cases/${billing.id}/notes`, { text: 'mine now' }],
      [`/api/cases/${billing.id}/resolve`, { outcome: 'resolved', summary: 'done' }],
    ] as const) {
      const res = await anele.post(path, body);
      assert.equal(res.status, 403, path);
      assert.equal(res.body.reason, 'outside_skills', path);
      assert.doesNotMatch(JSON.stringify(res.body), /Thandi/, path);
    }
    assert.equal((await sipho.post(`/api/cases/${billing.id}/claim`)).status, 409, 'claiming a taken case is a conflict, naming the holder');
    const released = await johan.post(`/api/cases/${billing.id}/release`, { note: 'Thandi went home' });
    assert.equal(released.status, 200, 'a supervisor may release anyone\'s case');
    assert.equal(released.body.state, 'waiting');
    assert.equal((await johan.post(`/api/cases/${metering.id}/claim`)).status, 200, 'and claim in any category');
  });

  it('answers bad input with 400 saying what was wrong', async () => {
    const c = await seedCase(db, definition, 'billing');
    await thandi.post(`/api/cases/${c.id}/claim`);
    const cases: [string, unknown, RegExp][] = [
      [`/api/cases/${c.id}/transfer`, { toCategory: 'plumbing', note: 'x' }, /no category "plumbing"/],
      [`/api/cases/${c.id}/transfer`, { toCategory: 'rates' }, /note/],
      [`/api/cases/${c.id}/transfer`, { toCategory: 'billing', note: 'same' }, /already in billing/],
      [`/api/cases/${c.id}/resolve`, { outcome: 'sorted', summary: 'x' }, /outcome must be one of resolved, arrangement_made, referred_back_office, not_resolved/],
      [`/api/cases/${c.id}/resolve`, { outcome: 'referred_back_office', summary: 'to billing ops', dueDate: '2000-01-03' }, /due date is in the past/],
      [`/api/cases/${c.id}/resolve`, { outcome: 'referred_back_office', summary: 'to billing ops', dueDate: '2999-01-03' }, /response time for this category ends on \d{4}-\d{2}-\d{2}/],
      [`/api/cases/${c.id}/resolve`, { outcome: 'resolved', summary: 'done', dueDate: '2999-01-03' }, /Only a referral to the back office has a due date/],
      [`/api/cases/${c.id}/resolve`, { outcome: 'referred_back_office', summary: 'x', dueDate: '2022-02-30' }, /dueDate is not a real date/],
      [`/api/cases/${c.id}/resolve`, { outcome: 'resolved', summary: '' }, /summary must not be empty/],
      [`/api/cases/${c.id}/notes`, { text: 'x', colour: 'red' }, /colour is not a field/],
      [`/api/cases/NOT-A-REF!/claim`, {}, /not a case reference/],
    ];
    for (const [path, body, message] of cases) {
      const res = await thandi.post(path, body);
      assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error, 'invalid_input');
      const said = [res.body.message, ...res.body.problems.map((p: any) => `${p.field} ${p.message}`)].join(' | ');
      assert.match(said, message);
      assert.ok(Array.isArray(res.body.problems) && res.body.problems.length > 0);
    }
    assert.equal((await thandi.post('/api/search', { account: '12345' })).status, 400);
    assert.equal((await thandi.post('/api/search', {})).status, 400);
    assert.equal((await thandi.get('/api/cases/ZZZZZZ')).status, 404);
  });

  it('release keeps the case\'s place; transfer keeps its wait and moves it to the other queue', async () => {
    const first = await seedCase(db, definition, 'billing', { minutesAgo: 30 });
    const second = await seedCase(db, definition, 'billing', { minutesAgo: 10 });
    await thandi.post(`/api/cases/${first.id}/claim`);
    assert.deepEqual((await sipho.get('/api/queue')).body.waiting.map((i: any) => i.reference), [second.id]);
    const released = await thandi.post(`/api/cases/${first.id}/release`, { note: 'needs a rates expert later' });
    assert.equal(released.status, 200);
    const queue = (await sipho.get('/api/queue')).body.waiting;
    assert.deepEqual(queue.map((i: any) => i.reference), [first.id, second.id], 'back at the front');
    assert.equal(queue[0].returned, 'released');

    await sipho.post(`/api/cases/${first.id}/claim`);
    const moved = await sipho.post(`/api/cases/${first.id}/transfer`, { toCategory: 'metering', note: 'It is a meter problem' });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.category, 'metering');
    assert.equal(moved.body.state, 'waiting');
    assert.equal(moved.body.waitingSince, released.body.waitingSince, 'the original wait is kept');
    const meteringQueue = (await anele.get('/api/queue')).body.waiting;
    assert.deepEqual(meteringQueue.map((i: any) => i.reference), [first.id]);
    assert.equal(meteringQueue[0].returned, 'transferred');
    assert.equal((await sipho.get(`/api/cases/${first.id}`)).status, 403, 'no longer in Sipho\'s categories');
    const audit = (await anele.get(`/api/cases/${first.id}`)).body.audit;
    assert.ok(audit.some((e: any) => e.action === 'transferred' && e.by.id === 'sipho' && /from billing to metering: It is a meter problem/.test(e.detail)));
  });

  it('a transfer out of the expert\'s own categories answers where the case went and nothing of the ratepayer\'s; within them, or by a supervisor, the case page', async () => {
    const out = await seedCase(db, definition, 'billing');
    await thandi.post(`/api/cases/${out.id}/claim`);
    const moved = await thandi.post(`/api/cases/${out.id}/transfer`, { toCategory: 'metering', note: 'It is a meter problem' });
    assert.equal(moved.status, 200);
    assert.deepEqual(Object.keys(moved.body).sort(), ['category', 'categoryName', 'displayReference', 'movedAway', 'reference', 'state', 'waitingSince']);
    assert.equal(moved.body.movedAway, true);
    assert.equal(moved.body.category, 'metering');
    assert.doesNotMatch(JSON.stringify(moved.body), /Lerato|501234567|\+2782|transcript|audit/);
    assert.equal((await thandi.get(`/api/cases/${out.id}`)).status, 403, 'and the case page refuses her from now on');

    const within = await seedCase(db, definition, 'billing');
    await thandi.post(`/api/cases/${within.id}/claim`);
    const kept = await thandi.post(`/api/cases/${within.id}/transfer`, { toCategory: 'credit-control', note: 'An arrangement' });
    assert.equal(kept.status, 200);
    assert.equal(kept.body.movedAway, undefined);
    assert.ok(Array.isArray(kept.body.audit), 'credit control is hers too: the whole page');

    const bySupervisor = await seedCase(db, definition, 'billing');
    await johan.post(`/api/cases/${bySupervisor.id}/claim`);
    const supervised = await johan.post(`/api/cases/${bySupervisor.id}/transfer`, { toCategory: 'metering', note: 'Meter' });
    assert.equal(supervised.status, 200);
    assert.equal(supervised.body.movedAway, undefined, 'a supervisor sees every category');
  });

  it('resolves with an outcome (a referral gets its team and due date from the definition), and records everything; retention waits until the back office is done', async () => {
    const c = await seedCase(db, definition, 'billing');
    await thandi.post(`/api/cases/${c.id}/claim`);
    const noted = await thandi.post(`/api/cases/${c.id}/notes`, { text: 'Ratepayer has proof of payment <b>for March</b>' });
    assert.equal(noted.status, 200);
    assert.equal(noted.body.notes[0].text, 'Ratepayer has proof of payment <b>for March</b>', 'kept as typed; the tab escapes it');
    const resolved = await thandi.post(`/api/cases/${c.id}/resolve`, { outcome: 'referred_back_office', summary: 'Sent to billing corrections' });
    assert.equal(resolved.status, 200);
    assert.equal(resolved.body.state, 'resolved');
    // The pilot's default response time: 14 calendar days from today in Johannesburg (issue 19).
    const due = new Date(Date.now() + 2 * 3_600_000 + 14 * 86_400_000).toISOString().slice(0, 10);
    assert.deepEqual(resolved.body.outcome, { kind: 'referred_back_office', summary: 'Sent to billing corrections', dueDate: due });
    assert.equal(resolved.body.allowed.resolve, false);
    const stored = await new CosmosCaseStore(db.cases).get(c.id);
    // The document Cosmos DB expires: its ttl (the adapter's, from the case's retention decision).
    const document = (await db.cases.item(c.id, c.id).read<{ ttl?: number }>()).resource;
    assert.equal(document?.ttl, undefined, 'a referral is not done: its retention has not started');
    assert.deepEqual(stored?.referral?.team, { code: 'revenue-back-office', name: 'Revenue back office' }, "the pilot's team for billing");
    assert.deepEqual(
      stored?.audit.map((e) => `${e.by.id}:${e.action}`),
      [`29:${c.draftId}:opened`, 'thandi:claimed', 'thandi:note added', 'thandi:resolved', 'thandi:referred'],
    );
    const other = await seedCase(db, definition, 'billing');
    await thandi.post(`/api/cases/${other.id}/claim`);
    assert.equal((await thandi.post(`/api/cases/${other.id}/resolve`, { outcome: 'resolved', summary: 'Explained' })).status, 200);
    assert.equal((await db.cases.item(other.id, other.id).read<{ ttl?: number }>()).resource?.ttl, 365 * 24 * 3600, 'a resolved case is done: retention set');
    assert.ok(stored?.audit.every((e) => Number.isFinite(Date.parse(e.at))));
    assert.equal((await thandi.post(`/api/cases/${c.id}/release`)).status, 409, 'a closed case cannot be released');
    assert.equal((await thandi.post(`/api/cases/${c.id}/notes`, { text: 'late' })).status, 409);
  });

  it('names the category in staff\'s words when it refuses a case outside the person\'s categories', async () => {
    const indigent = await seedCase(db, definition, 'indigent');
    for (const [what, answer] of [
      ['open', await thandi.get(`/api/cases/${indigent.id}`)],
      ['claim', await thandi.post(`/api/cases/${indigent.id}/claim`)],
      ['note', await thandi.post(`/api/cases/${indigent.id}/notes`, { text: 'a note' })],
    ] as const) {
      assert.equal(answer.status, 403, what);
      assert.equal(answer.body.message, 'This case is in Indigent-related queries and registration (ESP), which is not one of your categories.', what);
    }
  });

  it('labels the intake answers in staff\'s words, not the words the card asked the ratepayer in', async () => {
    const indigent = await seedCase(db, definition, 'indigent');
    const credit = await seedCase(db, definition, 'credit-control');
    const labels = async (page: { body: { intake: { name: string; label: string }[] } }) => Object.fromEntries(page.body.intake.map((l) => [l.name, l.label]));
    const forPriya = await labels(await priya.get(`/api/cases/${indigent.id}`));
    assert.equal(forPriya.householdSize, 'Household size');
    assert.equal(forPriya.monthlyHouseholdIncome, 'Monthly household income');
    assert.equal(forPriya.description, 'Query');
    assert.equal(forPriya.accountNumber, 'Municipal account number');
    const forThandi = await labels(await thandi.get(`/api/cases/${credit.id}`));
    assert.equal(forThandi.proposedMonthlyPayment, 'Affordable monthly payment');
    for (const label of [...Object.values(forPriya), ...Object.values(forThandi)]) assert.doesNotMatch(label, /\byou(r)?\b/i, `"${label}" speaks to the ratepayer`);
  });

  it('shows the case page with ID numbers masked to the last four, the account\'s history, and records the view', async () => {
    const earlier = await seedCase(db, definition, 'billing', { minutesAgo: 90 });
    await thandi.post(`/api/cases/${earlier.id}/claim`);
    await thandi.post(`/api/cases/${earlier.id}/resolve`, { outcome: 'resolved', summary: 'Explained the charges' });
    const c = await seedCase(db, definition, 'indigent');
    const page = await priya.get(`/api/cases/${c.id}`);
    assert.equal(page.status, 200);
    const id = page.body.intake.find((l: any) => l.name === 'idNumber');
    assert.equal(id.label, 'South African ID number');
    assert.equal(id.value, '•••••••••9087');
    assert.equal(id.masked, true);
    assert.doesNotMatch(JSON.stringify(page.body), /8001015009087/);
    // Billing is not one of Priya's categories: she learns only that there is an earlier case.
    assert.deepEqual(page.body.history, [{ restricted: true, label: 'Another case, not in your categories', canOpen: false }]);
    const forThandi = await thandi.get(`/api/cases/${c.id}`);
    assert.deepEqual(forThandi.status, 403, 'indigent is not one of Thandi\'s categories');
    assert.deepEqual(page.body.allowed, { claim: true, release: false, transfer: false, resolve: false, note: true, message: false, noShow: false, translation: false });
    const again = await priya.get(`/api/cases/${c.id}`);
    const views = again.body.audit.filter((e: any) => e.action === 'viewed');
    assert.equal(views.length, 1, 'a second look within ten minutes is not recorded again');
    assert.equal(views[0].by.id, 'priya');
    await johan.get(`/api/cases/${c.id}`);
    assert.equal((await new CosmosCaseStore(db.cases).get(c.id))?.audit.filter((e) => e.action === 'viewed').length, 2);
  });

  it('finds cases by reference (as typed) and by account number, without personal details', async () => {
    const a = await seedCase(db, definition, 'billing', { minutesAgo: 20 });
    const b = await seedCase(db, definition, 'metering', { minutesAgo: 10 });
    await seedCase(db, definition, 'billing', { intake: { accountNumber: '777777777', description: 'other account' } });
    const typed = `${a.id.slice(0, 3).toLowerCase()}-${a.id.slice(3).toLowerCase()}`;
    const byRef = await thandi.post('/api/search', { reference: typed });
    assert.equal(byRef.status, 200);
    assert.deepEqual(byRef.body.results.map((r: any) => r.reference), [a.id]);
    const byAccount = await thandi.post('/api/search', { account: '501 234 567' });
    // b is a metering case: Thandi (billing, credit control) learns only that there is another case.
    assert.deepEqual(byAccount.body.results.filter((r: any) => !r.restricted).map((r: any) => r.reference), [a.id]);
    assert.deepEqual(byAccount.body.results.filter((r: any) => r.restricted), [{ restricted: true, label: 'Another case, not in your categories', canOpen: false }]);
    assert.doesNotMatch(JSON.stringify(byAccount.body), /Lerato|\+2782/);
    assert.deepEqual((await thandi.post('/api/search', { reference: 'ZZZ-ZZZ' })).body.results, []);
  });
});
