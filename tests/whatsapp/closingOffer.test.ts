/**
 * The closing offer on WhatsApp, through the real HTTP path (the ACS stand-in, devTools/acs.ts; the
 * scheduler ticked by hand on the pilot's calendar; the embedded Cosmos DB server): a ratepayer
 * still waiting at 19:46 is offered their place in the next session or a call back; "Call me"
 * asks the day, then the time, one question at a time; a language chosen between the two asks the
 * rest in that language (session 9 left the call-back's questions in the first one), and the
 * call back is recorded on the case.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { AcsStandIn } from '../../devTools/acs.js';
import { startService, type RunningService } from '../../bot/service.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { t, type Locale, type MessageKey } from '../../bot/messages/index.js';
import { freshDatabase } from '../support/cosmos.js';
import { acsSettingsFor, phoneOn, type Phone } from '../support/whatsapp.js';
import { localSettings } from '../support/tabApi.js';

// The pilot's calendar (17:00–20:00), with isiZulu switched on (the pilot is English only).
const loaded = loadDefinition(path.join(path.dirname(LOCAL_DEFINITION), 'joburg-region-b-pilot.json'));
const pilot = { ...loaded, programme: { ...loaded.programme, languages: ['en', 'zu'] } } as typeof loaded;
const PHONE = '+27821234567';
const SECRET = 'a-secret-for-the-closing-offer-tests-0123456789';
const sast = (local: string) => new Date(`${local}+02:00`);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The catalogue's words up to their first parameter, as a pattern. */
const words = (locale: Locale, key: MessageKey) => new RegExp(escapeRegExp(t(locale, key as never).split('{{')[0]!.trim()));

describe('WhatsApp: the closing offer\'s call back', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let service: RunningService;
  let store: CosmosCaseStore;
  let phone: Phone;
  let now: Date;

  beforeEach(async () => {
    now = sast('2022-08-01T19:30:00');
    acs = new AcsStandIn();
    await acs.start();
    const containers = await freshDatabase();
    store = new CosmosCaseStore(containers.cases);
    service = await startService(
      { ...localSettings, acs: acsSettingsFor(acs, SECRET) },
      { containers, definition: pilot, clock: { now: () => now }, scheduler: { start: false }, rateLimits: { bot: { burst: 200, perSecond: 100 } } },
    );
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
    phone = phoneOn(acs, PHONE);
  });
  afterEach(async () => {
    await service?.close();
    await acs?.close();
  });

  /** Queued at 19:30, then the offer at 19:46: resolves with the case's reference and the offer's "Call me" key. */
  async function offered(): Promise<{ reference: string; callMe: string }> {
    const reference = await phone.joinQueue('Account and billing', /082 123 4567/, 'My bill doubled in March.');
    const mark = acs.mark(PHONE);
    now = sast('2022-08-01T19:46:00');
    await service.scheduler.tick();
    const offer = await acs.waitFor(PHONE, (m) => /This session closes at 20:00/.test(m.text), mark);
    const callMe = offer.choices?.find((c) => c.title === t('en', 'cards.closingOffer.callMe'));
    assert.ok(callMe, `a "Call me" choice on: ${offer.text} ${JSON.stringify(offer.choices)}`);
    return { reference, callMe: callMe.key };
  }

  it('asks the day, then the time, and records the call back', async () => {
    const { reference, callMe } = await offered();
    await phone.press(callMe, /Which day should we call you\? .*for example 2022-08-01/);
    await phone.say('2022-08-02', words('en', 'whatsapp.callbackTime'));
    await phone.say('10:00', /an expert will call you on 082 123 4567 on Tuesday 2 August 2022 at 10:00/);
    assert.equal((await store.get(reference.replace('-', '')))?.closingChoice?.callbackAt, '2022-08-02T08:00:00.000Z');
  });

  it('asks the rest in isiZulu once "isiZulu" is typed between the day and the time, and records the call back', async () => {
    const { reference, callMe } = await offered();
    await phone.press(callMe, /Which day should we call you\?/);
    const mark = acs.mark(PHONE);
    await phone.say('isiZulu', new RegExp(escapeRegExp(t('zu', 'language.changed', { language: 'isiZulu' }))));
    // The day's question again, now in isiZulu, with the same first day (today) as its example.
    const again = await acs.waitFor(PHONE, (m) => m.text.includes(t('zu', 'whatsapp.callbackDay', { example: '2022-08-01' })), mark);
    assert.doesNotMatch(again.text, /Which day/);
    await phone.say('2022-08-02', new RegExp(escapeRegExp(t('zu', 'whatsapp.callbackTime'))));
    await phone.say('10:00', words('zu', 'closing.callbackOn' as never));
    assert.equal((await store.get(reference.replace('-', '')))?.closingChoice?.callbackAt, '2022-08-02T08:00:00.000Z');
  });
});
