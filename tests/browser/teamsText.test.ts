/**
 * What the ratepayer reads in Teams (the Microsoft 365 Agents Playground, a Teams-like client,
 * driven in Chromium) of the bot's text messages (tester 7, findings 5 and 6): an expert's
 * multi-line message keeps its lines, the HTML and Markdown the expert typed show as typed (no
 * bold, no image, no list), a referral's summary card says it was referred, and the referral's
 * receipt reads line by line. bot/platform/teams/textFormat.ts says how.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { SCREENSHOTS } from '../support/browser.js';
import { connectWithThandi, usePlaygroundDesk } from '../support/playground.js';

const TYPED = 'Hello <b>Johan</b> & welcome <img src=x onerror="window.pwned=1">\nLine 2: **not bold**\n1. not a list';

describe('text messages in the Agents Playground (Teams): lines kept, typed HTML and Markdown shown as typed, a referral called one', function () {
  this.timeout(90_000);
  const desk = usePlaygroundDesk();

  it("shows the expert's lines as lines and their HTML and Markdown as typed; the referral's card and receipt read as a referral, line by line", async () => {
    // Johan joins the billing queue from the Playground; Thandi claims his case in the tab.
    const { chat, tab } = await connectWithThandi(desk, 'Johan van der Merwe');

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
    assert.deepEqual(desk.pageErrors, []);
  });
});
