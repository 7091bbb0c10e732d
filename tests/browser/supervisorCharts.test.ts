/**
 * The supervisor view's charts on a phone (320 px wide), as a supervisor sees them (tester 8,
 * findings 6 and 7): the queue chart shows a queue of two that lasted under a minute, its time axis
 * starts near the first case rather than at the all-day session's 00:00 and its labels do not run
 * into each other; the wait chart labels every bar and shows both legends, none folded away.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { openSessionAt } from '../../bot/domain/calendar.js';
import { claimCase, openCase, type Case } from '../../bot/domain/case.js';
import { referenceFromSeed } from '../../bot/domain/reference.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, startTestService } from '../support/tabApi.js';

const definition = definitionWithAgents();
const MINUTE = 60_000;

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * The boxes of the visible texts of an axis's tick labels, with their words, read in one go inside
 * the page: the view redraws every 10 seconds, and reading each label's text and box as separate
 * steps could pair one drawing's text with the next one's box (a run here measured "22:00" where
 * "22:06" stood).
 */
async function tickLabels(chart: Locator, axis: 'x' | 'y'): Promise<{ text: string; box: Box }[]> {
  const all = await chart.locator(`.fui-cart__${axis}Axis .tick text`).evaluateAll((texts) =>
    texts.map((t) => {
      const r = t.getBoundingClientRect();
      return { text: (t.textContent ?? '').replace(/\s+/g, ' ').trim(), box: { x: r.x, y: r.y, width: r.width, height: r.height } };
    }),
  );
  return all.filter((t) => t.box.width > 0 && t.text);
}

