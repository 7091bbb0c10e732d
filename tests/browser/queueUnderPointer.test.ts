/**
 * The queue tab while colleagues claim (tester 11, findings 3 and 8): the row under an expert's
 * pointer or keyboard focus stays where it is when cases above it leave the queue, so her click
 * claims the case she aimed at; and her own cases are at the top, not below the whole queue.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, signIn, startTestService, type ApiClient } from '../support/tabApi.js';

const definition = definitionWithAgents();
const display = (id: string) => `${id.slice(0, 3)}-${id.slice(3)}`;

describe('the queue tab keeps the row under the pointer in place while colleagues claim', function () {
  this.timeout(90_000);
  let db: CosmosContainers;
  let service: RunningService;
  let browser: TestBrowser;
  let sipho: ApiClient;
  let johan: ApiClient;

  before(async function () {
    requireChromium(this);
    browser = await launchChromium();
  });
  beforeEach(async () => {
    // Each test its own database: which cases wait, and in what order, is the point of each.
    db = await freshDatabase();
    service = await startTestService(db, definition);
    sipho = await signIn(service, 'sipho');
    johan = await signIn(service, 'johan');
  });
  afterEach(async () => {
    await service?.close();
  });
  after(async () => {
    await browser?.close();
  });

  const shot = (page: Page, name: string) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    return page.screenshot({ path: path.join(SCREENSHOTS, `queue-steady-${name}.png`) });
  };

  /** `count` billing cases, the first the oldest (a minute apart), their ids in queue order. */
  async function seedBilling(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await seedCase(db, definition, 'billing', { minutesAgo: 90 - i })).id);
    return ids;
  }

  async function signInAs(name: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => console.error(`page error (${name}):`, e.message));
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: new RegExp(`Sign in as ${name}`) }).click();
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    return page;
  }

  const queueTable = (page: Page) => page.getByRole('table', { name: 'Waiting cases, oldest first' });
  /** The reference of the queue row at a point of the page, if any. */
  const rowAt = async (page: Page, x: number, y: number) =>
    (await page.evaluate<string | null>(`document.elementFromPoint(${x}, ${y})?.closest('tr')?.getAttribute('data-reference') ?? null`)) ?? undefined;
  /** The reference of the queue row whose button is at a point of the page, if any. */
  const buttonRowAt = async (page: Page, x: number, y: number) =>
    (await page.evaluate<string | null>(`document.elementFromPoint(${x}, ${y})?.closest('button')?.closest('tr')?.getAttribute('data-reference') ?? null`)) ?? undefined;
  const scrollY = (page: Page) => page.evaluate<number>('window.scrollY');
  const assignedTo = async (id: string) => (await new CosmosCaseStore(db.cases).get(id))?.assignedTo?.staffId;

  it('a colleague claims three cases above the row under the pointer: they stay in place, greyed and "Taken by", and the click claims the aimed-at case; the list closes up once the pointer leaves', async () => {
    const ids = await seedBilling(14);
    const thandi = await signInAs('Thandi Mokoena');
    await thandi.getByTestId('waiting-count').filter({ hasText: '14 waiting' }).waitFor();

    // She points at the Claim button of the eighth case and does not move.
    const aimed = ids[7]!;
    const claim = thandi.getByRole('button', { name: `Claim case ${display(aimed)}` });
    await claim.scrollIntoViewIfNeeded();
    const box = (await claim.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await thandi.mouse.move(x, y);
    assert.equal(await rowAt(thandi, x, y), aimed, 'the pointer is on the aimed-at row');

    // Sipho (same skill) takes the three oldest, as his "Claim next" would.
    for (let i = 0; i < 3; i++) assert.equal((await sipho.post('/api/queue/claim-next', {})).status, 200);
    await thandi.getByTestId('waiting-count').filter({ hasText: '11 waiting' }).waitFor();
    await thandi.waitForTimeout(300);
    await shot(thandi, '1-colleague-claimed-three-above');
    assert.equal(await rowAt(thandi, x, y), aimed, 'the row under the pointer has not moved');
    // The three taken cases stay in their places, saying who took them, with no Claim button.
    for (const taken of ids.slice(0, 3)) {
      const row = queueTable(thandi).locator(`tr[data-reference="${taken}"]`);
      await row.getByText('Taken by Sipho Dlamini').waitFor({ timeout: 1000 });
      assert.equal(await row.getByRole('button', { name: `Claim case ${display(taken)}` }).count(), 0);
    }
    await expectAccessible(thandi, 'the queue with taken cases kept in place');

    await thandi.mouse.click(x, y);
    const casePage = thandi.getByTestId('case-page');
    await casePage.getByTestId('case-state').filter({ hasText: 'In progress' }).waitFor();
    assert.match(await casePage.locator('#case-title').innerText(), new RegExp(`Case ${display(aimed)}`), 'the case page is the aimed-at case');
    assert.equal(await assignedTo(aimed), 'thandi', 'she has the case she aimed at');
    assert.equal(await assignedTo(ids[8]!), undefined, 'not the one below it');
    assert.equal(await assignedTo(ids[3]!), undefined, 'nor the one three rows further up');

    // Once the pointer has left the list, it closes up: taken rows go, the oldest waiting comes first.
    await thandi.mouse.move(5, 5);
    await queueTable(thandi).getByText('Taken by Sipho Dlamini').first().waitFor({ state: 'detached', timeout: 6000 });
    const shown = await queueTable(thandi).locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-reference')));
    assert.deepEqual(shown, ids.filter((id, i) => i >= 3 && id !== aimed), 'the waiting cases, oldest first, and nothing else');
    await shot(thandi, '2-closed-up');
  });

  it('keyboard: focus stays on the case it is on when that case is taken and when cases above it go; Enter then claims the focused case', async () => {
    const ids = await seedBilling(10);
    const thandi = await signInAs('Thandi Mokoena');
    await thandi.getByTestId('waiting-count').filter({ hasText: '10 waiting' }).waitFor();
    // The pointer rests outside the list: only focus says where she is.
    await thandi.mouse.move(5, 5);
    /** Keyboard focus on a case's Claim button, reached with Tab from the case's reference. */
    const tabToClaim = async (id: string) => {
      await thandi.getByRole('button', { name: `Open case ${display(id)}` }).focus();
      await thandi.keyboard.press('Tab');
      assert.equal(await thandi.evaluate<string | null | undefined>(`document.activeElement?.getAttribute('aria-label')`), `Claim case ${display(id)}`);
    };
    const focusedRow = () => thandi.evaluate<string | undefined>(`document.activeElement?.closest('tr')?.getAttribute('data-reference') ?? document.activeElement?.tagName`);

    // Focus on the fifth case's Claim; Sipho takes exactly that case.
    const fifth = ids[4]!;
    await tabToClaim(fifth);
    assert.equal((await sipho.post(`/api/cases/${fifth}/claim`, {})).status, 200);
    await thandi.getByTestId('waiting-count').filter({ hasText: '9 waiting' }).waitFor();
    await thandi.waitForTimeout(300);
    assert.equal(await focusedRow(), fifth, 'focus stays on the taken case, not lost to the page or moved to another case');
    const focusedName = await thandi.evaluate<string | null | undefined>(`document.activeElement?.getAttribute('aria-label')`);
    assert.equal(focusedName, `Case ${display(fifth)} is taken by Sipho Dlamini`);
    await thandi.keyboard.press('Enter');
    await thandi.waitForTimeout(300);
    assert.equal(await assignedTo(fifth), 'sipho', 'Enter on a taken case does nothing');

    // She tabs on to the next case's Claim; Sipho takes the two oldest, above it.
    const sixth = ids[5]!;
    await tabToClaim(sixth);
    for (let i = 0; i < 2; i++) assert.equal((await sipho.post('/api/queue/claim-next', {})).status, 200);
    await thandi.getByTestId('waiting-count').filter({ hasText: '7 waiting' }).waitFor();
    await thandi.waitForTimeout(300);
    assert.equal(await focusedRow(), sixth);
    await shot(thandi, '3-keyboard-focus-kept');
    await thandi.keyboard.press('Enter');
    await thandi.getByTestId('case-page').getByTestId('case-state').filter({ hasText: 'In progress' }).waitFor();
    assert.equal(await assignedTo(sixth), 'thandi');
  });

  it('a row that comes under a still pointer all the same (a supervisor gives her cases from above it: her own list grows above the queue) is not claimed by the click', async () => {
    const ids = await seedBilling(12);
    const thandi = await signInAs('Thandi Mokoena');
    await thandi.getByTestId('waiting-count').filter({ hasText: '12 waiting' }).waitFor();
    const aimed = ids[6]!;
    const claim = thandi.getByRole('button', { name: `Claim case ${display(aimed)}` });
    await claim.scrollIntoViewIfNeeded();
    const box = (await claim.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await thandi.mouse.move(x, y);

    // Johan gives her cases from the top of the queue, one at a time, until another row's Claim is
    // under her still pointer (they leave the queue above her row, and her own list grows above it).
    let given = 0;
    let under: string | undefined = aimed;
    while (under === aimed || under === undefined) {
      assert.ok(given < 4, 'the queue moved under the pointer');
      const next = ids[given]!;
      assert.equal((await johan.post(`/api/supervisor/cases/${next}/assign`, { agentId: 'thandi' })).status, 200);
      given++;
      await thandi.getByTestId('my-cases').getByRole('listitem').nth(given - 1).waitFor();
      await thandi.waitForTimeout(300);
      under = await buttonRowAt(thandi, x, y);
    }
    await thandi.mouse.click(x, y);
    await thandi.getByRole('status').getByText(/nothing was claimed/).waitFor({ timeout: 2000 });
    await shot(thandi, '4-moved-under-pointer-refused');
    await expectAccessible(thandi, 'the queue with cases given to her kept in place');
    assert.equal(await assignedTo(under), undefined, `the case that moved under the pointer (${display(under)}) was not claimed`);
    assert.equal(await assignedTo(aimed), undefined);
  });

  it('"My cases" is at the top with 50 waiting, visible without scrolling; the queue scrolls in its own region', async () => {
    const ids = await seedBilling(52);
    // Two of her own cases in progress.
    const thandiApi = await signIn(service, 'thandi');
    for (const id of ids.slice(0, 2)) assert.equal((await thandiApi.post(`/api/cases/${id}/claim`, {})).status, 200);
    const thandi = await signInAs('Thandi Mokoena');
    await thandi.getByTestId('waiting-count').filter({ hasText: '50 waiting' }).waitFor();
    const mine = thandi.getByTestId('my-cases');
    await mine.getByRole('listitem').nth(1).waitFor();
    const viewport = thandi.viewportSize()!;
    const myBox = (await mine.boundingBox())!;
    assert.equal(await scrollY(thandi), 0);
    assert.ok(myBox.y + myBox.height <= viewport.height, `"My cases" ends at y=${Math.round(myBox.y + myBox.height)}, within the ${viewport.height} px window`);
    const myHeading = (await thandi.getByRole('heading', { name: 'My cases' }).boundingBox())!;
    const queueHeading = (await thandi.getByRole('heading', { name: 'My queue' }).boundingBox())!;
    assert.ok(myHeading.y < queueHeading.y, 'her own cases come before the queue');
    // The queue scrolls in its own region: the page itself is no longer than the window plus a little.
    const pageHeight = await thandi.evaluate<number>('document.documentElement.scrollHeight');
    assert.ok(pageHeight <= viewport.height + 200, `the page is ${pageHeight} px high with 50 waiting`);
    await thandi.getByRole('button', { name: `Claim case ${display(ids.at(-1)!)}` }).scrollIntoViewIfNeeded();
    assert.equal(await scrollY(thandi), 0, 'the last waiting case is reached by scrolling the queue, not the page');
    await thandi.screenshot({ path: path.join(SCREENSHOTS, 'queue-steady-5-my-cases-with-50-waiting.png') });
    await expectAccessible(thandi, 'the desk with 50 waiting and two cases of her own');
  });
});
