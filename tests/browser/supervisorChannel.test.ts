/**
 * In Chromium: the Agents Playground (with the repository's .m365agentsplayground.yml: the
 * current user is the supervisor Johan) — "monitor" in the team's channel; the bot confirms and
 * the live summary card of the open session appears in the channel.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import type { RunningService } from '../../bot/service.js';
import { startPlayground, waitForHttp, type RunningPlayground } from '../../scripts/playground.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { freePort } from '../support/net.js';
import { definitionWithAgents, seedCase, startTestService } from '../support/tabApi.js';

const definition = definitionWithAgents();

describe('the supervisors\' channel in the Agents Playground (Chromium)', function () {
  this.timeout(90_000);
  let db: CosmosContainers;
  let service: RunningService;
  let playground: RunningPlayground;
  let browser: TestBrowser;

  before(async function () {
    requireChromium(this);
    db = await freshDatabase();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    const cwd = mkdtempSync(path.join(tmpdir(), 'playground-'));
    copyFileSync('.m365agentsplayground.yml', path.join(cwd, '.m365agentsplayground.yml'));
    playground = startPlayground({ botUrl: service.url, port: await freePort(), cwd });
    assert.ok(await waitForHttp(playground.url, 30_000), `the Playground did not start:\n${playground.output()}`);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await playground?.stop();
    await service?.close();
  });

  it('"monitor" in the team channel: the bot confirms and the session\'s summary card appears there', async () => {
    await seedCase(db, definition, 'billing', { minutesAgo: 7 });
    const page = await (await browser.newContext()).newPage();
    await page.goto(playground.url);
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
