/**
 * SMS for people who are not on a chat when it matters (issue 18): a Teams ratepayer whose chat
 * no longer takes messages gets "an expert is ready" by SMS on the mobile number they gave,
 * through the ACS SMS client against the local stand-in; the case says so.
 */
import assert from 'node:assert/strict';
import { AcsStandIn } from '../../devTools/acs.js';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { startService, type RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, localSettings, signIn, type ApiClient } from '../support/tabApi.js';
import { longDate } from '../../bot/messages/time.js';

describe('SMS when the ratepayer\'s chat cannot take a notice that matters', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let connector: LocalConnector;
  let service: RunningService;
  let thandi: ApiClient;
  let now: Date;

  beforeEach(async () => {
    now = new Date();
    acs = new AcsStandIn();
    await acs.start();
    connector = await startLocalConnector();
    service = await startService(
      { ...localSettings, acs: { endpoint: acs.endpoint, auth: { kind: 'key', accessKey: acs.accessKey }, eventsSecret: 'sms-fallback-test-secret-0123456789abcdef', smsFrom: '+27110000000' } },
      { containers: await freshDatabase(), definition: definitionWithAgents(0), clock: { now: () => now }, scheduler: { start: false }, pacing: { ...TEAMS_LIMITS, maxAttempts: 2, baseBackoffMs: 10, maxBackoffMs: 20, outageBudgetMs: 0 } },
    );
    thandi = await signIn(service, 'thandi');
  });
  afterEach(async () => {
    await service.close();
    await connector.close();
    await acs.close();
  });

  async function queue(user: TestUser): Promise<string> {
    const activity = messageFrom(user, connector.serviceUrl, {
      value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${user.aadObjectId}`, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '082 123 4567', description: 'My bill doubled in March.' },
    });
    assert.equal(await postActivity(service.url, activity), 200);
    const until = Date.now() + 5000;
    for (;;) {
      const card = connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => cardText(cardOf(s.body) ?? {})).find((t) => /Your case reference/.test(t));
      if (card) return /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(card)![1]!.replace('-', '');
      if (Date.now() > until) assert.fail('not queued');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('sends the ESP lapse reminder by SMS when the chat refuses it, months later (issue 20)', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    const registered = await thandi.post(`/api/cases/${reference}/esp-registration`, { registeredOn: now.toLocaleDateString('sv-SE', { timeZone: 'Africa/Johannesburg' }) });
    assert.equal(registered.status, 200);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Registered for the ESP.' })).status, 200);
    const { remindOn, lapsesOn } = registered.body.rules.espRegistration as { remindOn: string; lapsesOn: string };
    const until = Date.now() + 5000;
    while (!connector.sent.some((x) => x.conversationId === lerato.conversationId && /How did we do/.test(`${x.body.text ?? ''}${cardText(cardOf(x.body) ?? {})}`))) {
      if (Date.now() > until) assert.fail('the outcome and survey were not sent');
      await new Promise((r) => setTimeout(r, 50));
    }
    // Months later the ratepayer has removed the app.
    now = new Date(`${remindOn}T09:00:00+02:00`);
    connector.failNext(lerato.conversationId, [403, 403, 403, 403, 403, 403]);
    await service.scheduler.tick();
    const sms = await acs.waitFor('+27821234567', (m) => m.channel === 'sms' && /registration lapses/.test(m.text));
    assert.match(sms.text, new RegExp(`registration lapses on ${longDate(lapsesOn, 'en')} \\(case ${reference.slice(0, 3)}-${reference.slice(3)}\\)`));
    assert.match(sms.text, /Reply STOP/);
  });

  it('sends "an expert is ready" by SMS to the mobile number given, and records it on the case', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    // The ratepayer removed the app: Teams refuses every message to the chat.
    connector.failNext(lerato.conversationId, [403, 403, 403, 403, 403, 403]);
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    const sms = await acs.waitFor('+27821234567', (m) => m.channel === 'sms');
    assert.match(sms.text, new RegExp(`an expert is ready for your case ${reference.slice(0, 3)}-${reference.slice(3)}`));
    assert.match(sms.text, /Reply STOP/);
    const until = Date.now() + 5000;
    for (;;) {
      const page = await thandi.get(`/api/cases/${reference}`);
      const connected = (page.body.transcript as { text: string; delivery?: { status: string; reason?: string } }[]).find((e) => /You are now connected/.test(e.text));
      if (connected?.delivery?.status === 'failed') {
        assert.match(connected.delivery.reason!, /An SMS was sent instead to the mobile number they gave/);
        break;
      }
      if (Date.now() > until) assert.fail(JSON.stringify(connected));
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
