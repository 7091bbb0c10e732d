/**
 * The tab with a ratepayer who writes isiZulu (issue 16), in Chromium: the queue and the case page
 * show the language; the query from the form and the transcript show the ratepayer's words in
 * English with the original beside them, and the expert's with what the ratepayer read; the expert turns translation off.
 * Translation through the Translator client and the local stand-in (real HTTP); the ratepayer at a
 * local Bot Framework connector.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { aRatepayer, messageFrom, postActivity } from '../support/activities.js';
import { expectAccessible } from '../support/axe.js';
import { SCREENSHOTS } from '../support/browser.js';
import { openTabAs, queueInIsiZulu, useTranslatedTab } from '../support/translatedTab.js';

describe('the tab shows the ratepayer\'s language and the translations (Chromium, issue 16)', function () {
  this.timeout(60_000);
  const desk = useTranslatedTab();

  it('shows isiZulu in the queue and on the case page, both texts of each message, and the translation switch', async () => {
    const { service, connector } = desk;
    const sipho = aRatepayer('Sipho Dlamini');
    const say = async (fields: Parameters<typeof messageFrom>[2]) => assert.equal(await postActivity(service.url, messageFrom(sipho, connector.serviceUrl, fields)), 200);
    const { reference, id } = await queueInIsiZulu(desk, sipho, { verb: 'intake.submit', category: 'billing', draftId: `d-${sipho.aadObjectId}`, accountNumber: '501234567', accountHolder: 'Sipho Dlamini', mobile: '0821234567', description: 'Ibhili yami iphezulu kakhulu.' });

    const { page, errors } = await openTabAs(desk, 'Thandi Mokoena');
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
