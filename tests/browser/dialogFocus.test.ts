/**
 * The case page's dialogs and actions for a keyboard and screen-reader user (tester report, bug 1
 * and "Keyboard"): after Resolve…, Transfer… or Release to queue… closes — by Escape, by Cancel or
 * by being submitted — the page is readable again (nothing left aria-hidden; axe passes after the
 * dialog, not only while it is open) and focus is back on the button that opened it or, when that
 * button is gone, on the case's heading; after "Claim this case" focus is on the case's heading;
 * after "Add note" and "Send" (disabled once their box is empty) focus is back in the box.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, startTestService } from '../support/tabApi.js';

describe('the case page\'s dialogs in Chromium: focus and the page come back when a dialog closes', function () {
  this.timeout(90_000);
  let service: RunningService;
  let browser: TestBrowser;
  let tab: Page;
  let refs: string[];

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    const definition = definitionWithAgents();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    const seeded = [await seedCase(db, definition, 'billing', { minutesAgo: 9 }), await seedCase(db, definition, 'billing', { minutesAgo: 3 })];
    refs = seeded.map((c) => `${c.id.slice(0, 3)}-${c.id.slice(3)}`);
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

  /** Whether the case page (or anything around it, e.g. #root) is hidden from assistive technology. */
  const rootHidden = () =>
    tab.evaluate<boolean>(`document.querySelector('[data-testid="case-page"]')?.closest('[aria-hidden="true"], [inert]') !== null`);
  /** What has focus: its tag and text ("BUTTON Resolve…", "H2 Case K7M-3PQ"), or BODY. */
  const focused = () =>
    tab.evaluate<string>(`(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return 'BODY';
      return el.tagName + ' ' + el.innerText.trim();
    })()`);
  /** Waits until the dialog and its closing animation have left the page (axe checks the page as it settles). */
  const closed = async (dialog: ReturnType<Page['getByRole']>) => {
    await dialog.waitFor({ state: 'detached' });
    await tab.locator('.fui-DialogSurface').waitFor({ state: 'detached' });
  };
  const waitFocused = async (expected: RegExp, what: string) => {
    const until = Date.now() + 3000;
    let now = await focused();
    while (!expected.test(now) && Date.now() < until) {
      await tab.waitForTimeout(50);
      now = await focused();
    }
    assert.match(now, expected, `focus after ${what}`);
  };

  it('after "Claim this case", focus is on the case\'s heading, not on the page body', async () => {
    await tab.getByRole('button', { name: `Open case ${refs[0]}` }).click();
    await tab.getByRole('button', { name: 'Claim this case' }).click();
    await tab.getByTestId('case-state').filter({ hasText: 'In progress' }).waitFor();
    await waitFocused(new RegExp(`^H2 Case ${refs[0]}`), '"Claim this case"');
  });

  it('after "Add note" and "Send", focus is back in their box (the buttons are disabled once the box is empty)', async () => {
    await tab.getByLabel('Add a note').fill('Statement for March requested.');
    await tab.getByRole('button', { name: 'Add note' }).click();
    await tab.getByTestId('notes').getByText('Statement for March requested.').waitFor();
    await waitFocused(/^TEXTAREA/, '"Add note"');
    assert.equal(await tab.getByLabel('Add a note').evaluate((el) => el === (el.ownerDocument.activeElement as unknown)), true, 'focus in the note box');
    await tab.getByLabel(/Message to/).fill('I am checking your March reading.');
    await tab.getByRole('button', { name: 'Send', exact: true }).click();
    await tab.getByTestId('transcript').getByText('I am checking your March reading.').waitFor();
    await waitFocused(/^TEXTAREA/, '"Send"');
    assert.equal(await tab.getByLabel(/Message to/).evaluate((el) => el === (el.ownerDocument.activeElement as unknown)), true, 'focus in the message box');
  });

  for (const [opener, title] of [
    ['Resolve…', 'Resolve the case'],
    ['Transfer…', 'Transfer to another category'],
    ['Release to queue…', 'Release to the queue'],
  ] as const) {
    for (const close of ['Escape', 'Cancel'] as const) {
      it(`"${opener}" closed with ${close}: the page is readable again and focus is back on "${opener}"`, async () => {
        await tab.getByRole('button', { name: opener }).click();
        const dialog = tab.getByRole('dialog', { name: title });
        await dialog.waitFor();
        if (close === 'Escape') await tab.keyboard.press('Escape');
        else await dialog.getByRole('button', { name: 'Cancel' }).click();
        await closed(dialog);
        await waitFocused(new RegExp(`^BUTTON ${opener}$`), `${opener} closed with ${close}`);
        assert.equal(await rootHidden(), false, 'the case page is hidden from assistive technology after the dialog closed');
        assert.ok((await tab.getByRole('button', { name: 'Add note' }).count()) === 1, 'the page\'s buttons are in the accessibility tree');
        await expectAccessible(tab, `the case page after "${opener}" closed with ${close}`);
      });
    }
  }

  it('after a release is submitted (its button gone), the page is readable and focus is on the case\'s heading', async () => {
    await tab.getByRole('button', { name: 'Release to queue…' }).click();
    const dialog = tab.getByRole('dialog', { name: 'Release to the queue' });
    await dialog.getByRole('button', { name: 'Release', exact: true }).click();
    await closed(dialog);
    await tab.getByTestId('case-state').filter({ hasText: 'Waiting' }).waitFor();
    await waitFocused(new RegExp(`^H2 Case ${refs[0]}`), 'the release');
    assert.equal(await rootHidden(), false);
    assert.ok((await tab.getByRole('button', { name: 'Claim this case' }).count()) === 1);
    await expectAccessible(tab, 'the case page after a release');
  });

  it('after a transfer and a resolution are submitted, the page is readable and focus is on the case\'s heading', async () => {
    await tab.getByRole('button', { name: 'Claim this case' }).click();
    await waitFocused(new RegExp(`^H2 Case ${refs[0]}`), '"Claim this case" again');
    await tab.getByRole('button', { name: 'Transfer…' }).click();
    let dialog = tab.getByRole('dialog', { name: 'Transfer to another category' });
    await dialog.getByLabel('Note for the next expert').fill('About arrears, not the bill.');
    await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
    await closed(dialog);
    await waitFocused(new RegExp(`^H2 Case ${refs[0]}`), 'the transfer');
    assert.equal(await rootHidden(), false);
    await expectAccessible(tab, 'the case page after a transfer');

    await tab.getByRole('button', { name: `Open case ${refs[1]}` }).click();
    await tab.getByRole('button', { name: 'Claim this case' }).click();
    await waitFocused(new RegExp(`^H2 Case ${refs[1]}`), '"Claim this case" on the second case');
    await tab.getByRole('button', { name: 'Resolve…' }).click();
    dialog = tab.getByRole('dialog', { name: 'Resolve the case' });
    await dialog.getByLabel('Summary').fill('Explained the March estimate.');
    await dialog.getByRole('button', { name: 'Resolve', exact: true }).click();
    await closed(dialog);
    await tab.getByTestId('case-state').filter({ hasText: 'Resolved' }).waitFor();
    await waitFocused(new RegExp(`^H2 Case ${refs[1]}`), 'the resolution');
    assert.equal(await rootHidden(), false);
    await expectAccessible(tab, 'the case page after a resolution');
  });
});