describe('the supervisor view\'s charts at 320 px in Chromium (tester 8, findings 6 and 7)', function () {
  this.timeout(90_000);
  let service: RunningService;
  let browser: TestBrowser;
  let page: Page;
  /** When the first case joined and the two cases waited together (epoch ms). */
  let firstJoined: number;
  /** The service's now (epoch ms): the real one, or ahead of it just after midnight (see before). */
  let clockNow: () => number = () => Date.now();

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    // Just after midnight the 12 minutes before now fall in yesterday's session, which today's chart
    // rightly leaves out: then the service's clock runs ahead, far enough for them to be today's.
    const opened = openSessionAt(definition, new Date())!.opensAt.getTime();
    const ahead = Math.max(0, opened + 13 * MINUTE - Date.now());
    clockNow = () => Date.now() + ahead;
    service = await startTestService(db, definition, { scheduler: { start: false }, clock: { now: () => new Date(clockNow()) } });
    const session = openSessionAt(definition, new Date(clockNow()))!;
    // Two cases wait together for 40 seconds, placed between two 5-minute marks so that no
    // sampling every 5 (or 15, or 30) minutes can fall on it; one of them waits 4 minutes more.
    const mark = Math.floor((clockNow() - 12 * MINUTE) / (5 * MINUTE)) * 5 * MINUTE;
    firstJoined = mark + 1 * MINUTE;
    // A third case joined 3 minutes ago and still waits.
    const plan: { joined: number; taken?: number }[] = [
      { joined: firstJoined, taken: mark + 2 * MINUTE + 40_000 },
      { joined: mark + 2 * MINUTE, taken: mark + 6 * MINUTE },
      { joined: clockNow() - 3 * MINUTE },
    ];
    const store = new CosmosCaseStore(db.cases);
    for (const p of plan) {
      const draftId = randomUUID();
      let c: Case = openCase({
        reference: referenceFromSeed(draftId, 0),
        programmeId: definition.programme.id,
        category: 'billing',
        region: 'B',
        sessionId: session.id,
        draftId,
        ratepayer: { userId: `29:${draftId}`, displayName: 'Lerato Molefe', conversationId: `a:${draftId}`, channelId: 'msteams' },
        intake: { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', description: 'help' },
        now: new Date(p.joined),
      });
      if (p.taken) c = claimCase(c, new Date(p.taken), { id: 'sipho', name: 'Sipho Dlamini' });
      assert.ok((await store.create(c)).created);
    }
    browser = await launchChromium();
    page = await (await browser.browser.newContext({ viewport: { width: 320, height: 900 } })).newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Johan van der Merwe/ }).click();
    await page.getByRole('button', { name: 'Supervisor view' }).click();
    await page.getByTestId('queue-chart').locator('.fui-cart__xAxis text').first().waitFor();
    await page.getByTestId('wait-chart').locator('svg, ul').first().waitFor();
    // Let the charts settle at the card's width (they measure it after the first paint).
    await page.waitForTimeout(1000);
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it('the queue chart draws the two cases that waited together for 40 seconds, and its time labels start near the first case and stay apart', async () => {
    const chart = page.getByTestId('queue-chart');
    await chart.screenshot({ path: path.join(SCREENSHOTS, 'supervisor-queue-chart-320.png') });
    const counts = await tickLabels(chart, 'y');
    const two = counts.find((t) => t.text === '2');
    assert.ok(two, `the count axis reaches 2 (ticks: ${counts.map((t) => t.text).join(', ')})`);
    // The line itself rises to the "2" tick: its highest point is level with that label.
    const line = chart.locator('svg path[stroke-linecap]');
    const tops: number[] = [];
    for (const l of await line.all()) {
      const box = await l.boundingBox();
      if (box && box.width > 20) tops.push(box.y);
    }
    assert.ok(tops.length > 0, 'a line is drawn');
    const middleOfTwo = two!.box.y + two!.box.height / 2;
    assert.ok(Math.min(...tops) <= middleOfTwo + 2, `the line reaches 2 (its top at ${Math.min(...tops)}, the "2" label at ${middleOfTwo})`);

    const times = await tickLabels(chart, 'x');
    assert.ok(times.length >= 2, `the time axis has labels (${times.map((t) => t.text).join(', ')})`);
    // The session is open all day (00:00–24:00): the axis starts near the first case, not at 00:00.
    const session = openSessionAt(definition, new Date(clockNow()))!;
    const clock = (at: number) => new Date(at).toLocaleTimeString('en-GB', { timeZone: definition.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const expectedStart = firstJoined - session.opensAt.getTime() > 60 * MINUTE ? Math.floor(firstJoined / (5 * MINUTE)) * 5 * MINUTE : session.opensAt.getTime();
    assert.equal(times[0]!.text, clock(expectedStart), `the first label (${times.map((t) => t.text).join(', ')})`);
    for (let i = 1; i < times.length; i++) assert.ok(!overlaps(times[i - 1]!.box, times[i]!.box), `"${times[i - 1]!.text}" and "${times[i]!.text}" overlap`);
  });

  it('the wait chart labels every bar, the labels apart, and shows both legends without "+2 more"', async () => {
    const chart = page.getByTestId('wait-chart');
    await chart.screenshot({ path: path.join(SCREENSHOTS, 'supervisor-wait-chart-320.png') });
    const expected = ['0–5 min', '5–10 min', '10–15 min', '15–20 min', '20–30 min', '30–45 min', '45–60 min', 'over 60 min'];
    // Each label as a visible text of its own in the chart (under an upright bar, or above a lying one).
    const labels: { text: string; box: Box }[] = [];
    for (const text of expected) {
      const found = chart.getByText(text, { exact: true });
      assert.equal(await found.count(), 1, `"${text}" is shown once (the chart shows: ${(await chart.innerText()).replace(/\s+/g, ' ')})`);
      assert.ok(await found.isVisible(), `"${text}" is visible`);
      labels.push({ text, box: (await found.boundingBox())! });
    }
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++) assert.ok(!overlaps(labels[i]!.box, labels[j]!.box), `"${labels[i]!.text}" and "${labels[j]!.text}" overlap`);
    // The first bucket's bar: two taken (green) and one still waiting (amber), side by side; its count says 3.
    const first = chart.getByRole('listitem').filter({ hasText: /^0–5 min/ });
    assert.match((await first.innerText()).replace(/\s+/g, ' '), /^0–5 min 3\b/);
    const [taken, waiting] = [(await first.locator('[data-kind="served"]').boundingBox())!, (await first.locator('[data-kind="notServed"]').boundingBox())!];
    assert.ok(Math.abs(taken.width - 2 * waiting.width) <= 2 && waiting.width > 10, `the bar's parts are to scale (${taken.width} and ${waiting.width} px)`);
    const card = (await chart.boundingBox())!;
    for (const l of labels) assert.ok(l.box.x >= card.x && l.box.x + l.box.width <= card.x + card.width, `"${l.text}" is within the card`);
    for (const legend of ['Taken by an expert', 'Still waiting or left']) {
      const shown = chart.getByText(legend, { exact: true });
      assert.equal(await shown.count(), 1, `the legend "${legend}" is shown once`);
      assert.ok(await shown.isVisible(), `the legend "${legend}" is visible`);
    }
    assert.doesNotMatch(await chart.innerText(), /more/, 'no legend folded into "+N more"');
    // The page does not scroll sideways.
    assert.ok((await page.evaluate('document.documentElement.scrollWidth')) as number <= 320, 'no horizontal scroll at 320 px');
    await expectAccessible(page, 'the supervisor view at 320 px');
  });
});
