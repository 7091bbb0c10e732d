/**
 * Tester 10, finding 14: the Resolve dialog in Chromium. A refusal of the resolution (a referral's
 * due date in the past) shows inside the dialog, in an element announced to screen readers
 * (role="alert"), not in the page's banner behind the modal; the dialog stays open with what was
 * typed, and the corrected date goes through. The dialog says the Summary reaches the ratepayer.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, startTestService } from '../support/tabApi.js';

describe('the Resolve dialog in Chromium: its errors inside it, and who reads the summary', function () {
  this.timeout(90_000);
  let service: RunningService;
  let browser: TestBrowser;
  let tab: Page;
  let ref: string;

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    const definition = definitionWithAgents();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    const seeded = await seedCase(db, definition, 'billing', { minutesAgo: 5 });
    ref = `${seeded.id.slice(0, 3)}-${seeded.id.slice(3)}`;
    browser = await launchChromium();
    tab = await (await browser.newContext()).newPage();
    await tab.goto(service.tabUrl);
    await tab.getByRole('button', { name: /Sign in as Thandi Mokoena/ }).click();
    await tab.getByText('Live', { exact: true }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it('shows a past due date\'s refusal inside the dialog, announced, and says the ratepayer receives the summary', async () => {
    await tab.getByRole('button', { name: `Open case ${ref}` }).click();
    await tab.getByRole('button', { name: 'Claim this case' }).click();
    await tab.getByTestId('case-state').filter({ hasText: 'In progress' }).waitFor();
    await tab.getByRole('button', { name: 'Resolve…' }).click();
    const dialog = tab.getByRole('dialog', { name: 'Resolve the case' });
    await dialog.getByText(/Sent to the ratepayer on their receipt .* machine-translated into their language/).waitFor();
    await dialog.getByLabel('Summary (the ratepayer receives it)').waitFor();

    await dialog.getByRole('radio', { name: 'Referred to the back office' }).check();
    await dialog.getByLabel(/Back office due date/).fill('2020-01-01');
    await dialog.getByLabel('Summary').fill('Your March reading goes to the billing team.');
    await dialog.getByRole('button', { name: 'Resolve', exact: true }).click();

    const alert = dialog.getByRole('alert');
    await alert.getByText('The due date is in the past.').waitFor();
    assert.equal(await tab.getByRole('alert').filter({ hasText: 'The due date is in the past.' }).count(), 1, 'shown once, in the dialog only');
    assert.equal(await dialog.getByLabel('Summary').inputValue(), 'Your March reading goes to the billing team.', 'what was typed is kept');
    await dialog.evaluate((el) => Promise.all((el as unknown as { getAnimations(o: object): { finished: Promise<unknown> }[] }).getAnimations({ subtree: true }).map((a) => a.finished)));
    await expectAccessible(tab, 'the resolve dialog with its error');

    await dialog.getByLabel(/Back office due date/).fill('');
    await dialog.getByRole('button', { name: 'Resolve', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await tab.getByTestId('case-state').innerText()).trim(), 'Referred to the back office');
    assert.equal(await tab.getByText('The due date is in the past.').count(), 0, 'the old error is gone');
  });
});
