/**
 * The public chat page reloaded in the middle of a conversation, in isiZulu, on a phone (360 × 740):
 * with the case waiting, and after the case was resolved (the survey and the receipt). Direct Line
 * cannot update a message it carried, so the forms the service replaces in Teams once used (the
 * intake form, the survey) stayed live on the page: a reload showed the answered survey blank with
 * its Send button live. The real Web Chat in headless Chromium, through the local Direct Line
 * stand-in, to the real service and its Cosmos store. Screenshots: screenshots/webchat-reload-*.png.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { RunningService } from '../../bot/service.js';
import type { LocalDirectLine } from '../../devTools/directLine.js';
import { t, type Locale } from '../../bot/messages/index.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { signIn } from '../support/tabApi.js';
import { buildWeb, escapeRegExp, waitForText } from '../support/webPage.js';
import { startWebChatDesk, type WebChatDesk } from '../support/webChat.js';

const SECRET = 'local-direct-line-secret';

const label = (language: Locale, field: string) => t(language, `fields.${field}.label` as never);

describe('Public chat page reloaded mid-conversation in isiZulu: a case waiting, then resolved with its survey and receipt', function () {
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
    await context?.close();
    await desk?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `webchat-reload-${name}.png`) });

  /** Reloads and waits for the chat to be back (the status line) and replayed up to `last`. */
  const reload = async (page: Page, last: RegExp) => {
    await page.reload();
    await page.locator('#status').filter({ hasText: t('zu', 'webchat.page.resumed') }).waitFor({ timeout: 20_000 });
    await waitForText(page, last, 20_000);
    // Web Chat draws the replayed cards after their messages.
    await page.waitForTimeout(1500);
  };

  it('the sent intake form and the answered survey are drawn as sent (their buttons disabled, the survey with the rating given), live and after each reload; the queued card and the receipt stay live; one survey answer on the case', async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/);
    const box = page.locator('#webchat [data-id="webchat-sendbox-input"]');
    await box.fill('isiZulu');
    await box.press('Enter');
    await waitForText(page, new RegExp(escapeRegExp(t('zu', 'language.formAgain'))));
    const form = () => page.locator('.card').filter({ hasText: label('zu', 'accountNumber') }).last();
    await form().getByLabel(label('zu', 'accountNumber')).fill('501234567');
    await form().getByLabel(label('zu', 'accountHolder')).fill('Nomsa Dlamini');
    await form().getByLabel(label('zu', 'mobile')).fill('083 111 2222');
    await form().getByLabel(label('zu', 'description')).fill('Ibhili yami iphindeke kabili.');
    await form().getByRole('button', { name: t('zu', 'cards.intake.joinNow'), exact: true }).click();
    await waitForText(page, new RegExp(escapeRegExp(t('zu', 'cards.queued.headline'))));
    const join = () => form().getByRole('button', { name: t('zu', 'cards.intake.joinNow'), exact: true });
    const queued = () => page.locator('.card').filter({ hasText: t('zu', 'cards.queued.headline') }).last();
    await page.waitForTimeout(500);
    assert.equal(await join().isDisabled(), true, 'the sent form cannot be sent again');

    // Reloaded with the case waiting: the page in isiZulu, the sent form still sent, the queued card live.
    await reload(page, new RegExp(escapeRegExp(t('zu', 'cards.queued.headline'))));
    await shot(page, 'waiting');
    assert.equal(await page.locator('html').getAttribute('lang'), 'zu');
    assert.equal(await join().isDisabled(), true, 'after a reload, the sent form is still drawn as sent');
    assert.equal(await queued().getByRole('button', { name: t('zu', 'cards.queued.leave'), exact: true }).isDisabled(), false, "the queued card's buttons stay live");
    const conversationId = directLine.toBot.find((a) => a.type === 'message')!.conversation.id as string;
    assert.equal((await cases.listForConversation(conversationId, 10)).length, 1, 'one case');

    // An expert takes it and resolves it: the survey and the receipt come.
    const thandi = await signIn(service, 'thandi');
    const claimed = await thandi.post('/api/queue/claim-next');
    assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
    const reference = (claimed.body as { reference: string }).reference;
    const resolved = await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Estimated reading corrected; credit passed.' });
    assert.ok(resolved.status < 300, JSON.stringify(resolved.body));
    const survey = () => page.locator('.card').filter({ hasText: t('zu', 'cards.survey.title') }).last();
    await survey().waitFor({ timeout: 20_000 });
    const send = () => survey().getByRole('button', { name: t('zu', 'cards.survey.send'), exact: true });
    const rating4 = () => survey().getByLabel(t('zu', 'cards.survey.rating4'), { exact: true });

    // Reloaded before answering: the survey is there to answer.
    await reload(page, new RegExp(escapeRegExp(t('zu', 'cards.survey.title'))));
    assert.equal(await send().isDisabled(), false, 'an unanswered survey can be answered after a reload');
    await rating4().check();
    await send().click();
    await waitForText(page, new RegExp(escapeRegExp(t('zu', 'survey.thanks'))));
    await page.waitForTimeout(500);
    assert.equal(await send().isDisabled(), true, 'the answered survey cannot be sent again');
    assert.equal(await rating4().isChecked(), true, 'it shows the rating given');

    // Reloaded after answering: still answered, with the rating; the receipt's "reopen" stays live.
    await reload(page, new RegExp(escapeRegExp(t('zu', 'survey.thanks'))));
    await survey().scrollIntoViewIfNeeded();
    await shot(page, 'surveyed');
    assert.equal(await send().isDisabled(), true, 'after a reload, the answered survey is drawn as answered (before: blank, Send live)');
    assert.equal(await rating4().isChecked(), true, 'with the rating given');
    const reopen = page.locator('.card').filter({ hasText: reference.slice(0, 3) }).getByRole('button', { name: t('zu', 'followThrough.receipt.reopenButton'), exact: true });
    assert.equal(await reopen.last().isDisabled(), false, "the receipt's reopen button stays live");
    assert.doesNotMatch(await page.locator('#webchat').innerText(), new RegExp(escapeRegExp(t('zu', 'survey.alreadyAnswered'))), 'no second answer was sent');
    const [theCase] = await cases.listForConversation(conversationId, 10);
    assert.equal(theCase?.survey?.rating, 4);
  });
});
