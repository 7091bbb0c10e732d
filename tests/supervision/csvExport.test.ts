import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { openSessionAt } from '../../bot/domain/calendar.js';
import { claimCase, openCase, resolveCase, transferCase, type Actor, type Case } from '../../bot/domain/case.js';
import { completeReferral, referralForCase } from '../../bot/domain/followThrough.js';
import { formatReference, referenceFromSeed } from '../../bot/domain/reference.js';
import type { RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';

const definition = definitionWithAgents();
const MINUTE = 60_000;
const thandi: Actor = { kind: 'staff', id: 'thandi', name: 'Thandi Mokoena' };
const priya: Actor = { kind: 'staff', id: 'priya', name: 'Priya Naidoo' };
const zanele: Actor = { kind: 'staff', id: 'zanele', name: 'Zanele Khumalo' };

/** A case of the open session, queued `minutesAgo` minutes ago, in `category`. */
function queued(category: string, minutesAgo: number): Case {
  const draftId = randomUUID();
  return openCase({
    reference: referenceFromSeed(draftId, 0),
    programmeId: definition.programme.id,
    category,
    region: 'B',
    sessionId: openSessionAt(definition, new Date())!.id,
    draftId,
    ratepayer: { userId: `29:${draftId}`, displayName: 'Lerato Molefe', conversationId: `a:${draftId}`, channelId: 'msteams' },
    intake: { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', description: 'help' },
    now: new Date(Date.now() - minutesAgo * MINUTE),
  });
}

/** The export's rows as objects keyed by column (no cell here holds a comma or a quote). */
function parse(csv: string): Record<string, string>[] {
  const [head, ...rows] = csv.trim().split('\r\n');
  const columns = head!.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [columns[i]!, v])));
}

describe('the supervisor\'s CSV export: who handled a case, for how long, and whose outcome (tester 7, finding 12)', function () {
  this.timeout(60_000);
  let db: CosmosContainers;
  let service: RunningService;

  before(async () => {
    db = await freshDatabase();
    service = await startTestService(db, definition, { scheduler: { start: false } });
  });
  after(async () => {
    await service?.close();
  });

  it('names every expert of a transferred case in order, adds up their minutes, and keeps the expert\'s referral apart from the back office\'s outcome', async () => {
    const store = new CosmosCaseStore(db.cases);
    const t0 = Date.now() - 60 * MINUTE;
    const at = (m: number) => new Date(t0 + m * MINUTE);
    // Thandi has it 3 minutes and transfers it to indigent; Priya has it 6 and refers it; the back office resolves it.
    let transferred = queued('billing', 61);
    transferred = claimCase(transferred, at(1), { id: thandi.id, name: thandi.name });
    transferred = transferCase(transferred, at(4), thandi, 'indigent', 'ESP registration, not billing');
    transferred = claimCase(transferred, at(10), { id: priya.id, name: priya.name });
    transferred = resolveCase(transferred, at(16), priya, { kind: 'referred_back_office', summary: 'ESP application to the back office' }, 365, false, referralForCase(definition, transferred, at(16)));
    transferred = completeReferral(transferred, at(30), zanele, { kind: 'resolved', summary: 'Registered for ESP' }, 365);
    // One expert only, resolved at first contact: one name, their minutes, no back-office outcome.
    let simple = queued('billing', 50);
    simple = claimCase(simple, at(12), { id: thandi.id, name: thandi.name });
    simple = resolveCase(simple, at(14.5), thandi, { kind: 'resolved', summary: 'explained' }, 365);
    // Referred and not yet finished by the back office.
    let pending = queued('credit-control', 40);
    pending = claimCase(pending, at(21), { id: priya.id, name: priya.name });
    pending = resolveCase(pending, at(25), priya, { kind: 'referred_back_office', summary: 'arrangement needs approval' }, 365, false, referralForCase(definition, pending, at(25)));
    for (const c of [transferred, simple, pending]) assert.ok((await store.create(c)).created);

    const johan = await signIn(service, 'johan');
    const res = await fetch(`${service.url}/api/supervisor/cases.csv`, { headers: { authorization: `Bearer ${johan.token}` } });
    assert.equal(res.status, 200);
    const rows = parse(await res.text());
    const row = (c: Case) => rows.find((r) => r.reference === formatReference(c.id))!;

    assert.deepEqual(
      [row(transferred).agent, row(transferred).handling_minutes, row(transferred).outcome, row(transferred).back_office_outcome],
      ['Thandi Mokoena; Priya Naidoo', '9', 'referred_back_office', 'resolved'],
      'both experts in order, 3 + 6 minutes, the expert referred it and the back office resolved it',
    );
    assert.deepEqual([row(simple).agent, row(simple).handling_minutes, row(simple).outcome, row(simple).back_office_outcome], ['Thandi Mokoena', '2.5', 'resolved', '']);
    assert.deepEqual([row(pending).agent, row(pending).handling_minutes, row(pending).outcome, row(pending).back_office_outcome], ['Priya Naidoo', '4', 'referred_back_office', '']);
    assert.notEqual(row(transferred).referral_done_at, '');
  });
  it("names an expert once who took the case again after transferring it, where the API's experts does (tester 11, finding 12)", async () => {
    const store = new CosmosCaseStore(db.cases);
    const t0 = Date.now() - 30 * MINUTE;
    const at = (m: number) => new Date(t0 + m * MINUTE);
    // Thandi has it 2 minutes, moves it to credit control and takes it there again for 3 more.
    let again = queued('billing', 31);
    again = claimCase(again, at(1), { id: thandi.id, name: thandi.name });
    again = transferCase(again, at(3), thandi, 'credit-control', 'An arrangement, not a billing error');
    again = claimCase(again, at(4), { id: thandi.id, name: thandi.name });
    again = resolveCase(again, at(7), thandi, { kind: 'arrangement_made', summary: 'R400 a month' }, 365);
    assert.ok((await store.create(again)).created);

    const johan = await signIn(service, 'johan');
    const res = await fetch(`${service.url}/api/supervisor/cases.csv`, { headers: { authorization: `Bearer ${johan.token}` } });
    const row = parse(await res.text()).find((r) => r.reference === formatReference(again.id))!;
    assert.deepEqual([row.agent, row.handling_minutes], ['Thandi Mokoena', '5'], 'one name; both her turns counted');
    const search = await johan.post('/api/search', { reference: again.id });
    assert.deepEqual(search.body.results[0].experts, ['Thandi Mokoena'], 'as the API names her');
  });
});
