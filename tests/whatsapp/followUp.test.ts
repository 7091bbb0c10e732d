/**
 * Issue 19 on WhatsApp, through the ACS stand-in: after the reopen period, "reopen K7M-3PQ" offers
 * the form (one question at a time) for a new case that follows the old one, and the new case
 * records the link, as on Teams; a finished case's receipt, shown there without a button, says to
 * type "reopen", not to press one.
 */
import assert from 'node:assert/strict';
import { AcsStandIn, type Received } from '../../devTools/acs.js';
import { startService, type RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, localSettings, signIn } from '../support/tabApi.js';
import { acsSettingsFor } from '../support/whatsapp.js';

const PHONE = '+27821234567';
const SECRET = 'a-secret-of-our-own-for-event-grid-follow-up-0123';
const DAY = 86_400_000;

describe('WhatsApp: a new case that follows an old one (issue 19)', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let service: RunningService;
  let now: Date;

  beforeEach(async () => {
    now = new Date();
    acs = new AcsStandIn();
    await acs.start();
    service = await startService(
      { ...localSettings, acs: acsSettingsFor(acs, SECRET) },
      { containers: await freshDatabase(), definition: definitionWithAgents(0), clock: { now: () => now }, liveEvents: { pollIntervalMs: 150 }, scheduler: { start: false }, rateLimits: { bot: { burst: 200, perSecond: 100 } } },
    );
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
  });
  afterEach(async () => {
    await service?.close();
    await acs?.close();
  });

  async function step(send: () => Promise<number>, expect: RegExp): Promise<Received> {
    const mark = acs.mark(PHONE);
    assert.equal(await send(), 200);
    return acs.waitFor(PHONE, (m) => m.channel === 'whatsapp' && expect.test(m.text), mark);
  }

  /** The form from its first question to "You are in the queue"; returns the reference shown. */
  async function fillForm(description: string): Promise<string> {
    await step(() => acs.say(PHONE, '501234567'), /holder|name/i);
    await step(() => acs.say(PHONE, 'Lerato Molefe'), /082 123 4567/);
    await step(() => acs.press(PHONE, 'c0'), /e-?mail/i);
    await step(() => acs.say(PHONE, '0'), /describe|query/i);
    await step(() => acs.say(PHONE, description), /check your details/i);
    const queued = await step(() => acs.press(PHONE, 'c0'), /You are in the queue/);
    return /reference: \*([A-Z0-9-]+)\*/i.exec(queued.text)![1]!;
  }

  it('after the period, "reopen" offers the form, and the new case follows the old one', async () => {
    const welcome = await step(() => acs.say(PHONE, 'Hi'), /What is your query about/);
    await step(() => acs.press(PHONE, /\[(c\d+)\] Account and billing/.exec(welcome.text)![1]!), /account number/i);
    const old = await fillForm('My bill doubled in March.');
    const thandi = await signIn(service, 'thandi');
    const id = old.replace('-', '');
    assert.equal((await thandi.post(`/api/cases/${id}/claim`)).status, 200);
    assert.equal((await thandi.post(`/api/cases/${id}/resolve`, { outcome: 'resolved', summary: 'Explained the estimate.' })).status, 200);
    await acs.waitFor(PHONE, (m) => /Your receipt from/.test(m.text));

    now = new Date(now.getTime() + 15 * DAY);
    const answer = await step(() => acs.say(PHONE, `reopen ${old}`), /cannot be reopened/);
    assert.match(answer.text, /Send the form below to open a new case that follows it/);
    await acs.waitFor(PHONE, (m) => /account number/i.test(m.text), acs.mark(PHONE) - 1);
    const later = await fillForm('The estimate came back.');
    assert.notEqual(later, old);

    const fresh = await signIn(service, 'thandi');
    const page = (await fresh.get(`/api/cases/${later.replace('-', '')}`)).body;
    assert.equal(page.follows?.reference, id);
    assert.deepEqual((await fresh.get(`/api/cases/${id}`)).body.followedBy?.map((s: { reference: string }) => s.reference), [later.replace('-', '')]);
  });

  it('words the receipt for WhatsApp, which shows it without a button: "type reopen …", never "press the button" (tester 8, finding 4)', async () => {
    const welcome = await step(() => acs.say(PHONE, 'Hi'), /What is your query about/);
    await step(() => acs.press(PHONE, /\[(c\d+)\] Account and billing/.exec(welcome.text)![1]!), /account number/i);
    const reference = await fillForm('My bill doubled in March.');
    const thandi = await signIn(service, 'thandi');
    const id = reference.replace('-', '');
    assert.equal((await thandi.post(`/api/cases/${id}/claim`)).status, 200);
    assert.equal((await thandi.post(`/api/cases/${id}/resolve`, { outcome: 'resolved', summary: 'Explained the estimate.' })).status, 200);
    const receipt = await acs.waitFor(PHONE, (m) => /Your receipt from/.test(m.text));
    assert.doesNotMatch(receipt.text, /\[c\d+\]/, 'the receipt has no button on WhatsApp');
    assert.doesNotMatch(receipt.text, /press the button/i, receipt.text);
    assert.match(receipt.text, new RegExp(`type "reopen ${reference}" in this chat and your case goes to the front of the queue`), receipt.text);
  });
});
