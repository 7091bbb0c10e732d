/**
 * The bot's lines to an isiZulu ratepayer on the case page, in Chromium (issue 16 carried to the
 * bot's own messages): an English-only expert reads each in English, marked as the bot's own
 * words or as machine-translated, with what the ratepayer read beside it; a line the Translator
 * could not translate shows as written, marked. Translation through the Translator client and
 * the local stand-in (real HTTP); the ratepayer at a local Bot Framework connector; Cosmos embedded.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { aRatepayer, messageFrom, postActivity } from '../support/activities.js';
import { expectAccessible } from '../support/axe.js';
import { SCREENSHOTS } from '../support/browser.js';
import { signIn } from '../support/tabApi.js';
import { openTabAs, queueInIsiZulu, useTranslatedTab } from '../support/translatedTab.js';

describe("the case page shows the bot's lines in English for an English-only expert (Chromium)", function () {
  this.timeout(60_000);
  const desk = useTranslatedTab();

  it('shows the connected notice in English from the catalogue, an earlier line machine-translated, and one the Translator failed as written', async () => {
    const { service, connector, standIn, store } = desk;
    const sipho = aRatepayer('Sipho Dlamini');
    const { reference, id } = await queueInIsiZulu(desk, sipho, { verb: 'intake.submit', category: 'billing', draftId: `d-${sipho.aadObjectId}`, accountNumber: '501234567', accountHolder: 'Sipho Dlamini', mobile: '0821234567', description: 'My bill doubled.' });
    // Two bot lines as a version before this one kept them: their isiZulu words only.
    const earlier = 'Udaba lwakho lusalindile. Sizokubhalela lapha.';
    const unlucky = 'Sisabheka i-akhawunti yakho.';
    const at = new Date(Date.now() - 60_000).toISOString();
    await store.appendTranscript(id, { id: randomUUID(), at, from: 'system', author: 'Ratepayer Desk', text: earlier });

    const { page, errors } = await openTabAs(desk, 'Thandi Mokoena');
    await page.getByRole('button', { name: `Claim case ${reference}` }).click();
    await page.getByTestId('case-language').filter({ hasText: 'Writes in isiZulu' }).waitFor();

    const transcript = page.getByTestId('transcript');
    const connected = transcript.getByTestId('bot-line').filter({ hasText: 'You are now connected with Thandi, our expert for Account and billing queries.' });
    await connected.waitFor({ timeout: 5000 });
    await connected.getByText(/^Sent in isiZulu: Manje usuxhumene no-Thandi/).waitFor();
    await connected.getByText("The bot's own words in English, not a translation").waitFor();
    assert.equal(await connected.locator('p').getAttribute('lang'), 'en');

    const translated = transcript.getByTestId('bot-line').filter({ hasText: `[en] ${earlier}` });
    await translated.getByText(`Sent in isiZulu: ${earlier}`).waitFor();
    await translated.getByText('Machine-translated', { exact: true }).waitFor();

    // Another earlier line, shown when the ratepayer's next message reloads the page, while the
    // Translator fails (twice for the ratepayer's message, twice for the line): the original, marked.
    await store.appendTranscript(id, { id: randomUUID(), at: new Date().toISOString(), from: 'system', author: 'Ratepayer Desk', text: unlucky });
    standIn.failNext(4, 503);
    assert.equal(await postActivity(service.url, messageFrom(sipho, connector.serviceUrl, { text: 'Ngiyabonga' })), 200);
    const failed = transcript.locator('li').filter({ hasText: unlucky });
    await failed.getByTestId('not-translated').filter({ hasText: 'Not translated (the translation service failed (HTTP 503)): written in isiZulu.' }).waitFor({ timeout: 5000 });
    assert.equal(await failed.getByText(unlucky, { exact: true }).getAttribute('lang'), 'zu');

    await page.screenshot({ path: path.join(SCREENSHOTS, 'bot-lines-tab.png'), fullPage: true });
    await expectAccessible(page, "the case page with the bot's lines in English");
    assert.deepEqual(errors, []);
  });

  it("shows a card the bot sent and the form the ratepayer sent back in the catalogue's English, what the ratepayer saw beside them", async () => {
    const { service, connector } = desk;
    const lerato = aRatepayer('Lerato Molefe');
    const intake = { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '0821234567', proposedMonthlyPayment: 'R500', description: 'I lost my job.' };
    const { reference, id } = await queueInIsiZulu(desk, lerato, { verb: 'intake.submit', category: 'credit-control', draftId: `d-${lerato.aadObjectId}`, ...intake });

    // Priya (credit control and indigent, English only) claims it and moves it to indigent: the details form.
    const { page, errors } = await openTabAs(desk, 'Priya');
    await page.getByRole('button', { name: `Claim case ${reference}` }).click();
    await page.getByTestId('case-language').filter({ hasText: 'Writes in isiZulu' }).waitFor();
    const priya = await signIn(service, 'priya');
    assert.equal((await priya.post(`/api/cases/${id}/transfer`, { toCategory: 'indigent', note: 'An indigent registration' })).status, 200);
    // Back in her queue (indigent): she takes it again, the page shows it afresh.
    await page.getByRole('button', { name: `Claim case ${reference}` }).click();
    await page.getByText('Indigent-related queries and registration (ESP)', { exact: true }).first().waitFor();

    const transcript = page.getByTestId('transcript');
    const form = transcript.getByTestId('bot-line').filter({ hasText: 'Indigent-related queries and registration (ESP): a few more details' });
    await form.waitFor({ timeout: 5000 });
    await form.getByText(/In English \(the bot's own words\):/).waitFor();
    assert.equal(await form.getAttribute('lang'), 'en');
    const formText = (await form.innerText()).split('\n').map((l) => l.trim());
    for (const question of ['- South African ID number', '- People in your household', '- Monthly household income']) assert.ok(formText.includes(question), `${question} in: ${formText.join(' | ')}`);

    assert.equal(
      await postActivity(service.url, messageFrom(lerato, connector.serviceUrl, { value: { verb: 'details.submit', reference: id, idNumber: '8001015009087', householdSize: '4', monthlyHouseholdIncome: 'R3 200' } })),
      200,
    );
    const sent = transcript.getByTestId('sent-by-card');
    await sent.waitFor({ timeout: 5000 });
    const english = sent.locator('p');
    assert.equal(await english.getAttribute('lang'), 'en');
    const lines = (await english.innerText()).split('\n');
    assert.equal(lines.length, 3, lines.join(' | '));
    assert.match(lines[0]!, /^South African ID number: [^0-9]*9087$/, `the ID number masked, its label in English: ${lines[0]}`);
    assert.equal(lines[1], 'People in your household: 4');
    assert.match(lines[2]!, /^Monthly household income: R\s?3[\s\u00a0]?200(,00|\.00)?$/);
    await sent.getByText(/^As they saw it \(isiZulu\): /).waitFor();
    assert.equal(await sent.getByText(/^As they saw it \(isiZulu\): /).getAttribute('lang'), 'zu');
    await sent.getByText("Sent with the bot's buttons or form: its own words in English, not a translation").waitFor();
    assert.doesNotMatch(await sent.innerText(), /8001015009087/, 'the whole ID number nowhere on the page');

    await page.screenshot({ path: path.join(SCREENSHOTS, 'card-lines-tab.png'), fullPage: true });
    await expectAccessible(page, 'the case page with a card and a form answer in English');
    assert.deepEqual(errors, []);
  });
});
