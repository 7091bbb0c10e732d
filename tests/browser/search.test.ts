/**
 * The tab's search in Chromium: an account number goes in a POST body, never in a URL the page
 * requests, and an agent sees a household's cases of other categories only as "Another case,
 * not in your categories".
 */
import assert from 'node:assert/strict';
import type { RunningService } from '../../bot/service.js';
import { launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, startTestService } from '../support/tabApi.js';

describe('the tab\'s search in Chromium', function () {
  this.timeout(60_000);
  const definition = definitionWithAgents();
  let service: RunningService;
  let browser: TestBrowser;
  let metering: { id: string };

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
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
});
