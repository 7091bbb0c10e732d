/**
 * The details asked after a transfer, on WhatsApp (one question at a time), through the local
 * Communication Services stand-in (devTools/acs.ts) as in loop.test.ts; the expert transfers in
 * the tab API over real HTTP; the store is the embedded Cosmos DB server.
 */
import assert from 'node:assert/strict';
import { AcsStandIn } from '../../devTools/acs.js';
import { startService, type RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { acsSettingsFor, phoneOn } from '../support/whatsapp.js';
import { definitionWithAgents, localSettings, signIn, type ApiClient } from '../support/tabApi.js';
import { t } from '../../bot/messages/index.js';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PHONE = '+27821234567';
const SECRET = 'a-secret-of-our-own-for-event-grid-0123456789';

describe('WhatsApp: details asked after a transfer', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let service: RunningService;
  let thandi: ApiClient;

  beforeEach(async () => {
    acs = new AcsStandIn();
    await acs.start();
    const db = await freshDatabase();
    service = await startService(
      { ...localSettings, acs: acsSettingsFor(acs, SECRET) },
      { containers: db, definition: definitionWithAgents(0), liveEvents: { pollIntervalMs: 150 }, scheduler: { start: false }, rateLimits: { bot: { burst: 200, perSecond: 100 } } },
    );
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
    thandi = await signIn(service, 'thandi');
  });
  afterEach(async () => {
    await service?.close();
    await acs?.close();
  });

  const say = (text: string, expect: RegExp) => phoneOn(acs, PHONE).say(text, expect);
  const press = (choiceId: string, expect: RegExp) => phoneOn(acs, PHONE).press(choiceId, expect);

  it('asks the one missing detail as a question, checks it by the intake\'s rule, and adds it to the case', async () => {
    // A billing case through the WhatsApp intake (no monthly payment: billing does not ask it).
    await phoneOn(acs, PHONE).startIntake('Account and billing', /082 123 4567/);
    await press('c0', /e-?mail/i);
    await say('0', /describe|query/i);
    await say('I cannot pay my arrears this month.', /check your details/i);
    const queued = await press('c0', /You are in the queue/);
    const reference = /reference: \*([A-Z0-9-]+)\*/i.exec(queued.text)![1]!.replace('-', '');

    // Thandi takes it and moves it to credit control, whose form asks what a person can afford.
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    const mark = acs.mark(PHONE);
    assert.equal((await thandi.post(`/api/cases/${reference}/transfer`, { toCategory: 'credit-control', note: 'Wants an arrangement' })).status, 200);
    const intro = await acs.waitFor(PHONE, (m) => /a few more details/.test(m.text), mark);
    assert.match(intro.text, /to propose a repayment arrangement you can keep/, 'why it is asked');
    const question = await acs.waitFor(PHONE, (m) => /Monthly payment you can afford/.test(m.text), mark);
    assert.doesNotMatch(question.text, /account number|Your query/i, 'only the missing detail');

    // A wrong answer: the intake's own message, the same question again; then a right one.
    const wrong = await say('lots', /should be an amount in rands/);
    assert.match(wrong.text, /Monthly payment you can afford/);
    await say('R800', /Thank you\. Your details \(monthly payment you can afford\) are now on case/);

    const page = await thandi.get(`/api/cases/${reference}`);
    assert.equal(page.status, 200);
    assert.equal(page.body.detailsAsked, undefined);
    assert.match(page.body.intake.find((l: { name: string }) => l.name === 'proposedMonthlyPayment').value, /^R800\.00$/);
    assert.equal(page.body.audit.find((e: { action: string }) => e.action === 'details added').by.kind, 'ratepayer');
  });

  it('asks the detail again in the language chosen in the middle of it ("Afrikaans"), and takes the answer', async () => {
    await phoneOn(acs, PHONE).startIntake('Account and billing', /082 123 4567/);
    await press('c0', /e-?mail/i);
    await say('0', /describe|query/i);
    await say('I cannot pay my arrears this month.', /check your details/i);
    const queued = await press('c0', /You are in the queue/);
    const reference = /reference: \*([A-Z0-9-]+)\*/i.exec(queued.text)![1]!;
    assert.equal((await thandi.post(`/api/cases/${reference.replace('-', '')}/claim`)).status, 200);
    const mark = acs.mark(PHONE);
    assert.equal((await thandi.post(`/api/cases/${reference.replace('-', '')}/transfer`, { toCategory: 'credit-control', note: 'Wants an arrangement' })).status, 200);
    await acs.waitFor(PHONE, (m) => /Monthly payment you can afford/.test(m.text), mark);
    // "Afrikaans": the question again, in Afrikaans; the answer then taken as the detail.
    const changed = acs.mark(PHONE);
    await say('Afrikaans', new RegExp(escapeRegExp(t('af', 'language.changed', { language: 'Afrikaans' }))));
    const label = t('af', 'fields.proposedMonthlyPayment.label');
    await acs.waitFor(PHONE, (m) => m.text.includes(`*${label}*`), changed);
    await say('R800', new RegExp(escapeRegExp(t('af', 'moreDetails.added', { fields: '§', reference }).split('§')[0]!)));
    const page = await thandi.get(`/api/cases/${reference.replace('-', '')}`);
    assert.match(page.body.intake.find((l: { name: string }) => l.name === 'proposedMonthlyPayment').value, /^R800\.00$/);
  });
});
