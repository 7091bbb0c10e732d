/**
 * The public chat page keeps what a ratepayer typed in the intake form when its send fails (the
 * connection dropped at the press) and when the page is reloaded before it was sent (tester 11,
 * findings 1 and 2). A phone (360 × 740) in headless Chromium, offline through Playwright's
 * context.setOffline, the real Web Chat through the local Direct Line stand-in, the real service
 * and its Cosmos store. Screenshots: screenshots/webchat-unsent-*.png.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { RunningService } from '../../bot/service.js';
import type { LocalDirectLine } from '../../devTools/directLine.js';
import { t } from '../../bot/messages/index.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { buildWeb, escapeRegExp, waitForText } from '../support/webPage.js';
import { startWebChatDesk, type WebChatDesk } from '../support/webChat.js';

const SECRET = 'local-direct-line-secret';
const label = (field: string) => t('en', `fields.${field}.label` as never);
const TYPED: Record<string, string> = {
  accountNumber: '501234569',
  accountHolder: 'Lindiwe Mofokeng',
  mobile: '072 345 6791',
  description: 'Prepaid meter shows the wrong units since load reduction.',
};

describe('Public chat page: a form not sent keeps what was typed (connection dropped at the press, page reloaded)', function () {
  this.timeout(150_000);
  let chromium: TestBrowser;
  let service: RunningService;
  let directLine: LocalDirectLine;
  let desk: WebChatDesk;
  let context: BrowserContext;
  let cases: CosmosCaseStore;

  before(async function () {
    requireChromium(this);
    buildWeb();
    chromium = await launchChromium();
  });

  after(async () => {
    await chromium?.close();
  });

  beforeEach(async () => {
    const db = await freshDatabase();
    cases = new CosmosCaseStore(db.cases);
    desk = await startWebChatDesk(db, { secret: SECRET, liveEvents: { pollIntervalMs: 150 } });
    ({ service, directLine } = desk);
    context = await chromium.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-ZA', timezoneId: 'Africa/Johannesburg' });
  });

  afterEach(async () => {
    await context?.setOffline(false);
    await context?.close();
    await desk?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `webchat-unsent-${name}.png`) });
  const form = (page: Page) => page.locator('.card').filter({ hasText: label('accountNumber') }).last();
  const join = (card: Locator) => card.getByRole('button', { name: t('en', 'cards.intake.joinNow'), exact: true });
  const fill = async (card: Locator) => {
    for (const [field, value] of Object.entries(TYPED)) await card.getByLabel(label(field)).fill(value);
  };
  const valuesIn = async (card: Locator) => Object.fromEntries(await Promise.all(Object.keys(TYPED).map(async (field) => [field, await card.getByLabel(label(field)).inputValue()] as const)));
  const conversationOf = () => directLine.toBot.find((a) => a.type === 'message')!.conversation.id as string;

  it('pressed while offline: told at once that it was not sent, the values stay (also past Web Chat’s 20 s send timeout), and pressed again once online it makes one case', async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/, 45_000);
    await fill(form(page));

    await context.setOffline(true);
    const pressedAt = Date.now();
    await join(form(page)).click();
    const notice = page.locator('.send-failed');
    await notice.waitFor({ timeout: 17_000 });
    assert.ok(Date.now() - pressedAt < 17_000, "told at the failed POST, not only after Web Chat's 20 s timeout");
    assert.equal(await notice.innerText(), t('en', 'webchat.page.sendFailed'));
    assert.equal(await notice.getAttribute('role'), 'alert');
    assert.deepEqual(await valuesIn(form(page)), TYPED, 'the values stay in the boxes');
    assert.equal(await join(form(page)).isDisabled(), false, 'the form can be pressed again');
    await shot(page, 'offline-pressed');

    // Back online only after Web Chat's own sendTimeout (20 s) turned the send "send failed": the
    // card was redrawn empty at that moment before.
    await page.waitForTimeout(Math.max(0, pressedAt + 23_000 - Date.now()));
    await context.setOffline(false);
    await page.waitForTimeout(1000);
    assert.deepEqual(await valuesIn(form(page)), TYPED, 'the values are still there after the send timed out');
    assert.equal(await notice.isVisible(), true, 'still told it was not sent');
    await shot(page, 'offline-after-timeout');
    assert.equal((await cases.listForConversation(conversationOf(), 10)).length, 0, 'nothing reached the service');

    await join(form(page)).click();
    await waitForText(page, new RegExp(escapeRegExp(t('en', 'cards.queued.headline'))), 40_000);
    await page.waitForTimeout(1000);
    assert.equal(await page.locator('.send-failed').count(), 0, 'the "not sent" line goes once it is sent');
    assert.equal(await join(form(page)).isDisabled(), true, 'the sent form is drawn as sent');
    assert.deepEqual(await valuesIn(form(page)), TYPED, 'with what was sent');
    await shot(page, 'sent-after-retry');
    const submits = directLine.toBot.filter((a) => (a.value as { verb?: string } | undefined)?.verb === 'intake.submit');
    assert.equal(submits.length, 1, 'one submit reached Direct Line');
    const made = await cases.listForConversation(conversationOf(), 10);
    assert.equal(made.length, 1, 'one case');
    assert.equal(made[0]!.intake?.accountNumber, TYPED.accountNumber);
  });

  it('a send that hangs until Web Chat gives up on it (its 20 s send timeout): the form keeps its values and says it was not sent; pressed again, one case', async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/, 45_000);
    await fill(form(page));

    // The POST of the form's send is held (a connection that stalls, no error to see), then lost.
    let held: (() => Promise<void>) | undefined;
    await context.route('**/activities', async (route) => {
      if (route.request().method() === 'POST' && !held && (route.request().postData() ?? '').includes('intake.submit')) held = () => route.abort('connectionreset');
      else await route.continue();
    });
    const pressedAt = Date.now();
    await join(form(page)).click();
    await page.waitForTimeout(5000);
    assert.ok(held, 'the send was held');
    assert.equal(await join(form(page)).isDisabled(), true, 'while it is on its way the form is drawn as sent');
    await page.waitForTimeout(Math.max(0, pressedAt + 25_000 - Date.now()));
    await page.locator('.send-failed').waitFor({ timeout: 15_000 }).catch(() => undefined);
    assert.deepEqual(await valuesIn(form(page)), TYPED, 'after the timeout the values are still there (before: the card was drawn again empty)');
    assert.equal(await page.locator('.send-failed').innerText(), t('en', 'webchat.page.sendFailed'), 'told it was not sent');
    assert.equal(await join(form(page)).isDisabled(), false, 'and it can be pressed again');
    await shot(page, 'timed-out');
    await held!();
    await context.unroute('**/activities');

    await join(form(page)).click();
    await waitForText(page, new RegExp(escapeRegExp(t('en', 'cards.queued.headline'))), 40_000);
    await page.waitForTimeout(1000);
    assert.equal(await page.locator('.send-failed').count(), 0);
    assert.equal((await cases.listForConversation(conversationOf(), 10)).length, 1, 'one case');
  });

  it('reloaded before sending: what was typed comes back into the same form; sent, it is no longer kept in the browser', async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/, 45_000);
    await fill(form(page));
    // Kept in the browser with the chat, never sent before the press.
    assert.equal(directLine.toBot.filter((a) => JSON.stringify(a).includes(TYPED.accountHolder!)).length, 0, 'nothing typed went to the service');

    await page.reload();
    await page.locator('#status').filter({ hasText: t('en', 'webchat.page.resumed') }).waitFor({ timeout: 40_000 });
    await waitForText(page, /Municipal account number/, 45_000);
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('.card').filter({ hasText: label('accountNumber') }).count(), 1, 'the same form, not a new one');
    assert.deepEqual(await valuesIn(form(page)), TYPED, 'what was typed is back');
    await shot(page, 'reloaded');

    await join(form(page)).click();
    await waitForText(page, new RegExp(escapeRegExp(t('en', 'cards.queued.headline'))), 40_000);
    await page.waitForTimeout(1000);
    assert.equal((await cases.listForConversation(conversationOf(), 10)).length, 1, 'one case');
    const kept = await page.evaluate(() => Object.keys(localStorage).map((key) => `${key}=${localStorage.getItem(key)}`).join('\n'));
    assert.doesNotMatch(kept, new RegExp(escapeRegExp(TYPED.accountHolder!)), 'sent: what was typed is gone from the browser');
    assert.doesNotMatch(kept, new RegExp(TYPED.accountNumber!), 'the account number too');
  });

  it('reloaded, then "Clear this chat from this device": what was typed comes back after the reload, and clearing forgets it with the chat', async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/, 45_000);
    await fill(form(page));
    await page.reload();
    await waitForText(page, /Municipal account number/, 45_000);
    await page.waitForTimeout(1500);
    assert.deepEqual(await valuesIn(form(page)), TYPED, 'what was typed is back');

    page.once('dialog', (dialog) => void dialog.accept());
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: t('en', 'webchat.page.clear') }).click()]);
    await waitForText(page, /Municipal account number/, 45_000);
    await page.waitForTimeout(1500);
    const kept = await page.evaluate(() => Object.keys(localStorage).map((key) => `${key}=${localStorage.getItem(key)}`).join('\n'));
    assert.doesNotMatch(kept, new RegExp(escapeRegExp(TYPED.accountHolder!)), 'cleared: nothing typed is left in the browser');
    assert.deepEqual(await valuesIn(form(page)), { accountNumber: '', accountHolder: '', mobile: '', description: '' }, "the new chat's form starts empty");
  });
});
