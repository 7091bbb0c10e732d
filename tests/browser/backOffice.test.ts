/**
 * The back-office view in Chromium (issue 19): a member of a back-office team signs in, sees
 * their team's open referrals soonest due first (an overdue one marked), opens one with the
 * session's transcript, is refused a date that is not later (the reason they typed stays in its
 * box), and marks it done; axe-core finds nothing on the list or the case page.
 */
import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { claimCase, resolveCase } from '../../bot/domain/case.js';
import { referralFor } from '../../bot/domain/followThrough.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, startTestService } from '../support/tabApi.js';

const DAY = 86_400_000;

describe('the back-office view in Chromium', function () {
  this.timeout(60_000);
  // The pilot's Zanele Khumalo works the revenue back office.
  const definition: ServiceDefinition = definitionWithAgents();
  let service: RunningService;
  let browser: TestBrowser;
  let overdue: string;
  let later: string;

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    const store = new CosmosCaseStore(db.cases);
    const thandi = { id: 'thandi', name: 'Thandi Mokoena' };
    const by = { kind: 'staff' as const, ...thandi };
    // One referred 20 days ago (overdue: the pilot gives 14), one today.
    for (const [daysAgo, keep] of [[20, (id: string) => (overdue = id)], [0, (id: string) => (later = id)]] as const) {
      const c = await seedCase(db, definition, 'billing');
      const at = new Date(Date.now() - daysAgo * DAY);
      const stored = (await store.get(c.id))!;
      const referred = resolveCase(claimCase(stored, at, thandi), at, by, { kind: 'referred_back_office', summary: 'Refund check' }, 365, false, referralFor(definition, 'billing', at));
      await store.replace({ ...referred, transcript: [{ id: 't1', at: at.toISOString(), from: 'ratepayer', author: 'Lerato M', text: 'My March bill is <b>wrong</b>' }], etag: stored.etag });
      keep(c.id);
    }
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it("lists the team's referrals soonest due first, opens one, keeps what was typed when refused, and marks it done; accessible", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Zanele Khumalo/ }).click();
    await page.getByRole('button', { name: 'Back office', exact: true }).click();
    const table = page.getByRole('table', { name: 'Open referrals, soonest due first' });
    await table.waitFor();
    const rows = await table.getByRole('row').allInnerTexts();
    assert.match(rows[1]!, new RegExp(`${overdue.slice(0, 3)}-${overdue.slice(3)}[\\s\\S]*Overdue`));
    assert.match(rows[2]!, new RegExp(`${later.slice(0, 3)}-${later.slice(3)}[\\s\\S]*Open`));
    await expectAccessible(page, 'back-office list');

    await page.getByRole('button', { name: `Open case ${overdue.slice(0, 3)}-${overdue.slice(3)}` }).click();
    await page.getByRole('heading', { name: new RegExp(`Case ${overdue.slice(0, 3)}-${overdue.slice(3)}`) }).waitFor();
    await page.getByRole('log', { name: 'Transcript' }).getByText('My March bill is <b>wrong</b>').waitFor();
    await expectAccessible(page, 'back-office case page');

    await page.getByLabel('New due date').fill('2000-01-01');
    await page.getByLabel(/Why more time is needed/).fill('Waiting for the meter team');
    await page.getByRole('button', { name: 'Needs more time' }).click();
    await page.getByRole('alert').getByText(/must be after the current one/).waitFor();
    assert.equal(await page.getByLabel(/Why more time is needed/).inputValue(), 'Waiting for the meter team', 'what was typed is kept');

    await page.getByLabel(/What was decided/).fill('A credit of R1 200 was passed.');
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await page.getByRole('status').getByText('Done: the ratepayer was sent the receipt.').waitFor();
    await page.getByRole('button', { name: `Open case ${overdue.slice(0, 3)}-${overdue.slice(3)}` }).waitFor({ state: 'detached' });
    await expectAccessible(page, 'back-office case done');
  });
});
