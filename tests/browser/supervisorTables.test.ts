/**
 * The supervisor view's tables and the wait chart's labels as a supervisor sees them in Chromium
 * (tester 9, findings 5 and 6). At 320 px every column of the per-category and follow-through
 * tables can be read without scrolling sideways: each row is a block of "label value" lines; at
 * 1400 px they are the tables they were, a row a line under a visible header. The wait chart's
 * bars are labelled "5–10 min" … "over 60 min", each label one line, not "5–10" over "min".
 * Screenshots: screenshots/supervisor-tables-*.png.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, startTestService } from '../support/tabApi.js';

const TABLES = ['Queues now', 'Follow-through per category and per expert'] as const;
/** The columns of each (Queues now counts referrals and the not resolved apart from the resolved, tester 10's finding 14 and tester 11's finding 7). */
const COLUMNS: Record<(typeof TABLES)[number], number> = { 'Queues now': 9, 'Follow-through per category and per expert': 7 };
const WAIT_LABELS = ['0–5 min', '5–10 min', '10–15 min', '15–20 min', '20–30 min', '30–45 min', '45–60 min', 'over 60 min'];

type Box = { x: number; y: number; width: number; height: number };

describe("the supervisor view's tables and wait labels in Chromium (tester 9, findings 5 and 6)", function () {
  this.timeout(120_000);
  let service: RunningService;
  let browser: TestBrowser;

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    const definition = definitionWithAgents();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    // One waiting 12 minutes (a longest wait in the table, a bar at "10–15 min"), one 3 minutes.
    for (const minutesAgo of [12, 3]) await seedCase(db, definition, 'billing', { minutesAgo });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  async function supervisorAt(width: number): Promise<Page> {
    const page = await (await browser.browser.newContext({ viewport: { width, height: 900 } })).newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Johan van der Merwe/ }).click();
    await page.getByRole('button', { name: 'Supervisor view' }).click();
    for (const name of TABLES) await page.getByRole('table', { name }).waitFor();
    await page.getByTestId('wait-chart').locator('svg, ul').first().waitFor();
    // Let the tables and charts settle at their boxes' widths (measured after the first paint).
    await page.waitForTimeout(1000);
    return page;
  }

  /** A table's column headers and, per body row, its cells. */
  async function tableOf(page: Page, name: string): Promise<{ table: Locator; headers: string[]; rows: Locator[] }> {
    const table = page.getByRole('table', { name });
    const headers = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim());
    const rows = (await table.getByRole('row').all()).slice(1);
    return { table, headers, rows };
  }

  it('at 320 px every value of every row is on screen, under its column\'s label, and the page does not scroll sideways', async () => {
    const page = await supervisorAt(320);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'supervisor-tables-320.png'), fullPage: true });
    for (const name of TABLES) {
      const { table, headers, rows } = await tableOf(page, name);
      await table.screenshot({ path: path.join(SCREENSHOTS, `supervisor-table-320-${name.split(' ')[0]!.toLowerCase()}.png`) });
      assert.equal(headers.length, COLUMNS[name], `${name}: ${COLUMNS[name]} columns for a screen reader (${headers.join(', ')})`);
      assert.ok(rows.length >= 5, `${name}: a row per category at least`);
      for (const row of rows) {
        const cells = await row.getByRole('cell').all();
        assert.equal(cells.length, COLUMNS[name], `${name}: a cell per column`);
        const rowName = (await cells[0]!.innerText()).trim();
        for (const [i, cell] of cells.entries()) {
          const text = (await cell.innerText()).replace(/\s+/g, ' ').trim();
          const where = `${name}, "${rowName}", ${headers[i]}`;
          // The value, with its column's label beside it (the first cell names the row).
          if (i > 0) assert.ok(text.startsWith(`${headers[i]} `) && text.length > headers[i]!.length + 1, `${where}: label and value (${text})`);
          const value = i === 0 ? cell : cell.locator('span').last();
          assert.ok(await value.isVisible(), `${where}: visible`);
          const box = (await value.boundingBox())!;
          assert.ok(box.x >= 0 && box.x + box.width <= 320, `${where}: within the screen (${Math.round(box.x)}–${Math.round(box.x + box.width)} px)`);
        }
      }
    }
    assert.ok((await page.evaluate('document.documentElement.scrollWidth')) as number <= 320, 'no horizontal scroll at 320 px');
    // No box scrolls sideways with something hidden in it.
    const hidden = await page.evaluate(`[...document.querySelectorAll('[role=region]')].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.getAttribute('aria-label'))`);
    assert.deepEqual(hidden, [], 'no table box scrolls sideways');
    await expectAccessible(page, 'the supervisor view at 320 px');
  });

  it('at 1400 px the tables are tables: a header row on screen, each row on one line, no labels beside the values', async () => {
    const page = await supervisorAt(1400);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'supervisor-tables-1400.png'), fullPage: true });
    for (const name of TABLES) {
      const { table, headers, rows } = await tableOf(page, name);
      assert.equal(await table.evaluate((el: any) => el.ownerDocument.defaultView.getComputedStyle(el).display as string), 'table', `${name}: laid out as a table`);
      const heads = await table.getByRole('columnheader').all();
      const headTops = new Set<number>();
      for (const h of heads) {
        const box = (await h.boundingBox())!;
        assert.ok(box.width > 20 && box.height > 10 && box.x + box.width <= 1400, `${name}: the header is on screen`);
        headTops.add(Math.round(box.y));
      }
      assert.equal(headTops.size, 1, `${name}: the headers on one line`);
      for (const row of rows) {
        const cells = await row.getByRole('cell').all();
        const tops = new Set<number>();
        for (const [i, cell] of cells.entries()) {
          tops.add(Math.round((await cell.boundingBox())!.y));
          assert.doesNotMatch((await cell.innerText()).trim(), new RegExp(`^${headers[i]}\\b`), `${name}: no label in the cell`);
        }
        assert.equal(tops.size, 1, `${name}: a row on one line`);
      }
    }
    await expectAccessible(page, 'the supervisor view at 1400 px');
  });

  // 680 px: the wait card's content is 624 px wide, just above where its bars lie down (LYING_BARS_BELOW).
  for (const width of [1400, 680]) {
    it(`at ${width} px the wait chart's labels read "5–10 min" … "over 60 min", each on one line, none over another`, async () => {
      const page = await supervisorAt(width);
      const chart = page.getByTestId('wait-chart');
      await chart.screenshot({ path: path.join(SCREENSHOTS, `supervisor-wait-labels-${width}.png`) });
      const ticks = chart.locator('.fui-cart__xAxis .tick text');
      const labels: { text: string; box: Box }[] = [];
      for (const t of await ticks.all()) labels.push({ text: (await t.textContent()) ?? '', box: (await t.boundingBox())! });
      assert.deepEqual(
        labels.map((l) => l.text),
        WAIT_LABELS,
        'the bars\' labels as the page text reads them',
      );
      const lineHeight = Math.min(...labels.map((l) => l.box.height));
      for (const l of labels) assert.ok(l.box.height < 1.5 * lineHeight, `"${l.text}" is one line (${l.box.height} px high)`);
      const card = (await chart.boundingBox())!;
      for (const l of labels) assert.ok(l.box.x >= card.x && l.box.x + l.box.width <= card.x + card.width, `"${l.text}" is within the card`);
      // Apart: at least 4 px between one label and the next.
      for (let i = 1; i < labels.length; i++) {
        const [a, b] = [labels[i - 1]!, labels[i]!];
        assert.ok(a.box.x + a.box.width + 4 <= b.box.x, `"${a.text}" and "${b.text}" run into each other (${Math.round(a.box.x + a.box.width)} and ${Math.round(b.box.x)} px)`);
      }
    });
  }
});
