/**
 * The expert conversation as the two people see it: the ratepayer in the Microsoft 365 Agents
 * Playground (a Teams-like client, driven in Chromium) and the agent in the queue tab.
 */
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from '../support/browser.js';
import { connectWithThandi, sayInPlayground, usePlaygroundDesk } from '../support/playground.js';

describe('the expert conversation in Chromium: Agents Playground (ratepayer) and the tab (agent)', function () {
  this.timeout(90_000);
  const desk = usePlaygroundDesk();

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it("listens on loopback only: the machine's network address does not reach the Playground", async () => {
    const port = new URL(desk.playground.url).port;
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && !a.internal && a.family === 'IPv4');
    assert.ok(outside, 'this machine has a network address to try (eth0 here and in CI)');
    await assert.rejects(fetch(`http://${outside.address}:${port}/`, { signal: AbortSignal.timeout(3000) }), `reached at ${outside.address}`);
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).ok, true, 'and reached on loopback');
  });

  it('the ratepayer joins the queue, the agent claims, and they exchange messages both screens show', async () => {
    // Lerato joins the billing queue from the Playground; Thandi claims her case in the tab.
    const { chat, tab } = await connectWithThandi(desk, 'Lerato Molefe');
    await sayInPlayground(chat, 'Hello, are you the expert?');
    const transcript = tab.getByTestId('transcript');
    await transcript.getByText('Hello, are you the expert?').waitFor({ timeout: 5000 });

    await tab.getByLabel(/Message to/).fill('Yes. Your March reading was estimated; I am correcting it now.');
    await tab.getByRole('button', { name: 'Send', exact: true }).click();
    await chat.getByText(/Thandi \(Account and billing queries expert\): Yes\. Your March reading was estimated/).first().waitFor({ timeout: 5000 });
    await transcript.getByText('✓ delivered').waitFor({ timeout: 5000 });

    await sayInPlayground(chat, 'Thank you!');
    await transcript.getByText('Thank you!').waitFor({ timeout: 5000 });
    const order = await transcript.locator('li p').allInnerTexts();
    assert.deepEqual(order.slice(1), ['Hello, are you the expert?', 'Yes. Your March reading was estimated; I am correcting it now.', 'Thank you!']);

    // What a ratepayer types is shown as text, never as markup.
    const hostile = '<img src=x onerror="window.pwned=1"> **bold** [link](javascript:alert(1))';
    await sayInPlayground(chat, hostile);
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
    assert.deepEqual(desk.pageErrors, []);
  });
});
