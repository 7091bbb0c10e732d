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
import { t, type Locale } from '../../bot/messages/index.js';
import { categoryName } from '../../bot/messages/programme.js';
import { formatReference } from '../../bot/domain/reference.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { localSettings, signIn } from '../support/tabApi.js';
import { escapeRegExp, waitForText } from '../support/webPage.js';

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

  /** Fills the billing intake card in the page's language (its labels are the catalogue's) and joins the queue. */
  async function fillIntake(page: Page, language: Locale = 'en', mobile = '082 123 4567'): Promise<void> {
    const label = (field: string) => t(language, `fields.${field}.label` as never);
    const card = page.locator('.card').filter({ hasText: label('accountNumber') }).last();
    await card.getByLabel(label('accountNumber')).fill('501234567');
    await card.getByLabel(label('accountHolder')).fill('Lerato Molefe');
    await card.getByLabel(label('mobile')).fill(mobile);
    await card.getByLabel(label('description')).fill('My bill doubled in March <b>really</b>.');
    await card.getByRole('button', { name: t(language, 'cards.intake.joinNow'), exact: true }).first().click();
  }

  /** The case reference (as the ratepayer reads it: K7M-3PQ) of the web conversation's one case, once it is queued. */
  async function queuedReference(): Promise<string> {
    const conversationId = directLine.toBot.find((a) => a.type === 'message')!.conversation.id as string;
    const [open] = await cases.listForConversation(conversationId, 10);
    assert.ok(open, 'a case for the web conversation');
    return formatReference(open.id);
  }

  /** Once `page` shows the billing form: fills it in English, joins the queue and waits for "You are in the queue"; returns queuedReference. */
  async function joinFromForm(page: Page): Promise<string> {
    await waitForText(page, /Municipal account number/);
    await fillIntake(page);
    await waitForText(page, new RegExp(escapeRegExp(t('en', 'cards.queued.headline'))));
    return queuedReference();
  }

  /** The bot's messages in the web conversation, as Direct Line carries them. */
  function fromBot(): { summary?: string; text?: string }[] {
    const first = directLine.toBot.find((a) => a.type === 'message')!;
    return directLine.activities(first.conversation.id as string).filter((a) => a.from?.id !== first.from.id) as never;
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

  it("reads a card's own words to a screen reader: the queued card's live-region text has the reference and the queue sentence, not just \"1 attachment\"", async () => {
    const page = await context.newPage();
    const warnings: string[] = [];
    page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
    // Everything Web Chat puts in its live region (what a screen reader hears), as it is put there.
    await page.addInitScript(`(() => {
      const heard = (window.__heard = []);
      new MutationObserver(() => {
        for (const region of document.querySelectorAll('.webchat__live-region-transcript')) {
          const text = region.textContent || '';
          if (text && heard[heard.length - 1] !== text) heard.push(text);
        }
      }).observe(document, { subtree: true, childList: true, characterData: true });
    })()`);
    await page.goto(`${service.chatUrl}?category=billing`);
    const reference = await joinFromForm(page);
    // Web Chat empties its live region once a message has been read out: what it held is collected as it comes.
    const end = Date.now() + 10_000;
    let heard = '';
    for (;;) {
      heard = (await page.evaluate('window.__heard.join("\\n")')) as string;
      if ((heard.includes(reference) && heard.includes(t('en', 'cards.queued.headline'))) || Date.now() > end) break;
      await page.waitForTimeout(150);
    }
    assert.ok(heard.includes(reference), `the live region names the reference ${reference}; it says: ${heard.slice(-600)}`);
    assert.ok(heard.includes(t('en', 'cards.queued.headline')), `the live region says "${t('en', 'cards.queued.headline')}"; it says: ${heard.slice(-600)}`);
    // The card's buttons by name too, so a listener knows what can be done.
    assert.ok(heard.includes(t('en', 'cards.queued.leave')), 'the live region names the "Leave the queue" button');
    assert.deepEqual(warnings.filter((w) => /No renderer for attachment for screen reader/.test(w)), [], 'Web Chat has a screen-reader renderer for cards');
  });

  it('shows the conversation so far again after a reload, and a second category link sends its choice (its form comes) without a form on every reload', async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    const reference = await joinFromForm(page);

    await page.reload();
    await page.locator('#status').filter({ hasText: t('en', 'webchat.page.resumed') }).waitFor();
    await waitForText(page, new RegExp(escapeRegExp(reference)));
    await waitForText(page, /Municipal account number/);
    const intakeTitle = (code: string) => t('en', 'category.intakeFallback', { category: categoryName(loadDefinition(LOCAL_DEFINITION), code, 'en') });
    // A reload of the same link is the same chat: no second billing form.
    await page.waitForTimeout(1000);
    const billingForms = fromBot().filter((a) => a.summary === intakeTitle('billing')).length;
    assert.equal(billingForms, 1, 'one billing form, not one per reload');

    await page.goto(`${service.chatUrl}?category=rates`);
    await page.locator('#category').filter({ hasText: categoryName(loadDefinition(LOCAL_DEFINITION), 'rates', 'en') }).waitFor();
    const end = Date.now() + 15_000;
    while (!fromBot().some((a) => a.summary === intakeTitle('rates')) && Date.now() < end) await page.waitForTimeout(150);
    assert.ok(fromBot().some((a) => a.summary === intakeTitle('rates')), 'the bot sent the rates form in the resumed chat');
    // Shown with what came before it, in the same conversation.
    await waitForText(page, new RegExp(escapeRegExp(reference)));
    const rates = page.locator('.card').filter({ hasText: categoryName(loadDefinition(LOCAL_DEFINITION), 'rates', 'en') });
    await rates.last().waitFor({ timeout: 15_000 });
    const starts = directLine.toBot.filter((a) => a.type === 'conversationUpdate');
    assert.equal(new Set(starts.map((a) => a.conversation.id)).size, 1, 'no second conversation was started');
  });

  it('a category chosen on the welcome card is the chat\'s: its link (as in the SMS) then resumes the chat without a second form', async () => {
    const page = await context.newPage();
    await page.goto(service.chatUrl!);
    const billing = categoryName(loadDefinition(LOCAL_DEFINITION), 'billing', 'en');
    await page.locator('#webchat').getByRole('button', { name: billing, exact: true }).click();
    const reference = await joinFromForm(page);
    const intakeTitle = t('en', 'category.intakeFallback', { category: billing });
    assert.equal(fromBot().filter((a) => a.summary === intakeTitle).length, 1);

    await page.goto(`${service.chatUrl}?category=billing`);
    await page.locator('#status').filter({ hasText: t('en', 'webchat.page.resumed') }).waitFor();
    await waitForText(page, new RegExp(escapeRegExp(reference)));
    await page.waitForTimeout(1000);
    assert.equal(fromBot().filter((a) => a.summary === intakeTitle).length, 1, 'no second billing form');
  });

  it('asks before clearing the chat from this device, in the page\'s words: cancel keeps the chat, accepting clears it', async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    const reference = await joinFromForm(page);
    const kept = await page.evaluate(() => localStorage.getItem('ratepayer-desk.webchat'));
    assert.ok(kept);
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: t('en', 'webchat.page.clear') }).click();
    await page.waitForTimeout(500);
    assert.equal(asked.length, 1, 'a confirmation was asked');
    assert.equal(asked[0], t('en', 'webchat.page.clearConfirm'));
    assert.match(asked[0]!, /status/, 'it says how to find the query later');
    assert.equal(await page.evaluate(() => localStorage.getItem('ratepayer-desk.webchat')), kept, 'cancel keeps the chat in this browser');
    await waitForText(page, new RegExp(escapeRegExp(reference)));

    page.once('dialog', (dialog) => void dialog.accept());
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: t('en', 'webchat.page.clear') }).click()]);
    await waitForText(page, /Municipal account number/);
    const now = JSON.parse((await page.evaluate(() => localStorage.getItem('ratepayer-desk.webchat'))) ?? '{}') as { conversationId?: string };
    assert.notEqual(now.conversationId, JSON.parse(kept).conversationId, 'accepting cleared the chat: a new one started');
  });

  it("is accessible (axe: no serious or critical violations) and fits 360 px without sideways scrolling; the queued card's buttons fit whole, in English and isiZulu", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/);
    const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(width <= 360, `the page is ${width} px wide at a 360 px viewport`);
    await expectAccessible(page, 'public chat page');

    // Each button of the queued card inside the screen and not cut (its text wider than its box).
    // A number each: the service opens one case per number and category.
    for (const [browserLocale, language, mobile] of [
      ['en-ZA', 'en', '082 123 4567'],
      ['zu-ZA', 'zu', '083 765 4321'],
    ] as const) {
      const browser = await chromium.browser.newContext({ locale: browserLocale, viewport: { width: 360, height: 740 } });
      try {
        const phone = await browser.newPage();
        await phone.goto(`${service.chatUrl}?category=billing`);
        await waitForText(phone, new RegExp(escapeRegExp(t(language, 'fields.accountNumber.label'))));
        await fillIntake(phone, language, mobile);
        const card = phone.locator('.card').filter({ hasText: t(language, 'cards.queued.headline') }).last();
        await card.waitFor({ timeout: 20_000 });
        await card.getByRole('button', { name: t(language, 'cards.queued.leave') }).scrollIntoViewIfNeeded();
        const buttons = await card.locator('button').evaluateAll((all) =>
          all.map((b) => {
            const box = b.getBoundingClientRect();
            return { name: b.textContent ?? '', left: box.left, right: box.right, cut: b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1 };
          }),
        );
        assert.ok(buttons.length >= 2, `${language}: the queued card's buttons: ${JSON.stringify(buttons)}`);
        for (const button of buttons) {
          assert.ok(button.left >= 0 && button.right <= 360, `${language}: "${button.name}" runs from ${button.left} to ${button.right} px on a 360 px screen`);
          assert.ok(!button.cut, `${language}: "${button.name}" is cut off inside its button`);
        }
        const wide = (await phone.evaluate('document.documentElement.scrollWidth')) as number;
        assert.ok(wide <= 360, `${language}: the page is ${wide} px wide with the queued card`);
      } finally {
        await browser.close();
      }
    }
  });
});
