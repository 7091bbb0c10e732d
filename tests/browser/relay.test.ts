/**
 * The expert conversation as the two people see it: the ratepayer in the Microsoft 365 Agents
 * Playground (a Teams-like client, driven in Chromium) and the agent in the queue tab.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RunningService } from '../../bot/service.js';
import { startPlayground, waitForHttp, type RunningPlayground } from '../../scripts/playground.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { freePort } from '../support/net.js';
import { definitionWithAgents, startTestService } from '../support/tabApi.js';


describe('the expert conversation in Chromium: Agents Playground (ratepayer) and the tab (agent)', function () {
  this.timeout(90_000);
  let service: RunningService;
  let playground: RunningPlayground;
  let browser: TestBrowser;
  const pageErrors: string[] = [];

  before(async function () {
    requireChromium(this);
    service = await startTestService(await freshDatabase(), definitionWithAgents());
    // Its own working folder: the Playground writes a devTools/ log there.
    playground = startPlayground({ botUrl: service.url, port: await freePort(), cwd: mkdtempSync(path.join(tmpdir(), 'playground-')) });
    assert.ok(await waitForHttp(playground.url, 30_000), `the Playground did not start:\n${playground.output()}`);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await playground?.stop();
    await service?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

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

  it("listens on loopback only: the machine's network address does not reach the Playground", async () => {
    const port = new URL(playground.url).port;
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && !a.internal && a.family === 'IPv4');
    assert.ok(outside, 'this machine has a network address to try (eth0 here and in CI)');
    await assert.rejects(fetch(`http://${outside.address}:${port}/`, { signal: AbortSignal.timeout(3000) }), `reached at ${outside.address}`);
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).ok, true, 'and reached on loopback');
  });

  it('the ratepayer joins the queue, the agent claims, and they exchange messages both screens show', async () => {
    const chat = await open(playground.url, 'playground');
    await chat.locator('[role=textbox][contenteditable=true]').first().waitFor({ timeout: 30_000 });
    await say(chat, 'billing');
    const card = chat.locator('.ac-adaptiveCard').filter({ hasText: 'Account and billing queries' }).last();
    await card.getByLabel('Municipal account number').fill('501 234 567');
    await card.getByLabel('Account holder name').fill('Lerato Molefe');
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
    await say(chat, 'Hello, are you the expert?');
    const transcript = tab.getByTestId('transcript');
    await transcript.getByText('Hello, are you the expert?').waitFor({ timeout: 5000 });

    await tab.getByLabel(/Message to/).fill('Yes. Your March reading was estimated; I am correcting it now.');
    await tab.getByRole('button', { name: 'Send', exact: true }).click();
    await chat.getByText(/Thandi \(Account and billing queries expert\): Yes\. Your March reading was estimated/).first().waitFor({ timeout: 5000 });
    await transcript.getByText('✓ delivered').waitFor({ timeout: 5000 });

    await say(chat, 'Thank you!');
    await transcript.getByText('Thank you!').waitFor({ timeout: 5000 });
    const order = await transcript.locator('li p').allInnerTexts();
    assert.deepEqual(order.slice(1), ['Hello, are you the expert?', 'Yes. Your March reading was estimated; I am correcting it now.', 'Thank you!']);

    // What a ratepayer types is shown as text, never as markup.
    const hostile = '<img src=x onerror="window.pwned=1"> **bold** [link](javascript:alert(1))';
    await say(chat, hostile);
    await transcript.getByText(hostile).waitFor({ timeout: 5000 });
    assert.equal(await transcript.locator('img').count(), 0);
    assert.equal(await tab.evaluate("typeof window.pwned"), "undefined");

    // What the expert types reaches the ratepayer as typed: no bold, no link hiding its address.
    const expertMarkdown = '**Pay now** at [the city portal](http://evil.example)';
    await tab.getByLabel(/Message to/).fill(expertMarkdown);
    await tab.getByRole('button', { name: 'Send', exact: true }).click();
    await chat.getByText(`Thandi (Account and billing queries expert): ${expertMarkdown}`).first().waitFor({ timeout: 5000 });
    assert.equal(await chat.locator('a[href*="evil.example"]').count(), 0, 'no link to the hidden address');
    assert.equal(await chat.locator('strong, b').filter({ hasText: 'Pay now' }).count(), 0, 'no bold');

    // Resolution: the ratepayer gets the summary and the survey; the agent sees the cards as sent.
    await tab.getByRole('button', { name: 'Resolve…' }).click();
    await tab.getByLabel('Summary').fill('Reading corrected; R 1 240 credited. **Done**.');
    await tab.getByRole('button', { name: 'Resolve', exact: true }).click();
    const summary = chat.locator('.ac-adaptiveCard').filter({ hasText: 'Your case is resolved' }).last();
    await summary.waitFor({ timeout: 5000 });
    await summary.getByText('Reading corrected; R 1 240 credited. **Done**.').waitFor();
    const survey = chat.locator('.ac-adaptiveCard').filter({ hasText: 'How did we do?' }).last();
    await survey.getByText('5 – Very satisfied').click();
    await survey.getByRole('button', { name: 'Send' }).click();
    await chat.getByText(/Thank you for your feedback/).first().waitFor({ timeout: 5000 });
    const sentCards = tab.getByTestId('sent-card');
    await sentCards.filter({ hasText: 'Your case is resolved' }).waitFor({ timeout: 5000 });
    // Exact: the receipt after the summary card (issue 19) quotes the summary in a longer line.
    await sentCards.getByText('Reading corrected; R 1 240 credited. **Done**.', { exact: true }).waitFor();

    await shot(chat, 'relay-playground');
    await shot(tab, 'relay-tab');
    assert.deepEqual(pageErrors, []);
  });
});
