/**
 * Who bills the meter, on WhatsApp (tester 10, findings 1 and 6): the metering form asked one
 * question at a time through the local Communication Services stand-in (devTools/acs.ts), as in
 * loop.test.ts; the store is the embedded Cosmos DB server. A named supplier is taken (pressed, by
 * its number or typed by name), only the suppliers of the meter type chosen are offered, and Eskom
 * leads to "where to go instead" rather than round the question again.
 */
import assert from 'node:assert/strict';
import { AcsStandIn } from '../../devTools/acs.js';
import { startService, type RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { acsSettingsFor, phoneOn } from '../support/whatsapp.js';
import { definitionWithAgents, localSettings, signIn } from '../support/tabApi.js';

const SECRET = 'a-secret-of-our-own-for-event-grid-0123456789';

describe('WhatsApp: who bills the meter (tester 10, findings 1 and 6)', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let service: RunningService;

  beforeEach(async () => {
    acs = new AcsStandIn();
    await acs.start();
    const db = await freshDatabase();
    service = await startService(
      { ...localSettings, acs: acsSettingsFor(acs, SECRET) },
      { containers: db, definition: definitionWithAgents(0), liveEvents: { pollIntervalMs: 150 }, scheduler: { start: false }, rateLimits: { bot: { burst: 200, perSecond: 100 } } },
    );
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
  });
  afterEach(async () => {
    await service?.close();
    await acs?.close();
  });

  /** The metering form up to "Who bills this meter", with the meter type chosen by its number (1 water, 2 electricity). */
  async function toSupplier(phoneNumber: string, meterType: '1' | '2') {
    const phone = phoneOn(acs, phoneNumber);
    await phone.startIntake('Water and electricity', /082 123 4567|confirm|number/i);
    await phone.press('c0', /e-?mail/i);
    await phone.say('0', /Meter type/);
    return { phone, question: await phone.say(meterType, /Who bills this meter/) };
  }

  it('a water meter is offered Johannesburg Water and "not sure" only, and the supplier typed by name is taken', async () => {
    const { phone, question } = await toSupplier('+27821234567', '1');
    assert.match(question.text, /Johannesburg Water/);
    assert.doesNotMatch(question.text, /City Power|Eskom/, 'electricity suppliers are not offered for a water meter');
    const next = await phone.say('Johannesburg Water', /Meter number|Please choose who bills/);
    assert.match(next.text, /Meter number/, 'the supplier is taken and the form moves on');
    await phone.say('04123456789', /reading/i);
    await phone.say('0', /describe|query/i);
    const review = await phone.say('The water meter reading on my bill is far too high.', /check your details/i);
    assert.match(review.text, /Who bills this meter \(optional\): Johannesburg Water/);
    const queued = await phone.press('c0', /You are in the queue/);
    const reference = /reference: \*([A-Z0-9-]+)\*/i.exec(queued.text)![1]!.replace('-', '');
    const anele = await signIn(service, 'anele');
    const page = await anele.get(`/api/cases/${reference}`);
    assert.equal(page.status, 200);
    assert.match(JSON.stringify(page.body.intake), /Johannesburg Water/);
  });

  it('an electricity meter: City Power by number is taken; Eskom pressed leads to where to go instead, not round the question', async () => {
    const first = await toSupplier('+27821234567', '2');
    assert.match(first.question.text, /City Power/);
    assert.match(first.question.text, /Eskom/);
    assert.doesNotMatch(first.question.text, /Johannesburg Water/, 'the water supplier is not offered for an electricity meter');
    const next = await first.phone.say('1', /Meter number|Please choose who bills/);
    assert.match(next.text, /Meter number/, 'City Power, as its number in the list, is taken');

    const second = await toSupplier('+27829992222', '2');
    await second.phone.press('c1', /Meter number|Please choose who bills/);
    await second.phone.say('04123456789', /reading/i);
    await second.phone.say('0', /describe|query/i);
    await second.phone.say('My prepaid electricity meter does not accept tokens.', /check your details/i);
    const told = await second.phone.press('c0', /Eskom supplies and bills your electricity directly|You are in the queue/);
    assert.match(told.text, /We have not put you in the queue, because Eskom must handle this meter/);
  });
});
