/**
 * The public chat page: the real Bot Framework Web Chat in headless Chromium, through the local
 * Direct Line stand-in, to the real service and its Cosmos store; the agent works the case
 * through the tab API.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { LOCAL_DEFINITION, type Settings } from '../../bot/platform/config/settings.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { startService, type RunningService } from '../../bot/service.js';
import { startLocalDirectLine, type LocalDirectLine } from '../../devTools/directLine.js';
import { t } from '../../bot/messages/index.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { localSettings, signIn } from '../support/tabApi.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'local-direct-line-secret';

/** Builds the page when it has not been built (as requireChromium does for the tab). */
function requireWebBuild(): void {
  if (existsSync(path.join(repo, 'web/dist/index.html'))) return;
  const built = spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'web/build.ts')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the chat page could not be built (npm run build:web)');
}

/** The text of every bot message and card in the transcript. */
async function transcript(page: Page): Promise<string> {
  return page.locator('#webchat').innerText();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function waitForText(page: Page, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const text = await transcript(page);
    if (pattern.test(text)) return;
    if (Date.now() > end) throw new Error(`"${pattern}" did not appear; the transcript says:\n${text.slice(-1500)}`);
    await page.waitForTimeout(150);
  }
}

describe('Public chat page: Web Chat through Direct Line in Chromium', function () {
  this.timeout(90_000);
  let chromium: TestBrowser;
  let service: RunningService;
  let directLine: LocalDirectLine;
  let cases: CosmosCaseStore;
  let context: BrowserContext;

  before(async function () {
    requireChromium(this);
    requireWebBuild();
    chromium = await launchChromium();
  });

  after(async () => {
    await chromium?.close();
  });

  beforeEach(async () => {
    const db = await freshDatabase();
    cases = new CosmosCaseStore(db.cases);
    directLine = await startLocalDirectLine({ secret: SECRET });
    const settings: Settings = { ...localSettings, webChat: { secret: SECRET, endpoint: directLine.domain } };
    service = await startService(settings, { containers: db, definition: loadDefinition(LOCAL_DEFINITION), scheduler: { start: false }, liveEvents: { pollIntervalMs: 150 } });
    directLine.pointAt(`${service.url}/api/messages`);
    context = await chromium.newContext();
  });

  afterEach(async () => {
    await context?.close();
    await service?.close();
    await directLine?.close();
  });

  async function fillIntake(page: Page): Promise<void> {
    const card = page.locator('.card').filter({ hasText: 'Municipal account number' }).last();
    await card.getByLabel('Municipal account number').fill('501234567');
    await card.getByLabel('Account holder name').fill('Lerato Molefe');
    await card.getByLabel('Mobile number').fill('082 123 4567');
    await card.getByLabel('Your query in a few words').fill('My bill doubled in March <b>really</b>.');
    await card.getByRole('button', { name: /submit|send|join/i }).first().click();
  }

  it('the whole loop: category link, intake card, queued, an agent claims and writes, the ratepayer answers, resolved, survey', async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    assert.match(await page.locator('h1').innerText(), /Virtual customer engagement/);
    await waitForText(page, /Municipal account number/);
    await fillIntake(page);
    await waitForText(page, /reference/i);
    const [open] = (await cases.listForConversation(directLine.toBot.find((a) => a.type === 'message')!.conversation.id, 10)).filter((c) => c.state === 'waiting');
    assert.ok(open, 'a waiting case for the web conversation');
    assert.equal(open.ratepayer.channelId, 'directline');

    const agent = await signIn(service, 'thandi');
    const claimed = await agent.post('/api/queue/claim-next');
    assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
    await waitForText(page, /connected|expert/i);
    const sent = await agent.post(`/api/cases/${open.id}/messages`, { text: 'Hello Lerato, I am looking at your March bill.' });
    assert.ok(sent.status < 300, JSON.stringify(sent.body));
    await waitForText(page, /I am looking at your March bill/);
    // Web Chat holds a message that replies to one it has not shown for up to 5 s: every reply in
    // the stream names one the stream carried (a proactive message, such as the expert's, names none).
    const stream = directLine.activities(open.ratepayer.conversationId);
    const carried = new Set(stream.map((a) => a.id));
    const dangling = stream.filter((a) => a.replyToId && !carried.has(a.replyToId)).map((a) => `${a.type} "${String(a.text ?? '').slice(0, 40)}" → ${a.replyToId}`);
    assert.deepEqual(dangling, [], 'replies to activities the page never received');

    const box = page.getByRole('textbox').last();
    await box.fill('Thank you, it was R1 200 more than usual.');
    await box.press('Enter');
    const end = Date.now() + 10_000;
    let page1: any;
    for (;;) {
      page1 = await agent.get(`/api/cases/${open.id}`);
      if (JSON.stringify(page1.body).includes('R1 200 more than usual') || Date.now() > end) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.match(JSON.stringify(page1.body), /R1 200 more than usual/, 'the agent sees what the ratepayer wrote on the web');

    const resolved = await agent.post(`/api/cases/${open.id}/resolve`, { outcome: 'resolved', summary: 'Estimated reading corrected; credit passed.' });
    assert.ok(resolved.status < 300, JSON.stringify(resolved.body));
    await waitForText(page, /Estimated reading corrected/);
    await waitForText(page, /How did we do\?/);
    const survey = page.locator('.card').filter({ hasText: 'How did we do?' }).last();
    await survey.getByLabel('5 – Very satisfied').check();
    await survey.getByRole('button', { name: 'Send' }).click();
    await waitForText(page, /Thank you for your feedback|your answer for case .* is 5/);
    const surveyed = await cases.get(open.id);
    assert.equal(surveyed?.survey?.rating, 5, 'the survey answer is on the case');
    // What the ratepayer typed is shown as text, never as markup.
    assert.equal(await page.locator('#webchat b').count(), 0);
  });

  it('resumes after a reload: the same conversation, the place kept, and what the agent wrote meanwhile shows', async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/);
    await fillIntake(page);
    await waitForText(page, /reference/i);
    const conversationId = directLine.toBot.find((a) => a.type === 'message')!.conversation.id as string;
    const kept = await page.evaluate(() => localStorage.getItem('ratepayer-desk.webchat'));
    assert.ok(kept && JSON.parse(kept).conversationId === conversationId, 'the conversation is kept in the browser');

    await page.close();
    const agent = await signIn(service, 'thandi');
    const claimed = await agent.post('/api/queue/claim-next');
    assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
    const [mine] = await cases.listForConversation(conversationId, 10);
    const wrote = await agent.post(`/api/cases/${mine!.id}/messages`, { text: 'Are you still there? Your meter photo helped.' });
    assert.ok(wrote.status < 300, JSON.stringify(wrote.body));

    const again = await context.newPage();
    await again.goto(`${service.chatUrl}?category=billing`);
    await waitForText(again, /Your meter photo helped/);
    const starts = directLine.toBot.filter((a) => a.type === 'conversationUpdate');
    assert.equal(new Set(starts.map((a) => a.conversation.id)).size, 1, 'no second conversation was started');
    const box = again.getByRole('textbox').last();
    await box.fill('Yes, still here.');
    await box.press('Enter');
    const stored = await cases.listForConversation(conversationId, 10);
    assert.equal(stored.filter((c) => c.state === 'waiting' || c.state === 'in_progress').length, 1, 'still one open case');
  });

  it("shows Web Chat's own words in the browser's language: isiZulu's send box, send button and timestamps (\"5 minutes ago\") for zu-ZA, English for en-ZA", async () => {
    for (const [browserLocale, language] of [
      ['zu-ZA', 'zu'],
      ['en-ZA', 'en'],
    ] as const) {
      const browser = await chromium.browser.newContext({ locale: browserLocale, timezoneId: 'Africa/Johannesburg' });
      try {
        const page = await browser.newPage();
        // The page's clock runs on from now; it is moved on below to read a relative timestamp.
        await page.clock.install();
        await page.goto(`${service.chatUrl}?category=billing`);
        // Web Chat's send box is there once the page has handed the chat over to it.
        const box = page.locator('#webchat [data-id="webchat-sendbox-input"]');
        await box.waitFor({ timeout: 20_000 });
        assert.equal(await box.getAttribute('placeholder'), t(language, 'webchat.ui.placeholder'), `${browserLocale}: the send box's placeholder`);
        assert.equal(await page.locator('#webchat').getByRole('textbox', { name: t(language, 'webchat.ui.inputLabel'), exact: true }).count(), 1, `${browserLocale}: the send box's name`);
        const send = page.locator('#webchat').getByRole('button', { name: t(language, 'webchat.ui.send'), exact: true });
        assert.equal(await send.count(), 1, `${browserLocale}: one send button named "${t(language, 'webchat.ui.send')}"`);
        // Web Chat's timestamps ("5 minutes ago" comes from its date library, not its strings).
        await waitForText(page, new RegExp(escapeRegExp(t(language, 'webchat.ui.justNow'))));
        await page.clock.fastForward('05:30');
        await waitForText(page, new RegExp(escapeRegExp(t(language, 'webchat.ui.minutesAgo').replace('$1', '5'))));
      } finally {
        await browser.close();
      }
    }
    // The catalogues' isiZulu is not Web Chat's English (else the first round proves nothing).
    assert.notEqual(t('zu', 'webchat.ui.placeholder'), 'Type your message');
    assert.notEqual(t('zu', 'webchat.ui.send'), 'Send');
  });

  it('is accessible (axe: no serious or critical violations) and fits 360 px without sideways scrolling', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/);
    const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(width <= 360, `the page is ${width} px wide at a 360 px viewport`);
    await expectAccessible(page, 'public chat page');
  });
});
