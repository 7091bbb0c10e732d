/**
 * The tab with a ratepayer who writes isiZulu (issue 16), in Chromium: the queue and the case page
 * show the language; the query from the form and the transcript show the ratepayer's words in
 * English with the original beside them, and the expert's with what the ratepayer read; the expert turns translation off.
 * Translation through the Translator client and the local stand-in (real HTTP); the ratepayer at a
 * local Bot Framework connector.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { translatorFromSettings } from '../../bot/platform/translator/client.js';
import type { RunningService } from '../../bot/service.js';
import { startTranslatorStandIn, type TranslatorStandIn } from '../../devTools/translator/server.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity } from '../support/activities.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, startTestService } from '../support/tabApi.js';

describe('the tab shows the ratepayer\'s language and the translations (Chromium, issue 16)', function () {
  this.timeout(60_000);
  let service: RunningService;
  let connector: LocalConnector;
  let standIn: TranslatorStandIn;
  let browser: TestBrowser;
  let store: CosmosCaseStore;

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    standIn = await startTranslatorStandIn();
    service = await startTestService(db, definitionWithAgents(), {
      translator: translatorFromSettings({ endpoint: standIn.url, auth: { kind: 'key', key: standIn.auth.key!, region: standIn.auth.region! }, timeoutMs: 2000 }),
    });
    connector = await startLocalConnector();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await connector?.close();
    await standIn?.close();
  });

  it('shows isiZulu in the queue and on the case page, both texts of each message, and the translation switch', async () => {
    const sipho = aRatepayer('Sipho Dlamini');
    const say = async (fields: Parameters<typeof messageFrom>[2]) => assert.equal(await postActivity(service.url, messageFrom(sipho, connector.serviceUrl, fields)), 200);
    await say({ value: { verb: 'intake.submit', category: 'billing', draftId: `d-${sipho.aadObjectId}`, accountNumber: '501234567', accountHolder: 'Sipho Dlamini', mobile: '0821234567', description: 'Ibhili yami iphezulu kakhulu.' } });
    let reference: string | undefined;
    for (const end = Date.now() + 5000; !reference && Date.now() < end; await new Promise((r) => setTimeout(r, 30)))
      for (const s of connector.sent.filter((s) => s.conversationId === sipho.conversationId))
        reference ??= /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(cardOf(s.body) ?? {}))?.[1];
    assert.ok(reference, 'the case was queued');
    const id = reference.replace('-', '');
    await store.replace({ ...(await store.get(id))!, language: 'zu' });

    const page: Page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Thandi Mokoena/ }).click();
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    await page.locator(`tr[data-reference="${id}"]`).getByTestId('queue-language').filter({ hasText: 'isiZulu' }).waitFor();

    await page.getByRole('button', { name: `Claim case ${reference}` }).click();
    await page.getByTestId('case-language').filter({ hasText: 'Writes in isiZulu' }).waitFor();
    await page.getByTestId('translation').getByText(/machine-translated into English for you/).waitFor();
    // The query from the form, in English too, the original under it (tester 7, finding 3).
    const query = page.getByTestId('intake-translated-description');
    await query.getByText('My bill is too high.', { exact: true }).waitFor();
    await query.getByText('Original (isiZulu): Ibhili yami iphezulu kakhulu.').waitFor();
    await query.getByText('Machine-translated').waitFor();
    assert.equal(await page.locator('dd').filter({ hasText: '501234567' }).count(), 1, 'the account number as given');

    await say({ text: 'Ibhili yami iphezulu kakhulu.' });
    const transcript = page.getByTestId('transcript');
    const theirs = transcript.getByTestId('translated').filter({ hasText: 'My bill is too high.' });
    await theirs.waitFor({ timeout: 5000 });
    await theirs.getByText('Original (isiZulu): Ibhili yami iphezulu kakhulu.').waitFor();

    await page.getByLabel(/Message to/).fill('How can I help you?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await transcript.getByText('Sent in isiZulu (machine-translated): Ngingakusiza kanjani?').waitFor({ timeout: 5000 });
    await transcript.getByText('How can I help you?', { exact: true }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'translation-tab.png'), fullPage: true });
    await expectAccessible(page, 'the case page with a translated conversation');

    await page.getByRole('button', { name: 'Turn translation off (I speak isiZulu)' }).click();
    await page.getByTestId('translation').getByText(/Translation is off: messages go as written/).waitFor();
    await page.getByLabel(/Message to/).fill('Ngiyabonga');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await transcript.getByText('Translation off: sent as written').waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Turn translation on' }).waitFor();
    assert.deepEqual(errors, []);
  });
});
