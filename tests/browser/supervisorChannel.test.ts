/**
 * In Chromium: the Agents Playground (with the repository's .m365agentsplayground.yml: the
 * current user is the supervisor Johan) — "monitor" in the team's channel; the bot confirms and
 * the live summary card of the open session appears in the channel.
 */
import path from 'node:path';
import { SCREENSHOTS } from '../support/browser.js';
import { usePlaygroundDesk } from '../support/playground.js';
import { definitionWithAgents, seedCase } from '../support/tabApi.js';

const definition = definitionWithAgents();

describe('the supervisors\' channel in the Agents Playground (Chromium)', function () {
  this.timeout(90_000);
  // The repository's Playground configuration: Johan (supervisor) in the team with its channels.
  const desk = usePlaygroundDesk({ definition, service: { scheduler: { start: false } }, teamConfig: true });

  it('"monitor" in the team channel: the bot confirms and the session\'s summary card appears there', async () => {
    await seedCase(desk.db, definition, 'billing', { minutesAgo: 7 });
    const page = await (await desk.browser.newContext()).newPage();
    await page.goto(desk.playground.url);
    // Go to the team's channel.
    await page.getByText('Queue watch', { exact: false }).first().click({ timeout: 30_000 });
    const box = page.locator('[role=textbox][contenteditable=true]').first();
    await box.waitFor({ timeout: 30_000 });
    await box.click();
    // In a channel the bot hears only what mentions it: "@" opens the Playground's mention picker.
    await page.keyboard.type('@Rate');
    await page.getByRole('menuitem', { name: 'Ratepayer Desk' }).click();
    await page.keyboard.type(' monitor');
    await page.getByRole('button', { name: /^(Post|Send Message)$/ }).first().click();
    await page.getByText(/this channel is now the supervisors' channel/).first().waitFor({ timeout: 20_000 });
    await page.getByText(/Live queue: Virtual customer engagement/).first().waitFor({ timeout: 20_000 });
    await page.getByText('Account and billing queries').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'playground-channel-summary.png'), fullPage: true });
  });
});
