/**
 * The back office reaches the ratepayer after the session (issue 19, "update the ratepayer": a
 * message relayed to their channel, or a template/SMS outside chat windows): a back-office update,
 * "needs more time" and an escalation reach a WhatsApp ratepayer whose 24-hour window has closed
 * (the template the definition names, else an SMS to the WhatsApp number), and a Teams ratepayer
 * whose chat refuses messages (an SMS to the mobile number they gave). Over the same client code
 * as production against the local ACS stand-in (devTools/acs.ts), with the embedded Cosmos DB.
 */
import assert from 'node:assert/strict';
import { AcsStandIn } from '../../devTools/acs.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { startService, type RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { ManualClock } from '../support/manualClock.js';
import { definitionWithAgents, localSettings, signIn, type ApiClient } from '../support/tabApi.js';
import { phoneOn } from '../support/whatsapp.js';

const PHONE = '+27821234567';
const SECRET = 'back-office-reach-test-secret-0123456789abcdef';
const DAY = 24 * 60 * 60_000;

/** A back-office team for billing (2 calendar days), one escalation level; `templates`: the WhatsApp templates named. */
function definition(templates: ServiceDefinition['whatsapp']['templates'] = {}): ServiceDefinition {
  const def = definitionWithAgents(0);
  return {
    ...def,
    whatsapp: { templates },
    followThrough: {
      ...def.followThrough,
      businessDays: false,
      teams: [{ code: 'billing-ops', name: 'Billing corrections' }],
      referrals: { billing: { team: 'billing-ops', responseDays: 2 } },
      defaultReferral: { team: 'billing-ops', responseDays: 2 },
      escalation: [{ code: 'assistant-director', name: 'the Assistant Director: Revenue', days: 2 }],
    },
    staff: [
      ...def.staff.filter((s) => s.id !== 'zanele'),
      { id: 'zanele', name: 'Zanele Khumalo', email: 'zanele@joburg.example', role: 'agent', skills: [], regions: [], backOfficeTeams: ['billing-ops'] },
    ],
  };
}

