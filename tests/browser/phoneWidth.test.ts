/**
 * The tab at phone width (360 × 740, tester report bug 9): no page wider than the screen, badges
 * that hold their text, and case references and account numbers never broken across lines — on
 * the agent's desk with a case open and on the supervisor view; no text running out of its table
 * cell over the next. Tables too wide for the screen
 * scroll inside their own box. Screenshots: screenshots/phone-*.png.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningService } from '../../bot/service.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, startTestService } from '../support/tabApi.js';

/**
 * What does not fit at this width: the page's overflow, text spilling out of its box in the
 * header and badges, and each reference (K7M-3PQ) or account number (nine digits) drawn on more
 * than one line.
 */
const PROBLEMS = `(() => {
  const problems = [];
  if (document.documentElement.scrollWidth > innerWidth) problems.push('page is ' + document.documentElement.scrollWidth + ' px wide on a ' + innerWidth + ' px screen');
  for (const el of document.querySelectorAll('.fui-Badge')) {
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) problems.push('badge "' + el.textContent + '" spills out of its box');
  }
  // Text wider than its table cell runs over the next one (fixed table layout).
  for (const el of document.querySelectorAll('th, td')) {
    if (el.scrollWidth > el.clientWidth + 1) problems.push('"' + el.textContent + '" runs out of its table cell');
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const token = /\\b(?:[A-Z0-9]{3}-[A-Z0-9]{3}|\\d{9})\\b/g;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(token)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) problems.push('"' + m[0] + '" is broken over ' + lines.size + ' lines');
    }
  }
  return problems;
})()`;

describe('the tab at phone width (360 px) in Chromium', function () {
  this.timeout(90_000);
  let service: RunningService;
  let browser: TestBrowser;

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    const definition = definitionWithAgents();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    for (const minutesAgo of [40, 12, 3]) await seedCase(db, definition, 'billing', { minutesAgo });
    await seedCase(db, definition, 'credit-control', { minutesAgo: 8 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  async function signInAs(name: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: new RegExp(`Sign in as ${name}`) }).click();
    await page.getByText('Live', { exact: true }).waitFor();
    return page;
  }
  const problems = (page: Page) => page.evaluate<string[]>(PROBLEMS);
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `phone-${name}.png`), fullPage: true });

  it('the agent\'s desk and an open case fit the screen, references and account numbers whole', async () => {
    const tab = await signInAs('Thandi Mokoena');
    await tab.getByTestId('waiting-count').filter({ hasText: /^[1-9] waiting$/ }).waitFor();
    await shot(tab, 'desk');
    assert.deepEqual(await problems(tab), [], 'the desk at 360 px');
    await tab.getByRole('button', { name: 'Claim next' }).click();
    await tab.getByTestId('case-state').filter({ hasText: 'In progress' }).waitFor();
    await tab.getByRole('table', { name: 'Earlier cases on this account' }).waitFor();
    await shot(tab, 'case');
    assert.deepEqual(await problems(tab), [], 'the case page at 360 px');
  });

  it('the supervisor view fits the screen (its tables scroll in their own box), references whole', async () => {
    const tab = await signInAs('Johan van der Merwe');
    await tab.getByRole('button', { name: 'Supervisor view' }).click();
    await tab.getByRole('table', { name: 'Queues now' }).waitFor();
    await tab.getByRole('list', { name: 'Waiting cases' }).getByRole('listitem').first().waitFor();
    await shot(tab, 'supervisor');
    assert.deepEqual(await problems(tab), [], 'the supervisor view at 360 px');
  });
});
