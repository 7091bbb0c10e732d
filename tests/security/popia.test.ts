/**
 * POPIA: a ratepayer can see what is held about them (and only that), closed cases go when
 * their retention ends even where the store has no TTL, and the audit trail records who viewed
 * and changed each case.
 */
import assert from 'node:assert/strict';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, personalConversation, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { recordFigures } from '../support/figures.js';
import { definitionWithAgents, seedCase, signIn, startTestService } from '../support/tabApi.js';

const definition = definitionWithAgents();
const DAY = 86_400_000;

describe('POPIA: my data, retention and the audit trail', function () {
  this.timeout(30_000);
  let db: CosmosContainers;
  let store: CosmosCaseStore;
  let service: RunningService;
  let connector: LocalConnector;
  let now: Date;

  beforeEach(async () => {
    now = new Date();
    db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    connector = await startLocalConnector();
    service = await startTestService(db, definition, { clock: { now: () => now }, scheduler: { start: false } });
  });
  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  async function ask(user: TestUser, fields: { text?: string; value?: unknown }, pattern: RegExp): Promise<string> {
    const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields)), 200);
    const until = Date.now() + 5000;
    for (;;) {
      const replies = connector.sent.filter((s) => s.conversationId === user.conversationId).slice(before);
      const found = replies.map((r) => `${r.body.text ?? ''}\n${cardText(cardOf(r.body) ?? {})}`).find((t) => pattern.test(t));
      if (found) return found;
      if (Date.now() > until) assert.fail(`no reply matching ${pattern}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('"my data" lists what this chat gave us, ID numbers masked, with how long it is kept; never anyone else\'s', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    await ask(
      lerato,
      {
        value: {
          verb: 'intake.submit',
          category: 'indigent',
          draftId: `draft-${lerato.aadObjectId}`,
          accountNumber: '501234567',
          accountHolder: 'Lerato Molefe',
          mobile: '0821234567',
          idNumber: '8001015009087',
          householdSize: '4',
          monthlyHouseholdIncome: '3200',
          description: 'Please register me for the ESP.',
        },
      },
      /Your case reference/,
    );
    const mine = await ask(lerato, { text: 'my data' }, /What we hold about you/);
    assert.match(mine, /Indigent-related queries/);
    assert.match(mine, /501234567/);
    assert.match(mine, /082 123 4567/);
    assert.match(mine, /•+9087/, 'the ID number is masked');
    assert.doesNotMatch(mine, /8001015009087/);
    assert.match(mine, /while the case is open, then 365 days/);
    assert.match(mine, /Information Regulator/);

    const stranger = aRatepayer('Someone Else');
    const theirs = await ask(stranger, { text: 'my data 501234567' }, /What we hold about you/);
    assert.match(theirs, /We hold no details about you from this chat/);
    assert.match(theirs, /we also keep its address in Teams and your Teams name, for 365 days after you last added the app or sent us a form/);
    assert.doesNotMatch(theirs, /501234567|Lerato|9087/);
    recordFigures('popia.mydata', '"my data"', {
      'own cases listed': 1,
      'ID number shown in full': 'no (last four digits)',
      "another ratepayer's data shown (typing the account number)": 'no',
    });
  });

  it("deletes closed cases and ratepayers' conversations when their retention ends, where the store has no TTL expiry; open cases and channels stay", async () => {
    const old = await seedCase(db, definition, 'billing');
    const recent = await seedCase(db, definition, 'billing');
    const open = await seedCase(db, definition, 'billing');
    const close = async (id: string, closedAt: Date) => {
      const c = (await store.get(id))!;
      await store.replace({ ...c, state: 'cancelled', closedAt: closedAt.toISOString(), retentionDays: definition.limits.retentionDays });
    };
    await close(old.id, new Date(now.getTime() - (definition.limits.retentionDays + 1) * DAY));
    await close(recent.id, new Date(now.getTime() - 10 * DAY));
    // Issue 19: retention starts when a case is really done. A referral whose session ended long
    // ago is still with the back office (no retention decision yet); another was done last week.
    const referred = await seedCase(db, definition, 'billing');
    const doneLately = await seedCase(db, definition, 'billing');
    const longAgo = new Date(now.getTime() - (definition.limits.retentionDays + 30) * DAY).toISOString();
    const referral = { subject: 'back-office query', team: { code: 'back-office', name: 'Revenue back office' }, referredAt: longAgo, dueDate: longAgo.slice(0, 10), dueAt: longAgo, updates: [], extensions: [], escalations: [] };
    await store.replace({ ...(await store.get(referred.id))!, state: 'resolved', outcome: { kind: 'referred_back_office', summary: 's' }, closedAt: longAgo, referral });
    await store.replace({
      ...(await store.get(doneLately.id))!, state: 'resolved', outcome: { kind: 'resolved', summary: 's' }, closedAt: longAgo,
      referral: { ...referral, done: { at: new Date(now.getTime() - 7 * DAY).toISOString(), by: { kind: 'staff', id: 'bo', name: 'Zanele' } } },
      doneAt: new Date(now.getTime() - 7 * DAY).toISOString(), retentionDays: definition.limits.retentionDays,
    });
    // Where to reach ratepayers (and their Teams names): one last written past retention, one
    // recently; and a supervisors' channel, which stays.
    const conversations = new CosmosConversationStore(db.conversations);
    const written = (id: string, daysAgo: number, kind: 'personal' | 'channel' = 'personal') =>
      conversations.save({ ...personalConversation(id, connector.serviceUrl), kind, updatedAt: new Date(now.getTime() - daysAgo * DAY).toISOString() });
    await written('a:long-ago', definition.limits.retentionDays + 1);
    await written('a:last-week', 7);
    await written('19:supervisors@thread.tacv2', definition.limits.retentionDays + 1, 'channel');
    await service.scheduler.tick();
    assert.equal(await store.get(old.id), undefined, 'past retention: gone');
    assert.ok(await store.get(recent.id), 'within retention: kept');
    assert.ok(await store.get(open.id), 'open: kept');
    assert.ok(await store.get(referred.id), 'still with the back office: kept, however long ago its session ended');
    assert.ok(await store.get(doneLately.id), 'done last week: kept (retention counts from done)');
    assert.equal(await conversations.get('a:long-ago'), undefined, 'a ratepayer\'s chat last written past retention: gone');
    assert.ok(await conversations.get('a:last-week'), 'written within retention: kept');
    assert.ok(await conversations.get('19:supervisors@thread.tacv2'), 'a supervisors\' channel: kept');
    recordFigures('popia.retention', 'Retention where the store has no TTL', {
      'closed past retention': 'deleted by the sweep',
      'closed within retention': 'kept',
      'open': 'kept',
      "a ratepayer's conversation (reference, Teams name) last written past retention": 'deleted by the sweep',
      "a supervisors' channel": 'kept',
    }, 'The embedded server never expires a ttl; the scheduler runs the retention sweep on its lease holder.');
  });

  it('records who viewed and who changed a case, and when', async () => {
    const c = await seedCase(db, definition, 'billing');
    const thandi = await signIn(service, 'thandi');
    const johan = await signIn(service, 'johan');
    assert.equal((await thandi.get(`/api/cases/${c.id}`)).status, 200);
    assert.equal((await thandi.post(`/api/cases/${c.id}/claim`)).status, 200);
    assert.equal((await thandi.post(`/api/cases/${c.id}/notes`, { text: 'Checked the meter history.' })).status, 200);
    assert.equal((await johan.get(`/api/cases/${c.id}`)).status, 200);
    assert.equal((await thandi.post(`/api/cases/${c.id}/resolve`, { outcome: 'resolved', summary: 'Corrected.' })).status, 200);
    const audit = (await store.get(c.id))!.audit.map((e) => `${e.by.kind}:${e.by.id}:${e.action}`);
    assert.deepEqual(audit.slice(1), [
      'staff:thandi:viewed',
      'staff:thandi:claimed',
      'staff:thandi:note added',
      'staff:johan:viewed',
      'staff:thandi:resolved',
    ]);
    assert.ok((await store.get(c.id))!.audit.every((e) => Number.isFinite(Date.parse(e.at))));
    recordFigures('popia.audit', 'Audit trail', { 'views recorded': 2, 'changes recorded': 3, 'entries without who or when': 0 });
  });
});
