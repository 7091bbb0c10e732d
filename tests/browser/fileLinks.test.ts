/**
 * Files on the case page (issue 14 item 6): only files the platform hosts are links; any other
 * address — a ratepayer's "file" pointing at some site, from before the bot refused them, or
 * written by anything else — is shown as text with a warning, never as something to click.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { claimNextAs, launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, startTestService } from '../support/tabApi.js';

const TEAMS_HOSTED = 'https://contoso-my.sharepoint.com/personal/lerato_contoso_com/_layouts/15/download.aspx?UniqueId=1150d938&tempauth=abc';
const ELSEWHERE = ['https://files.example.org/statement.pdf', 'https://contoso-my.sharepoint.com.evil.example/login', 'javascript:alert(document.cookie)'];

describe('the tab in Chromium: only Teams-hosted files are links on the case page', function () {
  this.timeout(60_000);
  let service: RunningService;
  let browser: TestBrowser;
  let tab: Page;

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    const definition = definitionWithAgents();
    service = await startTestService(db, definition);
    const c = await seedCase(db, definition, 'billing');
    await new CosmosCaseStore(db.cases).appendTranscript(c.id, {
      id: randomUUID(),
      at: new Date().toISOString(),
      from: 'ratepayer',
      author: 'Lerato M',
      text: 'My statement and the other papers',
      attachments: [
        { name: 'statement.pdf', contentType: 'pdf', url: TEAMS_HOSTED },
        ...ELSEWHERE.map((url, i) => ({ name: `urgent-${i + 1}.pdf`, contentType: 'pdf', url })),
      ],
    });
    browser = await launchChromium();
    tab = await (await browser.newContext()).newPage();
    await tab.goto(service.tabUrl);
    await claimNextAs(tab, 'Thandi Mokoena');
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it('links the Teams file, and shows each other address as text with a warning, with no link to it anywhere on the page', async () => {
    const transcript = tab.getByTestId('transcript');
    const link = transcript.getByRole('link', { name: /statement\.pdf/ });
    assert.equal(await link.getAttribute('href'), TEAMS_HOSTED);
    const warnings = transcript.getByTestId('untrusted-file');
    assert.equal(await warnings.count(), ELSEWHERE.length);
    for (let i = 0; i < ELSEWHERE.length; i++) assert.match(await warnings.nth(i).innerText(), new RegExp(`⚠ urgent-${i + 1}\\.pdf — not a file Teams keeps, so it is not a link`));
    const hrefs = await tab.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const url of ELSEWHERE) assert.ok(!hrefs.includes(url), `no link to ${url}`);
    assert.equal(await transcript.getByRole('link').count(), 1, 'one link in the conversation: the Teams file');
  });
});
