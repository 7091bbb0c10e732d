/**
 * Open-case limits (issue 17, abuse on an open door): for forms from the public web chat
 * (channelId "directline"), one open case per mobile number and category, whichever chat it
 * comes from; at most three open cases per conversation. Signed-in Teams ratepayers are not held
 * to them. Real activities to /api/messages, replies from the local connector, cases in the
 * embedded Cosmos.
 */
import assert from 'node:assert/strict';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { refuseOpenCase } from '../../bot/domain/openCaseLimits.js';
import { CosmosOpenCaseClaims } from '../../bot/platform/cosmos/openCaseClaimStore.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase, openCasesIn } from '../support/cosmos.js';
import { startTestService } from '../support/tabApi.js';

const FIELDS: Record<string, Record<string, string>> = {
  billing: { accountNumber: '501234567', accountHolder: 'Lerato Molefe', description: 'My bill doubled.' },
  rates: { accountNumber: '501234567', accountHolder: 'Lerato Molefe', erfNumber: '1234', description: 'Valuation is wrong.' },
  metering: { accountNumber: '501234567', accountHolder: 'Lerato Molefe', meterType: 'water', meterNumber: 'W123456', description: 'Meter reads wrong.' },
  'credit-control': { accountNumber: '501234567', accountHolder: 'Lerato Molefe', proposedMonthlyPayment: '500', description: 'An arrangement, please.' },
};

