/**
 * The tab's search in Chromium: an account number goes in a POST body, never in a URL the page
 * requests, and an agent sees a household's cases of other categories only as "Another case,
 * not in your categories". Its messages are in the agent's terms (no field codes; a name searched
 * is told what can be searched), and the status line says what happened last, not what the agent
 * did before someone else changed the case.
 */
import assert from 'node:assert/strict';
import type { RunningService } from '../../bot/service.js';
import { launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, signIn, startTestService } from '../support/tabApi.js';

describe('the tab\'s search in Chromium', function () {
  this.timeout(60_000);
  const definition = definitionWithAgents();
  let service: RunningService;
  let browser: TestBrowser;
  let metering: { id: string };
  let db: Awaited<ReturnType<typeof freshDatabase>>;

  before(async function () {
    requireChromium(this);
    db = await freshDatabase();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    await seedCase(db, definition, 'indigent', { minutesAgo: 30 });
    metering = await seedCase(db, definition, 'metering', { minutesAgo: 5 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it('searches an account by POST and shows a case outside the agent\'s categories as nothing but that', async () => {
    const page = await (await browser.newContext()).newPage();
    const requests: { method: string; url: string; body: string | null }[] = [];
    page.on('request', (r) => requests.push({ method: r.method(), url: r.url(), body: r.postData() }));
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Anele Khumalo/ }).click();
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    await page.getByLabel('Find a case by reference or account number').fill('501 234 567');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const results = page.getByRole('table', { name: 'Search results' });
    await results.waitFor();
    await results.getByText('Another case, not in your categories').waitFor();
    const text = await results.innerText();
    assert.match(text, new RegExp(`${metering.id.slice(0, 3)}-${metering.id.slice(3)}`));
    assert.doesNotMatch(text, /indigent|Indigent|ESP/);
    const search = requests.find((r) => new URL(r.url).pathname === '/api/search');
    assert.equal(search?.method, 'POST');
    assert.match(search?.body ?? '', /501234567/);
    for (const r of requests) assert.ok(!/501\D?234\D?567/.test(decodeURIComponent(r.url)), `a URL carries the account number: ${r.url}`);
  });

  it('shows a referral the back office finished apart from the expert\'s referral, and every expert who handled it, in the results and on the case page (tester 8)', async () => {
    // Thandi takes a billing case and hands it back, Sipho takes it and refers it, the back office (Zanele) finishes it.
    const billing = await seedCase(db, definition, 'billing', { minutesAgo: 20 });
    const [thandi, sipho, zanele] = await Promise.all(['thandi', 'sipho', 'zanele'].map((id) => signIn(service, id)));
    assert.equal((await thandi!.post(`/api/cases/${billing.id}/claim`)).status, 200);
    assert.equal((await thandi!.post(`/api/cases/${billing.id}/release`, {})).status, 200);
    assert.equal((await sipho!.post(`/api/cases/${billing.id}/claim`)).status, 200);
    assert.equal((await sipho!.post(`/api/cases/${billing.id}/resolve`, { outcome: 'referred_back_office', summary: 'The March reading needs checking.' })).status, 200);
    assert.equal((await zanele!.post(`/api/back-office/referrals/${billing.id}/done`, { outcome: 'resolved', summary: 'Reading corrected.' })).status, 200);

    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Johan van der Merwe/ }).click();
    const shown = `${billing.id.slice(0, 3)}-${billing.id.slice(3)}`;
    await page.getByLabel('Find a case by reference or account number').fill(shown);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const row = page.getByRole('table', { name: 'Search results' }).getByRole('row').filter({ hasText: shown });
    await row.waitFor();
    const cells = await row.getByRole('cell').allInnerTexts();
    assert.equal(cells[2], 'Referred to the back office (Revenue back office) · Back office: Resolved · Thandi Mokoena, Sipho Dlamini');
    await row.getByText(shown, { exact: true }).click();
    await page.getByTestId('case-state').waitFor();
    const caption = page.getByText(/^Handled by /);
    assert.match(await caption.innerText(), /^Handled by Thandi Mokoena, Sipho Dlamini · In the queue since .* · Referred to the back office \(Revenue back office\) · Back office: Resolved$/);
    await page.getByRole('heading', { name: "Outcome: Revenue back office's decision" }).waitFor();
  });

  it('says what went wrong in the agent\'s terms: no field code, and what can be searched when a name is typed', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Anele Khumalo/ }).click();
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    const box = page.getByLabel('Find a case by reference or account number');
    const alert = page.getByRole('search').locator('..').getByRole('alert');
    await box.fill('50123');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await alert.getByText('An account number has 9 digits.').waitFor();
    assert.doesNotMatch(await alert.innerText(), /account:/, 'no field code before the message');
    await box.fill('Lerato');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await alert.getByText(/names cannot be searched/).waitFor();
    const said = await alert.innerText();
    assert.match(said, /“Lerato” is not a case reference or an account number/);
    assert.match(said, /like K7M-3PQ/);
    assert.match(said, /9-digit account number/);
    assert.doesNotMatch(said, /reference:/);
  });

  it('the status line says what happened last: a search clears "Note added", a supervisor giving the case back replaces "back in its queue"', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Anele Khumalo/ }).click();
    await page.getByText('Live', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Claim next' }).click();
    const ref = `${metering.id.slice(0, 3)}-${metering.id.slice(3)}`;
    await page.getByTestId('case-state').filter({ hasText: 'In progress' }).waitFor();
    const status = page.getByRole('status').filter({ hasText: /case|Case|Note/ });
    await page.getByLabel('Add a note').fill('Meter photo received.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await status.getByText(`Note added to ${ref}.`).waitFor();
    await page.getByLabel('Find a case by reference or account number').fill('Lerato');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText(/names cannot be searched/).waitFor();
    assert.equal(await page.getByText(`Note added to ${ref}.`).count(), 0, 'the earlier status is gone once a search is made');

    await page.getByRole('button', { name: 'Release to queue…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Release', exact: true }).click();
    await page.getByText(`Case ${ref} is back in its queue, in its old place.`).waitFor();
    const johan = await signIn(service, 'johan');
    assert.equal((await johan.post(`/api/supervisor/cases/${metering.id}/assign`, { agentId: 'anele' })).status, 200);
    await page.getByText(`Case ${ref} is yours now: Johan van der Merwe gave it to you.`).waitFor({ timeout: 5000 });
    assert.equal(await page.getByText('is back in its queue').count(), 0, 'the release message is replaced');
    await page.getByTestId('case-state').filter({ hasText: 'In progress' }).waitFor();
  });
});
