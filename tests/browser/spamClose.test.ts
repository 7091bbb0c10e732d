/**
 * "Close as spam" in the supervisor view (issue 17): two steps ("Keep" closes nothing), then the
 * case leaves the waiting list, closed as spam through the lifecycle with the supervisor audited.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, startTestService } from '../support/tabApi.js';

describe('Close as spam in the supervisor view, in Chromium', function () {
  this.timeout(60_000);
  let service: RunningService;
  let browser: TestBrowser;
  let page: Page;
  let cases: CosmosCaseStore;
  let reference: string;

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    cases = new CosmosCaseStore(db.cases);
    const definition = definitionWithAgents();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    reference = (await seedCase(db, definition, 'billing', { minutesAgo: 2 })).id;
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Johan van der Merwe/ }).click();
    await page.getByRole('button', { name: 'Supervisor view' }).click();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it('asks before closing; "Keep" closes nothing', async () => {
    await page.getByRole('button', { name: /^Close as spam: case / }).waitFor();
    await expectAccessible(page, 'the supervisor view with "Close as spam"');
    await page.getByRole('button', { name: /^Close as spam: case / }).click();
    await expectAccessible(page, 'the supervisor view asking to confirm a spam close');
    await page.getByRole('button', { name: 'Keep' }).click();
    assert.equal((await cases.get(reference))?.state, 'waiting');
  });

  it('closes the case as spam on confirming: off the waiting list, audited', async () => {
    await page.getByRole('button', { name: /^Close as spam: case / }).click();
    await page.getByRole('button', { name: /^Confirm close: case .* as spam/ }).click();
    await page.getByText(/was closed as spam/).waitFor();
    const closed = await cases.get(reference);
    assert.equal(closed?.state, 'cancelled');
    assert.equal(closed?.closedAs, 'spam');
    assert.equal(closed?.audit.at(-1)?.by.id, 'johan');
    await page.getByText('Nobody is waiting.').waitFor();
  });
});