describe('Open-case limits', () => {
  let connector: LocalConnector;
  let service: RunningService;
  let store: CosmosCaseStore;
  let db: Awaited<ReturnType<typeof freshDatabase>>;

  beforeEach(async () => {
    connector = await startLocalConnector();
    db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    service = await startTestService(db, loadDefinition(LOCAL_DEFINITION), { scheduler: { start: false } });
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  /** Web chat users unless `teams` is set: activities as Direct Line delivers them (no conversationType). */
  const teams = new Set<TestUser>();
  function fromWeb(user: TestUser, fields: { text?: string; value?: unknown }): Record<string, unknown> {
    const activity = messageFrom(user, connector.serviceUrl, fields);
    if (teams.has(user)) return activity;
    return { ...activity, channelId: 'directline', from: { id: user.id, name: user.name }, conversation: { id: user.conversationId } };
  }

  async function say(user: TestUser, fields: { text?: string; value?: unknown }) {
    const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
    assert.equal(await postActivity(service.url, fromWeb(user, fields)), 200);
    const all = await connector.waitFor(user.conversationId, before + 1);
    return all.slice(before).map((s) => s.body);
  }

  /** Asks for a category's form and sends it with this mobile number; the bot's answers. */
  async function submit(user: TestUser, category: string, mobile: string) {
    const [reply] = await say(user, { text: category });
    const card = cardOf(reply!)!;
    const { draftId } = card.actions[0].data;
    const value = { verb: 'intake.submit', category, draftId, mobile, ...FIELDS[category] };
    const answer = await say(user, { value });
    return { answer, value };
  }

  const texts = (replies: Record<string, any>[]) => replies.map((r) => r.text ?? '').join('\n');

  it('refuses a second open case for the same mobile number and category from another chat, without naming the first', async () => {
    const first = aRatepayer('Lerato Molefe');
    const second = aRatepayer('Someone Else');
    await submit(first, 'billing', '082 123 4567');
    const [mine] = await openCasesIn(store, first.conversationId);
    assert.ok(mine);
    const { answer } = await submit(second, 'billing', '+27 82 123 4567');
    assert.match(texts(answer), /already open, so we have not opened another/);
    assert.ok(!texts(answer).includes(mine.id), 'the other case\'s reference is not told');
    assert.equal((await openCasesIn(store, second.conversationId)).length, 0);
    // Another category for the same number is a different query.
    await submit(second, 'rates', '082 123 4567');
    assert.equal((await openCasesIn(store, second.conversationId)).length, 1);
  });

  it('two forms for the same number and category sent at the same moment from two chats open one case, not two', async () => {
    // Three pairs: the query before saving let each pair through together; the claim in Cosmos lets one.
    for (const mobile of ['082 700 0001', '082 700 0002', '082 700 0003']) {
      const first = aRatepayer('Lerato Molefe');
      const second = aRatepayer('Someone Else');
      const forms = await Promise.all(
        [first, second].map(async (user) => {
          const [reply] = await say(user, { text: 'billing' });
          return { user, value: { verb: 'intake.submit', category: 'billing', draftId: cardOf(reply!)!.actions[0].data.draftId, mobile, ...FIELDS.billing } };
        }),
      );
      const answers = await Promise.all(forms.map(({ user, value }) => say(user, { value })));
      const open = [...(await openCasesIn(store, first.conversationId)), ...(await openCasesIn(store, second.conversationId))];
      assert.equal(open.length, 1, `one open case for ${mobile}, not ${open.length}`);
      assert.equal(answers.filter((a) => /already open, so we have not opened another/.test(texts(a))).length, 1, 'the other form is told politely');
    }
  });

  it('a claim left behind by a form that never saved holds for a minute, then the number may open a case', async () => {
    const claims = new CosmosOpenCaseClaims(db.leases);
    const key = { programmeId: loadDefinition(LOCAL_DEFINITION).programme.id, category: 'billing', mobile: '+27827110001' };
    await claims.claim(key, 'a-form-that-crashed', new Date());
    const user = aRatepayer();
    const { answer } = await submit(user, 'billing', '082 711 0001');
    assert.match(texts(answer), /already open/);
    assert.equal((await openCasesIn(store, user.conversationId)).length, 0);
    // The same, claimed two minutes ago and no case open for it: taken over.
    const other = { ...key, mobile: '+27827110002' };
    await claims.claim(other, 'a-form-that-crashed', new Date(Date.now() - 120_000));
    await submit(user, 'billing', '082 711 0002');
    assert.equal((await openCasesIn(store, user.conversationId)).length, 1);
  });

  it('the same form sent again is the same case, not refused; once the case is cancelled the number may open a new one', async () => {
    const user = aRatepayer();
    const { value } = await submit(user, 'billing', '082 555 1234');
    const again = await say(user, { value });
    assert.doesNotMatch(texts(again), /already open/);
    assert.equal((await openCasesIn(store, user.conversationId)).length, 1);
    await say(user, { text: 'cancel' });
    assert.equal((await openCasesIn(store, user.conversationId)).length, 0);
    await submit(user, 'billing', '082 555 1234');
    assert.equal((await openCasesIn(store, user.conversationId)).length, 1);
  });

  it('allows three open cases in one conversation and refuses a fourth', async () => {
    const user = aRatepayer();
    await submit(user, 'billing', '082 000 0001');
    await submit(user, 'rates', '082 000 0002');
    await submit(user, 'metering', '082 000 0003');
    assert.equal((await openCasesIn(store, user.conversationId)).length, 3);
    const { answer } = await submit(user, 'credit-control', '082 000 0004');
    assert.match(texts(answer), /You already have 3 open queries in this chat/);
    assert.equal((await openCasesIn(store, user.conversationId)).length, 3);
  });

  it('does not hold signed-in Teams ratepayers to them: two Teams chats may each have a case for one number', async () => {
    const first = aRatepayer('Lerato Molefe');
    const second = aRatepayer('Thabo Molefe');
    teams.add(first);
    teams.add(second);
    await submit(first, 'billing', '082 123 4567');
    await submit(second, 'billing', '082 123 4567');
    assert.equal((await openCasesIn(store, second.conversationId)).length, 1);
  });

  it('the rule itself: a resend never counts against itself', () => {
    assert.equal(refuseOpenCase('d1', [], [{ draftId: 'd1' }]), undefined);
    assert.equal(refuseOpenCase('d2', [], [{ draftId: 'd1' }]), 'same_number_open');
    assert.equal(refuseOpenCase('d4', [{ draftId: 'a' }, { draftId: 'b' }, { draftId: 'c' }], []), 'too_many_in_conversation');
    assert.equal(refuseOpenCase('c', [{ draftId: 'a' }, { draftId: 'b' }, { draftId: 'c' }], []), undefined);
  });
});