describe('the back office reaches the ratepayer outside chat windows: templates and SMS', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let connector: LocalConnector | undefined;
  let service: RunningService;
  let clock: ManualClock;

  async function start(def: ServiceDefinition, whatsapp: boolean) {
    // Real time: WhatsApp's window is counted from when the stand-in says a message was received.
    clock = new ManualClock(new Date());
    acs = new AcsStandIn();
    await acs.start();
    service = await startService(
      {
        ...localSettings,
        acs: { endpoint: acs.endpoint, auth: { kind: 'key', accessKey: acs.accessKey }, ...(whatsapp ? { whatsappChannelId: acs.channelRegistrationId } : {}), eventsSecret: SECRET, smsFrom: '+27110000000' },
      },
      {
        containers: await freshDatabase(),
        definition: def,
        clock,
        liveEvents: { pollIntervalMs: 150 },
        scheduler: { start: false },
        rateLimits: { bot: { burst: 200, perSecond: 100 } },
        pacing: { ...TEAMS_LIMITS, maxAttempts: 2, baseBackoffMs: 10, maxBackoffMs: 20, outageBudgetMs: 0 },
      },
    );
    if (whatsapp) await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
  }

  afterEach(async () => {
    await service?.close();
    await connector?.close();
    connector = undefined;
    await acs?.close();
  });

  const signedIn = (id: string): Promise<ApiClient> => signIn(service, id);

  /** Claimed and referred to the back office by Thandi (while the ratepayer is in the chat). */
  async function refer(reference: string): Promise<void> {
    const thandi = await signedIn('thandi');
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'referred_back_office', summary: 'Refund to be checked by the back office.' })).status, 200);
  }

  /** The transcript entry matching `text` once its delivery is recorded. */
  async function delivery(reference: string, text: RegExp): Promise<{ status: string; reason?: string }> {
    const until = Date.now() + 8000;
    for (;;) {
      const page = await (await signedIn('zanele')).get(`/api/back-office/referrals/${reference}`);
      const entry = (page.body.transcript as { text: string; delivery?: { status: string; reason?: string } }[] | undefined)?.find((e) => text.test(e.text));
      if (entry?.delivery) return entry.delivery;
      if (Date.now() > until) assert.fail(`no delivery for ${text}: ${JSON.stringify(page.body.transcript?.map((e: { text: string }) => e.text))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('WhatsApp after 24 hours: an update and an escalation as their templates, "needs more time" and "done" by SMS, each once', async () => {
    await start(definition({ backOfficeUpdate: { name: 'case_update', languages: ['en'] }, escalated: { name: 'case_escalated', languages: ['en'] } }), true);
    // Queued on WhatsApp.
    const shown = await phoneOn(acs, PHONE).joinQueue('Account and billing', /082 123 4567/, 'My bill doubled in March.');
    const reference = shown.replace('-', '');
    await refer(reference);
    await acs.waitFor(PHONE, (m) => /Your receipt from/.test(m.text));

    // A day and more later: the window has closed.
    clock.advance(DAY + 60_000);
    const zanele = await signedIn('zanele');
    let mark = acs.mark(PHONE);
    assert.equal((await zanele.post(`/api/back-office/referrals/${reference}/update`, { text: 'We found your March payment.\nIt is being checked.' })).status, 200);
    const update = await acs.waitFor(PHONE, (m) => m.body.kind === 'template', mark);
    const template = update.body.template as { name: string; language: string; values: { text: string }[] };
    assert.equal(template.name, 'case_update');
    assert.deepEqual(
      template.values.map((v) => v.text),
      [service.definition.programme.name, shown, 'Billing corrections', 'We found your March payment. It is being checked.'],
      'one line: WhatsApp refuses a parameter with a new line',
    );
    assert.equal((await delivery(reference, /^Update on case/)).status, 'delivered');

    // Overdue: the escalation goes as its template.
    clock.advance(2 * DAY + 60_000);
    mark = acs.mark(PHONE);
    await service.scheduler.tick();
    const escalated = await acs.waitFor(PHONE, (m) => m.body.kind === 'template' && (m.body.template as { name: string }).name === 'case_escalated', mark);
    const values = (escalated.body.template as { values: { text: string }[] }).values.map((v) => v.text);
    assert.deepEqual([values[0], values[1], values[3]], [service.definition.programme.name, shown, 'the Assistant Director: Revenue']);
    assert.match(values[2]!, /^\w+day \d{1,2} \w+ \d{4}$/, 'the day it was escalated');

    // "Needs more time" has no template here: an SMS to the WhatsApp number, once, although receipts are retried.
    const dueDate = (await (await signedIn('zanele')).get(`/api/back-office/referrals/${reference}`)).body.referral.dueDate as string;
    const later = new Date(Date.parse(`${dueDate}T12:00:00Z`) + 7 * DAY).toISOString().slice(0, 10);
    mark = acs.mark(PHONE);
    assert.equal((await (await signedIn('zanele')).post(`/api/back-office/referrals/${reference}/more-time`, { dueDate: later, reason: 'The meter reading is being checked.' })).status, 200);
    const more = await acs.waitFor(PHONE, (m) => m.channel === 'sms', mark);
    assert.match(more.text, new RegExp(`Billing corrections needs more time on case ${shown}, now by .*: The meter reading is being checked\\. Reply STOP`));
    const moreDelivery = await delivery(reference, /Why more time is needed/);
    assert.equal(moreDelivery.status, 'failed');
    assert.match(moreDelivery.reason!, /An SMS was sent instead/);

    // "Done": the outcome by SMS; the retry round a few minutes later sends neither again.
    assert.equal((await (await signedIn('zanele')).post(`/api/back-office/referrals/${reference}/done`, { outcome: 'resolved', summary: 'A credit of R1 200 was passed.' })).status, 200);
    await acs.waitFor(PHONE, (m) => m.channel === 'sms' && /is closed: A credit of R1 200 was passed\./.test(m.text), mark);
    for (let i = 0; i < 3; i++) {
      clock.advance(2 * 60_000);
      await service.scheduler.tick();
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(acs.inbox(PHONE, mark).filter((m) => m.channel === 'sms').length, 2, 'one SMS for more time, one for done');
    assert.equal(acs.inbox(PHONE, mark).filter((m) => m.channel === 'whatsapp').length, 0, 'no free text outside the window');
  });

  it('Teams, the chat refusing messages: the update, "needs more time" and the escalation by SMS to the mobile number given', async () => {
    await start(definition(), false);
    connector = await startLocalConnector();
    const lerato = aRatepayer('Lerato Molefe');
    const activity = messageFrom(lerato, connector.serviceUrl, {
      value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${lerato.aadObjectId}`, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '082 123 4567', description: 'My bill doubled in March.' },
    });
    assert.equal(await postActivity(service.url, activity), 200);
    let reference = '';
    for (const until = Date.now() + 5000; !reference; ) {
      const card = connector.sent.filter((s) => s.conversationId === lerato.conversationId).map((s) => cardText(cardOf(s.body) ?? {})).find((t) => /Your case reference/.test(t));
      if (card) reference = /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(card)![1]!.replace('-', '');
      else if (Date.now() > until) assert.fail('not queued');
      else await new Promise((r) => setTimeout(r, 50));
    }
    const shown = `${reference.slice(0, 3)}-${reference.slice(3)}`;
    await refer(reference);
    await delivery(reference, /Your receipt from/);

    // She removed the app: Teams refuses every message to the chat from now on.
    connector.failNext(lerato.conversationId, Array.from({ length: 40 }, () => 403));
    clock.advance(DAY);
    let mark = acs.mark(PHONE);
    assert.equal((await (await signedIn('zanele')).post(`/api/back-office/referrals/${reference}/update`, { text: 'We found your March payment.' })).status, 200);
    const update = await acs.waitFor(PHONE, (m) => m.channel === 'sms', mark);
    assert.match(update.text, new RegExp(`update on case ${shown} from Billing corrections: We found your March payment\\. Reply STOP`));
    assert.match((await delivery(reference, /^Update on case/)).reason!, /An SMS was sent instead to the mobile number they gave/);

    clock.advance(2 * DAY + 60_000);
    mark = acs.mark(PHONE);
    await service.scheduler.tick();
    const escalated = await acs.waitFor(PHONE, (m) => m.channel === 'sms', mark);
    assert.match(escalated.text, new RegExp(`case ${shown} is overdue, so on .* it was escalated to the Assistant Director: Revenue\\.`));

    const dueDate = (await (await signedIn('zanele')).get(`/api/back-office/referrals/${reference}`)).body.referral.dueDate as string;
    const later = new Date(Date.parse(`${dueDate}T12:00:00Z`) + 7 * DAY).toISOString().slice(0, 10);
    mark = acs.mark(PHONE);
    assert.equal((await (await signedIn('zanele')).post(`/api/back-office/referrals/${reference}/more-time`, { dueDate: later, reason: 'The meter reading is being checked.' })).status, 200);
    const more = await acs.waitFor(PHONE, (m) => m.channel === 'sms', mark);
    assert.match(more.text, /needs more time on case .*: The meter reading is being checked\./);
    for (let i = 0; i < 3; i++) {
      clock.advance(2 * 60_000);
      await service.scheduler.tick();
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(acs.inbox(PHONE, mark).filter((m) => m.channel === 'sms').length, 1, 'the receipt retry does not send the SMS again');
  });
});
