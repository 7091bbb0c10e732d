/**
 * Long text in the tab's boxes (issue 12 item 5): nothing an agent types or pastes is cut. The
 * boxes have no maxLength (a browser cuts a pasted text to it without a word); over a limit the
 * box keeps every character, says by how much it is over, and the button waits.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { RunningService } from '../../bot/service.js';
import { MESSAGE_CHARACTERS, NOTE_CHARACTERS } from '../../bot/domain/textLimits.js';
import { claimNextAs, launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, startTestService } from '../support/tabApi.js';

describe('the tab in Chromium: long notes and messages are kept whole, with the limit said', function () {
  this.timeout(60_000);
  let service: RunningService;
  let browser: TestBrowser;
  let tab: Page;

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    const definition = definitionWithAgents();
    service = await startTestService(db, definition);
    await seedCase(db, definition, 'billing');
    browser = await launchChromium();
    tab = await (await browser.newContext()).newPage();
    await tab.setViewportSize({ width: 1280, height: 1000 });
    await tab.goto(service.tabUrl);
    await claimNextAs(tab, 'Thandi Mokoena');
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it('a pasted note over 2,000 characters stays whole in the box, says by how much it is over, and is not sent until shortened', async () => {
    const box = tab.getByLabel('Add a note');
    const text = 'The ratepayer explained the March reading at length. '.repeat(48).trim(); // 2,543 characters
    assert.equal(text.length, 2543);
    await box.fill(text);
    assert.equal((await box.inputValue()).length, text.length, 'every character is still in the box');
    await tab.getByText(`This is 2 543 characters; the most is 2 000. Shorten it by 543 to send it — nothing you typed is lost.`).waitFor();
    assert.equal(await tab.getByRole('button', { name: 'Add note' }).isDisabled(), true);
    await box.fill(text.slice(0, NOTE_CHARACTERS));
    await tab.getByRole('button', { name: 'Add note' }).click();
    await tab.getByTestId('notes').getByText(text.slice(0, NOTE_CHARACTERS).trim()).waitFor();
  });

  it('a message of 6,000 characters (over the old 4,000) goes whole; one over 20,000 stays in the box with the limit said', async () => {
    const box = tab.getByLabel(/Message to/);
    const long = 'Your March reading was estimated, so I asked for a credit. '.repeat(101).trim();
    assert.ok(long.length > 4000);
    await box.fill(long);
    assert.equal((await box.inputValue()).length, long.length);
    await tab.getByRole('button', { name: 'Send', exact: true }).click();
    await tab.getByTestId('transcript').getByText(long).waitFor({ timeout: 10_000 });

    const over = 'w'.repeat(MESSAGE_CHARACTERS + 12);
    await box.fill(over);
    assert.equal((await box.inputValue()).length, over.length);
    await tab.getByText('This is 20 012 characters; the most is 20 000. Shorten it by 12 to send it — nothing you typed is lost.').waitFor();
    assert.equal(await tab.getByRole('button', { name: 'Send', exact: true }).isDisabled(), true);
  });
});
