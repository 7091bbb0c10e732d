/**
 * The supervisor view's words (tester report, rough edges): counts with their plural right ("1
 * case", not "1 cases"), percentages one way, as the City writes them ("90 %"), the chart legend
 * in sentence case like every other label, and every bar of the wait histogram with its label.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, signIn, startTestService } from '../support/tabApi.js';

describe('the supervisor view\'s words in Chromium', function () {
  this.timeout(60_000);
  let service: RunningService;
  let browser: TestBrowser;
  let page: Page;

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    const definition = definitionWithAgents();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    await seedCase(db, definition, 'billing', { minutesAgo: 2 });
    browser = await launchChromium();
    // A wide screen: the wait chart's bars stand upright, labelled beneath (from about 1010 to 1340 px, where the charts share a row, they lie down).
    page = await (await browser.newContext()).newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Johan van der Merwe/ }).click();
    await page.getByRole('button', { name: 'Supervisor view' }).click();
    await page.getByTestId('wait-chart').locator('.fui-cart__xAxis text').first().waitFor();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it('says "1 case" for one case and writes every percentage as "90 %"', async () => {
    const view = page.getByTestId('supervisor-view');
    const report = await view.getByText(/Session report so far/).innerText();
    assert.match(report, /Session report so far: 1 case,/);
    const text = await view.innerText();
    assert.doesNotMatch(text, /\b1 (cases|agents|minutes)\b/, 'a singular count with a plural noun');
    assert.doesNotMatch(text, /\d%/, 'a percentage without the space the City writes');
    // Nobody taken yet: said so, not "90 % waited under – min" (tester 7, finding 12: a percentile of a handful read as a share of people);
    // the case waiting now is named, with its wait so far (tester 8).
    assert.match(report, /Session report so far: 1 case, waits: nobody taken yet, 1 still waiting \([23] min so far\), satisfaction no answers yet\./);
    assert.doesNotMatch(report, /90 %|– min/);
  });

  it('writes the chart legend in sentence case, as typed', async () => {
    const legend = page.getByTestId('wait-chart').locator('.fui-legend__text');
    await legend.first().waitFor();
    assert.deepEqual(await legend.allInnerTexts(), ['Taken by an expert', 'Still waiting or left']);
  });

  it('labels every bar of the wait histogram, the first (0–5 min) included', async () => {
    const johan = await signIn(service, 'johan');
    const labels = ((await johan.get('/api/supervisor/overview')).body.waits as { label: string }[]).map((b) => b.label);
    assert.ok(labels.length >= 5);
    const ticks = (await page.getByTestId('wait-chart').locator('.fui-cart__xAxis .tick').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    const shown = ticks.join(' | ');
    for (const label of labels) assert.ok(ticks.some((t) => t.replace(/\s/g, '') === label.replace(/\s/g, '')), `"${label}" has no label under its bar (shown: ${shown})`);
    await page.getByTestId('wait-chart').screenshot({ path: path.join(SCREENSHOTS, 'supervisor-wait-chart.png') });
    await expectAccessible(page, 'the supervisor view');
  });
});
