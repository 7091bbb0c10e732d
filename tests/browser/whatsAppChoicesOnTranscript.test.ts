/**
 * A bot line a WhatsApp ratepayer got with buttons or a list, on the case page (tester finding:
 * its "Sent in Afrikaans" copy showed the SMS rendering, "1. … 2. … Reply with the number of your
 * choice"): its words, and its choices as WhatsApp showed them, marked as WhatsApp's. The
 * ratepayer on a phone at the local ACS stand-in (devTools/acs.ts), the expert in Chromium,
 * Cosmos DB embedded.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { AcsStandIn } from '../../devTools/acs.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { startService, type RunningService } from '../../bot/service.js';
import { t } from '../../bot/messages/index.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, localSettings } from '../support/tabApi.js';
import { acsSettingsFor, phoneOn } from '../support/whatsapp.js';

const PHONE = '+27821234567';
const SECRET = 'the-transcript-choices-test-secret-0123456789';

describe('a WhatsApp bot line on the case page shows its choices as WhatsApp showed them (Chromium)', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let service: RunningService;
  let browser: TestBrowser;
  let store: CosmosCaseStore;

  before(async function () {
    requireChromium(this);
    acs = new AcsStandIn();
    await acs.start();
    const db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    service = await startService({ ...localSettings, acs: acsSettingsFor(acs, SECRET) }, { containers: db, definition: definitionWithAgents(), scheduler: { start: false } });
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await acs?.close();
  });

  it('shows the end-chat question an Afrikaans ratepayer got as a list with its rows, not numbered with "reply with the number"', async () => {
    const phone = phoneOn(acs, PHONE);
    await phone.startIntake('Account and billing', /082 123 4567/);
    await phone.press('c0', /e-?mail/i);
    await phone.say('0', /describe|query/i);
    await phone.say('My bill doubled in March.', /check your details/i);
    const queued = await phone.press('c0', /You are in the queue/);
    const reference = /reference: \*([A-Z0-9-]+)\*/i.exec(queued.text)![1]!;
    const id = reference.replace('-', '');
    await store.replace({ ...(await store.get(id))!, language: 'af' });

    const page: Page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Thandi Mokoena/ }).click();
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    await page.getByRole('button', { name: `Claim case ${reference}` }).click();
    await page.getByTestId('case-language').filter({ hasText: 'Writes in Afrikaans' }).waitFor();

    // "kanselleer" with an expert: the bot asks whether to end the chat, on WhatsApp with its choices.
    const question = await phone.say('kanselleer', new RegExp(t('af', 'cards.endChat.yes')));
    const sentAs = (question.body.interactiveMessage as { action: { kind: string } }).action.kind;
    assert.equal(sentAs, 'whatsAppListAction', '"Ja, beëindig die gesprek" is too long for a button: a list');

    const line = page.getByTestId('transcript').getByTestId('bot-line').filter({ hasText: 'Do you want to end the chat with Thandi?' });
    await line.waitFor({ timeout: 10_000 });
    const sentIn = line.getByText(/^Sent in Afrikaans:/);
    await sentIn.waitFor();
    const copy = (await sentIn.textContent()) ?? '';
    assert.match(copy, new RegExp(t('af', 'cards.endChat.title', { expert: 'Thandi' })));
    assert.doesNotMatch(copy, new RegExp(t('af', 'whatsapp.replyWithNumber')), 'no SMS instruction: the ratepayer had a list');
    assert.doesNotMatch(copy, /^\s*1\. /m, 'no numbered choices');
    const choices = line.getByRole('group', { name: 'WhatsApp list' });
    await choices.getByText(t('af', 'cards.endChat.yes'), { exact: true }).waitFor();
    await choices.getByText(t('af', 'cards.endChat.no'), { exact: true }).waitFor();
    assert.equal(await choices.getByText(t('af', 'cards.endChat.no'), { exact: true }).getAttribute('lang'), 'af');

    await page.screenshot({ path: path.join(SCREENSHOTS, 'whatsapp-choices-on-transcript.png'), fullPage: true });
    await expectAccessible(page, 'the case page with a WhatsApp list on a bot line');
    assert.deepEqual(errors, []);
  });
});
