/**
 * WhatsApp's 24-hour rule, the SMS fallback and opt-out, and failed deliveries (issue 18), over
 * the same client code as production against the local ACS stand-in (devTools/acs.ts).
 */
import assert from 'node:assert/strict';
import { AcsStandIn } from '../../devTools/acs.js';
import { startService, type RunningService } from '../../bot/service.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, localSettings, signIn, type ApiClient } from '../support/tabApi.js';
import { acsSettingsFor, phoneOn } from '../support/whatsapp.js';
import { longDate } from '../../bot/messages/time.js';
import { t } from '../../bot/messages/index.js';

const PHONE = '+27821234567';
const SECRET = 'another-secret-of-our-own-for-event-grid-0123456789';
const DAY = 24 * 60 * 60_000;

describe('WhatsApp: the 24-hour window, templates, the SMS fallback and STOP', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let service: RunningService;
  let thandi: ApiClient;
  let now: Date;

  async function start(definition: ServiceDefinition) {
    acs = new AcsStandIn();
    await acs.start();
    service = await startService(
      {
        ...localSettings,
        acs: { ...acsSettingsFor(acs, SECRET), smsFrom: '+27110000000' },
      },
      { containers: await freshDatabase(), definition, clock: { now: () => now }, liveEvents: { pollIntervalMs: 150 }, scheduler: { start: false }, rateLimits: { bot: { burst: 200, perSecond: 100 } } },
    );
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
    thandi = await signIn(service, 'thandi');
  }

  beforeEach(() => {
    now = new Date();
  });
  afterEach(async () => {
    await service?.close();
    await acs?.close();
  });

  async function step(send: () => Promise<number>, expect: RegExp, channel: 'whatsapp' | 'sms' = 'whatsapp') {
    const mark = acs.mark(PHONE);
    assert.equal(await send(), 200);
    return acs.waitFor(PHONE, (m) => m.channel === channel && expect.test(m.text), mark);
  }

  /** Joins the billing queue on WhatsApp; returns the case reference. */
  const queue = (): Promise<string> => phoneOn(acs, PHONE).joinQueue('Account and billing', /082 123 4567/, 'My bill doubled in March.');

  const withTemplates = (): ServiceDefinition => {
    const def = definitionWithAgents(0);
    return { ...def, whatsapp: { templates: { connected: { name: 'expert_ready', languages: ['en'] } } } };
  };

  it('after 24 hours "an expert is ready" goes as the template named in the definition, with its parameters', async () => {
    await start(withTemplates());
    const reference = await queue();
    now = new Date(now.getTime() + DAY + 60_000);
    thandi = await signIn(service, 'thandi');
    const mark = acs.mark(PHONE);
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    const sent = await acs.waitFor(PHONE, (m) => m.body.kind === 'template', mark);
    const template = sent.body.template as { name: string; language: string; values: { text: string }[]; bindings: { body: { refValue: string }[] } };
    assert.equal(template.name, 'expert_ready');
    assert.equal(template.language, 'en');
    assert.deepEqual(
      template.values.map((v) => v.text),
      [service.definition.programme.name, reference, 'Thandi', 'Account and billing queries'],
    );
    assert.equal(template.bindings.body.length, 4);
    // No free text went out after the window closed.
    assert.equal(acs.inbox(PHONE, mark).filter((m) => m.body.kind !== 'template').length, 0);
  });

  /** Joins the billing queue on WhatsApp in isiZulu (greeted "Sawubona"); returns the case reference. */
  async function queueInZulu(): Promise<string> {
    const any = /\S/;
    // The choices are cut short on WhatsApp's buttons: billing is the first.
    await step(() => acs.say(PHONE, 'Sawubona'), /\[c0\] Imibuzo nge-akhawunti/);
    await step(() => acs.press(PHONE, 'c0'), any);
    await step(() => acs.say(PHONE, '501234567'), any);
    await step(() => acs.say(PHONE, 'Lerato Molefe'), /082 123 4567/);
    await step(() => acs.press(PHONE, 'c0'), any);
    await step(() => acs.say(PHONE, '0'), any);
    await step(() => acs.say(PHONE, 'Isikweletu sami siphindeke kabili.'), any);
    const queued = await step(() => acs.press(PHONE, 'c0'), /\*[A-Z0-9]{3}-[A-Z0-9]{3}\*/);
    return /\*([A-Z0-9]{3}-[A-Z0-9]{3})\*/.exec(queued.text)![1]!;
  }

  it("an isiZulu ratepayer's template, SMS instead and STATUS name the programme and the category in isiZulu; a template only in English names them in English", async () => {
    const def = definitionWithAgents(0);
    await start({ ...def, whatsapp: { templates: { connected: { name: 'expert_ready', languages: ['en', 'zu'] }, outcome: { name: 'outcome', languages: ['en'] } } } });
    const zuProgramme = 'Usizo lwamakhasimende nge-inthanethi';
    const reference = await queueInZulu();
    now = new Date(now.getTime() + DAY + 60_000);
    thandi = await signIn(service, 'thandi');
    let mark = acs.mark(PHONE);
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    const sent = await acs.waitFor(PHONE, (m) => m.body.kind === 'template', mark);
    const template = sent.body.template as { name: string; language: string; values: { text: string }[] };
    assert.equal(template.language, 'zu');
    assert.deepEqual(template.values.map((v) => v.text), [zuProgramme, reference, 'Thandi', 'Imibuzo nge-akhawunti nesitatimende']);

    // STATUS by SMS: in the case's language, the programme's isiZulu name.
    const status = await step(() => acs.sms(PHONE, `STATUS ${reference}`), new RegExp(reference), 'sms');
    assert.ok(status.text.startsWith(zuProgramme), status.text);

    // The outcome's template is approved in English only: its names are English, as its words are.
    mark = acs.mark(PHONE);
    assert.ok((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Kulungisiwe.' })).status < 300);
    const outcome = await acs.waitFor(PHONE, (m) => m.body.kind === 'template' && (m.body.template as { name: string }).name === 'outcome', mark);
    const outcomeTemplate = outcome.body.template as { language: string; values: { text: string }[] };
    assert.equal(outcomeTemplate.language, 'en');
    assert.equal(outcomeTemplate.values[0]!.text, service.definition.programme.name);
  });

  it("an isiZulu ratepayer's SMS instead of a template names the programme in isiZulu", async () => {
    await start(definitionWithAgents(0));
    const reference = await queueInZulu();
    now = new Date(now.getTime() + DAY + 60_000);
    thandi = await signIn(service, 'thandi');
    const mark = acs.mark(PHONE);
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    const text = await acs.waitFor(PHONE, (m) => m.channel === 'sms', mark);
    assert.ok(text.text.startsWith('Usizo lwamakhasimende nge-inthanethi'), text.text);
    assert.ok(text.text.includes(reference), text.text);
    assert.doesNotMatch(text.text, /Virtual customer engagement/);
  });

  it('STATUS by SMS for a case referred to the back office says so, with the due date and the back office, not "resolved" (tester 10, finding 5)', async () => {
    await start(definitionWithAgents(0));
    const reference = await queue();
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    const referred = await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'referred_back_office', summary: 'The March reading needs checking.' });
    assert.ok(referred.status < 300, JSON.stringify(referred.body));
    const page = await thandi.get(`/api/cases/${reference}`);
    const status = await step(() => acs.sms(PHONE, `STATUS ${reference}`), new RegExp(reference), 'sms');
    assert.doesNotMatch(status.text, /resolved/, status.text);
    assert.ok(status.text.includes(`case ${reference} is with the back office, due by ${longDate(page.body.outcome.dueDate, 'en')} (${page.body.referredTo.team}).`), status.text);
  });

  it('without a template: not sent, the reason on the case, an SMS instead; STATUS answered by SMS; after STOP no SMS', async () => {
    await start(definitionWithAgents(0));
    const reference = await queue();
    now = new Date(now.getTime() + DAY + 60_000);
    thandi = await signIn(service, 'thandi');
    const mark = acs.mark(PHONE);
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    const text = await acs.waitFor(PHONE, (m) => m.channel === 'sms', mark);
    assert.match(text.text, new RegExp(`an expert is ready for your case ${reference}`));
    assert.match(text.text, /Reply STOP/);
    assert.equal(acs.inbox(PHONE, mark).filter((m) => m.channel === 'whatsapp').length, 0, 'no WhatsApp message outside the window');
    const connected = await failedConnected(reference);
    assert.match(connected.delivery.reason, /24 hours/);
    assert.match(connected.delivery.reason, /An SMS was sent instead/);

    // STATUS <reference> by SMS, for a case of this number.
    const status = await step(() => acs.sms(PHONE, `status ${reference.toLowerCase()}`), /is with an expert/, 'sms');
    assert.match(status.text, new RegExp(reference));
    // Someone else's number learns nothing about the case.
    const stranger = '+27831112222';
    await acs.sms(stranger, `STATUS ${reference}`);
    const strangerReply = await acs.waitFor(stranger, (m) => m.channel === 'sms');
    assert.doesNotMatch(strangerReply.text, /with an expert/);

    // STOP: confirmed once, recorded; the next fallback sends nothing and says why.
    await step(() => acs.sms(PHONE, 'STOP'), /no more text messages/, 'sms');
    assert.equal((await thandi.post(`/api/cases/${reference}/release`)).status, 200);
    const again = acs.mark(PHONE);
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    const second = await failedConnected(reference, 2);
    assert.match(second.delivery.reason, /replied STOP/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(acs.inbox(PHONE, again).filter((m) => m.channel === 'sms').length, 0, 'no SMS after STOP');
  });

  it('the outcome after 24 hours goes by SMS too, and the survey waits for a template', async () => {
    await start(definitionWithAgents(0));
    const reference = await queue();
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    await acs.waitFor(PHONE, (m) => /You are now connected/.test(m.text));
    now = new Date(now.getTime() + DAY + 60_000);
    thandi = await signIn(service, 'thandi');
    const mark = acs.mark(PHONE);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'The estimate was replaced by the actual reading.' })).status, 200);
    const text = await acs.waitFor(PHONE, (m) => m.channel === 'sms', mark);
    assert.match(text.text, new RegExp(`your case ${reference} is closed: The estimate was replaced by the actual reading\\.`));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(acs.inbox(PHONE, mark).filter((m) => m.channel === 'whatsapp').length, 0, 'nothing on WhatsApp outside the window');
    assert.equal(acs.inbox(PHONE, mark).filter((m) => m.channel === 'sms').length, 1, 'one SMS: the outcome; the survey has none');
  });

  it("the outcome by SMS to an isiZulu ratepayer quotes the expert's English summary as the summary card would, marked in isiZulu as not translated", async () => {
    const def = definitionWithAgents(0);
    await start(def);
    const reference = await queueInZulu();
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    now = new Date(now.getTime() + DAY + 60_000);
    thandi = await signIn(service, 'thandi');
    const mark = acs.mark(PHONE);
    // No Translator here: the summary goes as written, with the catalogue's line that it could not be translated.
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'The estimate was replaced by the actual reading.' })).status, 200);
    const text = await acs.waitFor(PHONE, (m) => m.channel === 'sms' && m.text.includes('The estimate was replaced'), mark);
    assert.ok(text.text.includes(`The estimate was replaced by the actual reading. ${t('zu', 'translation.notTranslated')}`), text.text);
  });

  it("the outcome's template approved only in English carries an isiZulu ratepayer's summary as written, without the isiZulu note", async () => {
    const def = definitionWithAgents(0);
    await start({ ...def, whatsapp: { templates: { outcome: { name: 'outcome', languages: ['en'] } } } });
    const reference = await queueInZulu();
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    now = new Date(now.getTime() + DAY + 60_000);
    thandi = await signIn(service, 'thandi');
    const mark = acs.mark(PHONE);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Corrected.' })).status, 200);
    const outcome = await acs.waitFor(PHONE, (m) => m.body.kind === 'template' && (m.body.template as { name: string }).name === 'outcome', mark);
    const values = (outcome.body.template as { values: { text: string }[] }).values.map((v) => v.text);
    assert.deepEqual(values.slice(1), [reference, 'Corrected.']);
  });

  /** Registers the WhatsApp ratepayer's case for the ESP today and closes it; returns the reference and the reminder day. */
  async function registeredForEsp(): Promise<{ reference: string; remindOn: string; lapsesOn: string }> {
    const reference = await queue();
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    await acs.waitFor(PHONE, (m) => /You are now connected/.test(m.text));
    const today = now.toLocaleDateString('sv-SE', { timeZone: 'Africa/Johannesburg' });
    const registered = await thandi.post(`/api/cases/${reference}/esp-registration`, { registeredOn: today });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Registered for the ESP.' })).status, 200);
    await acs.waitFor(PHONE, (m) => /is closed|Registered for the ESP/.test(m.text));
    const { remindOn, lapsesOn } = registered.body.rules.espRegistration as { remindOn: string; lapsesOn: string };
    return { reference, remindOn, lapsesOn };
  }

  /** The scheduler's round on the reminder day, 09:00 in Johannesburg: months after the ratepayer's last message. */
  async function reminderDay(remindOn: string): Promise<number> {
    now = new Date(`${remindOn}T09:00:00+02:00`);
    const mark = acs.mark(PHONE);
    await service.scheduler.tick();
    return mark;
  }

  it('the ESP lapse reminder, months later, goes as its template with the lapse date (issue 20)', async () => {
    const def = definitionWithAgents(0);
    await start({ ...def, whatsapp: { templates: { espReminder: { name: 'esp_renewal', languages: ['en'] } } } });
    const { reference, remindOn, lapsesOn } = await registeredForEsp();
    const mark = await reminderDay(remindOn);
    const sent = await acs.waitFor(PHONE, (m) => m.body.kind === 'template', mark);
    const template = sent.body.template as { name: string; language: string; values: { text: string }[] };
    assert.equal(template.name, 'esp_renewal');
    assert.deepEqual(template.values.map((v) => v.text), [service.definition.programme.name, reference, longDate(lapsesOn, 'en')]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(acs.inbox(PHONE, mark).filter((m) => m.body.kind !== 'template').length, 0, 'no free text outside the window');
  });

  it('without a template the ESP lapse reminder goes by SMS, and the case records why (issue 20)', async () => {
    await start(definitionWithAgents(0));
    const { reference, remindOn, lapsesOn } = await registeredForEsp();
    const mark = await reminderDay(remindOn);
    const text = await acs.waitFor(PHONE, (m) => m.channel === 'sms', mark);
    assert.match(text.text, new RegExp(`your ESP \\(Expanded Social Package\\) registration lapses on ${longDate(lapsesOn, 'en')} \\(case ${reference}\\)`));
    assert.match(text.text, /Reply STOP/);
    assert.equal(acs.inbox(PHONE, mark).filter((m) => m.channel === 'whatsapp').length, 0, 'no WhatsApp message outside the window');
    thandi = await signIn(service, 'thandi');
    const until = Date.now() + 8000;
    for (;;) {
      const page = await thandi.get(`/api/cases/${reference}`);
      const entry = (page.body.transcript as { text: string; delivery?: { status: string; reason: string } }[]).find((e) => /registration lapses on/.test(e.text));
      if (entry?.delivery?.status === 'failed') {
        assert.match(entry.delivery.reason, /24 hours/);
        assert.match(entry.delivery.reason, /An SMS was sent instead/);
        break;
      }
      if (Date.now() > until) assert.fail(JSON.stringify(entry));
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('a message delivered late (older than the last one) does not close the window', async () => {
    await start(definitionWithAgents(0));
    await queue();
    // Event Grid retried an old message: received 30 hours ago, delivered now.
    assert.equal(await acs.say(PHONE, 'status', { receivedAt: new Date(now.getTime() - 30 * 60 * 60_000).toISOString() }), 200);
    await acs.waitFor(PHONE, (m) => /Account and billing/.test(m.text) && /queue/i.test(m.text), acs.mark(PHONE) - 1);
    now = new Date(now.getTime() + 60 * 60_000);
    thandi = await signIn(service, 'thandi');
    const mark = acs.mark(PHONE);
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    const connected = await acs.waitFor(PHONE, (m) => /You are now connected with Thandi/.test(m.text), mark);
    assert.equal(connected.body.kind, 'text');
  });

  it('a failed delivery status is shown to the expert on the message', async () => {
    await start(definitionWithAgents(0));
    const reference = await queue();
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    acs.failing.add(PHONE);
    assert.equal((await thandi.post(`/api/cases/${reference}/messages`, { text: 'Are you there?' })).status, 200);
    const until = Date.now() + 8000;
    for (;;) {
      const page = await thandi.get(`/api/cases/${reference}`);
      const entry = (page.body.transcript as { text: string; delivery?: { status: string; reason?: string } }[]).find((e) => e.text === 'Are you there?');
      if (entry?.delivery?.status === 'failed') {
        assert.match(entry.delivery.reason!, /WhatsApp could not deliver this message \(Message Undeliverable\., code 131026\)/);
        break;
      }
      if (Date.now() > until) assert.fail(JSON.stringify(entry));
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  /** The `nth` "connected" entry on the case, once its delivery failed. */
  async function failedConnected(reference: string, nth = 1): Promise<{ delivery: { status: string; reason: string } }> {
    const until = Date.now() + 8000;
    for (;;) {
      const page = await thandi.get(`/api/cases/${reference}`);
      const entries = (page.body.transcript as { text: string; delivery?: { status: string; reason: string } }[]).filter((e) => /You are now connected/.test(e.text));
      const entry = entries[nth - 1];
      if (entry?.delivery?.status === 'failed') return entry as { delivery: { status: string; reason: string } };
      if (Date.now() > until) assert.fail(JSON.stringify(entries));
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});
