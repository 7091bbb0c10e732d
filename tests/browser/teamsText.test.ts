/**
 * What the ratepayer reads in Teams (the Microsoft 365 Agents Playground, a Teams-like client,
 * driven in Chromium) of the bot's text messages (tester 7, findings 5 and 6): an expert's
 * multi-line message keeps its lines, the HTML and Markdown the expert typed show as typed (no
 * bold, no image, no list), a referral's summary card says it was referred, and the referral's
 * receipt reads line by line. bot/platform/teams/textFormat.ts says how.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningService } from '../../bot/service.js';
import { startPlayground, waitForHttp, type RunningPlayground } from '../../scripts/playground.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { freePort } from '../support/net.js';
import { definitionWithAgents, startTestService } from '../support/tabApi.js';

const TYPED = 'Hello <b>Johan</b> & welcome <img src=x onerror="window.pwned=1">\nLine 2: **not bold**\n1. not a list';

describe('text messages in the Agents Playground (Teams): lines kept, typed HTML and Markdown shown as typed, a referral called one', function () {
  this.timeout(90_000);
  let service: RunningService;
  let playground: RunningPlayground;
  let browser: TestBrowser;
  const pageErrors: string[] = [];

  before(async function () {
    requireChromium(this);
    service = await startTestService(await freshDatabase(), definitionWithAgents());
    playground = startPlayground({ botUrl: service.url, port: await freePort(), cwd: mkdtempSync(path.join(tmpdir(), 'playground-')) });
    assert.ok(await waitForHttp(playground.url, 30_000), `the Playground did not start:\n${playground.output()}`);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await playground?.stop();
    await service?.close();
  });

  async function open(url: string, name: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.setViewportSize({ width: 1280, height: 1000 });
    page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
    await page.goto(url);
    return page;
  }

  async function say(chat: Page, text: string): Promise<void> {
    const box = chat.locator('[role=textbox][contenteditable=true]').first();
    await box.click();
    await box.fill(text);
    await chat.getByRole('button', { name: 'Send Message' }).click();
  }

  it("shows the expert's lines as lines and their HTML and Markdown as typed; the referral's card and receipt read as a referral, line by line", async () => {
    const chat = await open(playground.url, 'playground');
    await chat.locator('[role=textbox][contenteditable=true]').first().waitFor({ timeout: 30_000 });
    await say(chat, 'billing');
    const card = chat.locator('.ac-adaptiveCard').filter({ hasText: 'Account and billing queries' }).last();
    await card.getByLabel('Municipal account number').fill('501 234 567');
    await card.getByLabel('Account holder name').fill('Johan van der Merwe');
    await card.getByLabel('Mobile number').fill('082 123 4567');
    await card.getByLabel(/Your query/).fill('My bill doubled in March.');
    await card.getByRole('button', { name: 'Join the queue' }).click();
    await chat.locator('.ac-adaptiveCard').filter({ hasText: 'You are in the queue' }).first().waitFor();

    const tab = await open(service.tabUrl, 'tab');
    await tab.getByRole('button', { name: /Sign in as Thandi Mokoena/ }).click();
    await tab.getByText('Live', { exact: true }).waitFor();
    await tab.getByRole('button', { name: 'Claim next' }).click();
    await tab.getByRole('heading', { name: /Conversation with/ }).waitFor();
    await chat.getByText(/You are now connected with Thandi/).first().waitFor();

    await tab.getByLabel(/Message to/).fill(TYPED);
    await tab.getByRole('button', { name: 'Send', exact: true }).click();
    // The message as the chat shows it (a paragraph; the chat list's preview and the log panel are not).
    const message = chat.locator('p').filter({ hasText: /^Thandi \(Account and billing queries expert\): Hello/ }).first();
    await message.waitFor({ timeout: 5000 });
    // Read as the person reads it: innerText has the line breaks a <br> makes, and tags typed as text.
    const shown = await message.innerText();
    assert.equal(shown, `Thandi (Account and billing queries expert): ${TYPED}`);
    assert.equal(await chat.locator('img[src="x"]').count(), 0, 'no image from what the expert typed');
    assert.equal(await chat.locator('b, strong').filter({ hasText: /Johan|not bold/ }).count(), 0, 'no bold');
    assert.equal(await chat.locator('ol li').filter({ hasText: 'not a list' }).count(), 0, 'no list');
    assert.equal(await chat.evaluate('typeof window.pwned'), 'undefined');

    await tab.getByRole('button', { name: 'Resolve…' }).click();
    await tab.getByRole('radio', { name: 'Referred to the back office' }).check();
    await tab.getByLabel('Summary').fill('ESP application to be checked by the back office.');
    await tab.getByRole('button', { name: 'Resolve', exact: true }).click();
    const summary = chat.locator('.ac-adaptiveCard').filter({ hasText: 'Referred to the back office' }).filter({ hasText: 'What was done' }).last();
    await summary.waitFor({ timeout: 5000 });
    assert.match(await summary.innerText(), /^Your case was referred to the back office\n/);
    assert.doesNotMatch(await summary.innerText(), /Your case is resolved/);
    const receipt = chat.locator('p').filter({ hasText: /^Your receipt from/ }).last();
    await receipt.waitFor({ timeout: 5000 });
    const lines = (await receipt.innerText()).split('\n').map((l) => l.trim());
    assert.match(lines[0]!, /^Your receipt from /);
    assert.ok(lines.some((l) => /^Case reference: [2-9A-Z]{3}-[2-9A-Z]{3}$/.test(l)), lines.join('\n'));
    assert.ok(lines.includes('Outcome: Referred to the back office'), lines.join('\n'));
    assert.ok(lines.includes('What was decided: ESP application to be checked by the back office.'), lines.join('\n'));

    await chat.screenshot({ path: path.join(SCREENSHOTS, 'teams-text-playground.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });
});
