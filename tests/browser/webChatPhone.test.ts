/**
 * The public chat page on a phone (360 × 740), after a tester's report: a form sent back with
 * errors is seen (its first field in error focused and on screen, the error tied to the field for
 * screen readers); the page's own words follow the chat's language when the ratepayer changes it,
 * and keep it after a reload; a second category's form in the same chat comes with the answers the
 * two forms share already filled in. The real Web Chat in headless Chromium, through the local
 * Direct Line stand-in, to the real service and its Cosmos store. Screenshots: screenshots/webchat-phone-*.png.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import type { RunningService } from '../../bot/service.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { LocalDirectLine } from '../../devTools/directLine.js';
import { t, type Locale } from '../../bot/messages/index.js';
import { categoryName, programmeIn } from '../../bot/messages/programme.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { buildWeb, escapeRegExp, waitForText } from '../support/webPage.js';
import { startWebChatDesk, type WebChatDesk } from '../support/webChat.js';

const SECRET = 'local-direct-line-secret';
const definition = loadDefinition(LOCAL_DEFINITION);

const label = (language: Locale, field: string) => t(language, `fields.${field}.label` as never);
const optional = (language: Locale, field: string) => t(language, 'cards.intake.optionalLabel', { label: label(language, field) });

describe('Public chat page on a phone (360 px): a returned form is seen, the page follows the chat\'s language, a second form is prefilled', function () {
  this.timeout(120_000);
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

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `webchat-phone-${name}.png`) });

  /** The newest intake card of the transcript with this field. */
  const newestCard = (page: Page, language: Locale = 'en') => page.locator('.card').filter({ hasText: label(language, 'accountNumber') }).last();

  it('a form sent back with a mistake: its first field in error is focused and on screen (not behind the "new messages" pill), its error read with it; nothing is focused on a reload', async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/);
    const card = newestCard(page);
    await card.getByLabel(label('en', 'accountNumber')).fill('501234567');
    await card.getByLabel(label('en', 'accountHolder')).fill('Lerato Molefe');
    // A mistake in the third field: the person's number is short a few digits.
    await card.getByLabel(label('en', 'mobile')).fill('082 123');
    await card.getByLabel(label('en', 'description')).fill('My bill doubled in March.');
    await card.getByRole('button', { name: t('en', 'cards.intake.joinNow'), exact: true }).click();
    await waitForText(page, new RegExp(escapeRegExp(t('en', 'cards.intake.errorSummary', { count: 1 }))));
    const returned = page.locator('.card').filter({ hasText: t('en', 'cards.intake.errorSummary', { count: 1 }) }).last();
    const mobile = returned.getByLabel(label('en', 'mobile'));
    // Web Chat scrolls and the card renders after the message arrives: settled within a second.
    const end = Date.now() + 5000;
    let seen: { focused: boolean; top: number; bottom: number; hit: boolean; invalid: string | null; described: string } | undefined;
    for (;;) {
      // The page's own document (this file is compiled without the DOM's types).
      seen = await mobile.evaluate((input: any) => {
        const doc = (globalThis as any).document;
        const box = input.getBoundingClientRect();
        const hit = doc.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        const described = String(input.getAttribute('aria-describedby') ?? '')
          .split(/\s+/)
          .map((id: string) => (id ? String(doc.getElementById(id)?.textContent ?? '') : ''))
          .join(' ');
        return { focused: doc.activeElement === input, top: box.top as number, bottom: box.bottom as number, hit: !!hit && (hit === input || input.contains(hit)), invalid: input.getAttribute('aria-invalid') as string | null, described };
      });
      if ((seen.focused && seen.hit) || Date.now() > end) break;
      await page.waitForTimeout(150);
    }
    await shot(page, 'returned-form');
    assert.ok(seen.focused, 'the first field in error (mobile) has the focus');
    assert.ok(seen.top >= 0 && seen.bottom <= 740, `the field is on screen: ${seen.top}–${seen.bottom} px of 740`);
    assert.ok(seen.hit, 'nothing covers the field (the "new messages" pill is not over it)');
    assert.equal(seen.invalid, 'true', 'the field is marked invalid for screen readers');
    const errorText = (await returned.locator('.ac-textBlock').allInnerTexts()).find((text) => seen!.described.includes(text.trim()) && text.trim() && !text.includes(label('en', 'mobile')));
    assert.ok(errorText, `the error under the field is its description (aria-describedby): "${seen.described}"`);
    assert.equal(await returned.getByLabel(label('en', 'accountNumber')).getAttribute('aria-invalid'), null, 'a right field is not marked invalid');
    await expectAccessible(page, 'public chat page, form returned with an error');

    // A reload replays the chat, the returned form with it: the page does not jump into it.
    await page.reload();
    await page.locator('#status').filter({ hasText: t('en', 'webchat.page.resumed') }).waitFor();
    await waitForText(page, new RegExp(escapeRegExp(t('en', 'cards.intake.errorSummary', { count: 1 }))));
    await page.waitForTimeout(1500);
    const focusedInCard = await page.evaluate<boolean>("!!document.activeElement?.closest('.card')");
    assert.equal(focusedInCard, false, 'a replayed form takes no focus');
  });
  it("a second category's link in the same chat brings its form with the answers the two share (account, name, mobile, email) filled in, and the query's own blank; none of it in a URL", async () => {
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/);
    const billing = newestCard(page);
    await billing.getByLabel(label('en', 'accountNumber')).fill('501234567');
    await billing.getByLabel(label('en', 'accountHolder')).fill('Lerato Molefe');
    await billing.getByLabel(label('en', 'mobile')).fill('082 123 4567');
    await billing.getByLabel(optional('en', 'email')).fill('lerato@example.co.za');
    await billing.getByLabel(label('en', 'description')).fill('My bill doubled in March.');
    await billing.getByRole('button', { name: t('en', 'cards.intake.joinNow'), exact: true }).click();
    await waitForText(page, new RegExp(escapeRegExp(t('en', 'cards.queued.headline'))));

    await page.goto(`${service.chatUrl}?category=rates`);
    const ratesName = categoryName(definition, 'rates', 'en');
    const rates = page.locator('.card').filter({ hasText: ratesName }).filter({ hasText: label('en', 'erfNumber') }).last();
    await rates.waitFor({ timeout: 20_000 });
    await rates.scrollIntoViewIfNeeded();
    await shot(page, 'second-form');
    assert.equal(await rates.getByLabel(label('en', 'accountNumber')).inputValue(), '501234567');
    assert.equal(await rates.getByLabel(label('en', 'accountHolder')).inputValue(), 'Lerato Molefe');
    assert.equal(await rates.getByLabel(label('en', 'mobile')).inputValue(), '082 123 4567', 'the number as the person wrote it, not +27…');
    assert.equal(await rates.getByLabel(optional('en', 'email')).inputValue(), 'lerato@example.co.za');
    assert.equal(await rates.getByLabel(label('en', 'erfNumber')).inputValue(), '', "the rates form's own question is blank");
    assert.equal(await rates.getByLabel(label('en', 'description')).inputValue(), '', 'the query is blank: it is a new one');
    // Sent as it is, with the erf number and the query added, it queues the second case.
    await rates.getByLabel(label('en', 'erfNumber')).fill('1234');
    await rates.getByLabel(label('en', 'description')).fill('My property value looks wrong.');
    await rates.getByRole('button', { name: t('en', 'cards.intake.joinNow'), exact: true }).click();
    const queued = page.locator('.card').filter({ hasText: t('en', 'cards.queued.headline') });
    const end = Date.now() + 15_000;
    while ((await queued.count()) < 2 && Date.now() < end) await page.waitForTimeout(150);
    assert.equal(await queued.count(), 2, 'the rates case was queued beside the billing one');
    const leaked = urls.filter((url) => /501234567|Lerato|0821234567|082%20123|27821234567|lerato%40|lerato@/i.test(decodeURIComponent(url)));
    assert.deepEqual(leaked, [], 'no personal data in any URL the page asked for');
  });
  it('the storage notice is a banner (its line, "Got it" and "Clear this chat"; the full text one disclosure away) that folds to its line once read ("Got it", from the keyboard), remembered after a reload; the line opens the text and "Clear" again, keyboard and screen reader alike; accessible', async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/);
    const height = async (selector: string) => (await page.locator(selector).boundingBox())!.height;
    const summary = page.locator('#kept-summary');
    const clear = page.getByRole('button', { name: t('en', 'webchat.page.clear'), exact: true });

    // The first visit: the banner, its line and both buttons; the notice's full text behind the line (tester 9).
    await summary.waitFor({ state: 'visible' });
    await clear.waitFor({ state: 'visible' });
    assert.equal(await page.locator('#kept-notice').isVisible(), false, 'the full text is one disclosure away');
    const openHeight = await height('footer.device-notice');
    const chatOpen = await height('#webchat');
    await shot(page, 'notice-first-visit');

    // "Got it", pressed from the keyboard: the footer folds to its one-line summary, focus on it.
    await page.getByRole('button', { name: t('en', 'webchat.page.keptDismiss'), exact: true }).focus();
    await page.keyboard.press('Enter');
    await clear.waitFor({ state: 'hidden' });
    assert.equal(await clear.isVisible(), false, 'the Clear button is folded away with the notice');
    assert.equal(await page.evaluate<boolean>("document.activeElement?.id === 'kept-summary'"), true, 'focus on the summary, where the notice opens again');
    const folded = await height('footer.device-notice');
    assert.ok(folded <= 40, `the folded footer takes ${folded} px of 740 (open: ${openHeight} px)`);
    assert.ok((await height('#webchat')) >= chatOpen + openHeight - folded - 2, 'the chat got the room');
    await expectAccessible(page, 'public chat page, storage notice folded');
    await shot(page, 'notice-folded');

    // Remembered on this device: folded after a reload, the chat's own space kept.
    await page.reload();
    await page.locator('#status').filter({ hasText: t('en', 'webchat.page.resumed') }).waitFor({ timeout: 20_000 });
    await waitForText(page, /Municipal account number/);
    assert.equal(await page.locator('#kept-notice').isVisible(), false, 'still folded after a reload');
    assert.ok((await height('footer.device-notice')) <= 40);
    await shot(page, 'notice-folded-reloaded');

    // The summary opens it again from the keyboard, announced as expanded; Clear is reachable.
    await summary.focus();
    assert.equal(await page.locator('#device-notice').evaluate((d: any) => d.open as boolean), false);
    await page.keyboard.press('Enter');
    await clear.waitFor({ state: 'visible' });
    await page.locator('#kept-notice').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#device-notice').evaluate((d: any) => d.open as boolean), true);
    // What a screen reader is given: Chromium's accessibility tree, the summary's expanded state.
    const cdp = await context.newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { name?: { value?: string }; properties?: { name: string; value: { value: unknown } }[] }[] };
    const node = nodes.find((n) => n.name?.value === t('en', 'webchat.page.keptSummary') && n.properties?.some((p) => p.name === 'expanded'));
    assert.equal(node?.properties?.find((p) => p.name === 'expanded')?.value.value, true, `the summary is announced as expanded: ${JSON.stringify(node)}`);
    await cdp.detach();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<boolean>("document.activeElement?.id === 'forget'"), true, 'Clear is reached by Tab');
    // Read is remembered until the chat is cleared: opened again, it is folded on the next visit still.
    await page.reload();
    await waitForText(page, /Municipal account number/);
    assert.equal(await clear.isVisible(), false, 'folded again on the next visit');
    assert.equal(await summary.isVisible(), true);
  });
  it('a form on screen when the ratepayer changes language comes again in the new language with what was typed in it (tester 8, finding 10); sent, it queues one case; nothing typed reaches the service before it is sent', async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/);
    const english = newestCard(page);
    await english.getByLabel(label('en', 'accountNumber')).fill('501234567');
    await english.getByLabel(label('en', 'accountHolder')).fill('Sipho Zulu');
    const box = page.locator('#webchat [data-id="webchat-sendbox-input"]');
    await box.fill('isiZulu');
    await box.press('Enter');
    await waitForText(page, new RegExp(escapeRegExp(t('zu', 'language.formAgain'))));
    // The English labels are not the isiZulu ones (else finding the isiZulu form proves nothing).
    assert.notEqual(label('zu', 'accountNumber'), label('en', 'accountNumber'));
    const zulu = newestCard(page, 'zu');
    await zulu.waitFor({ timeout: 15_000 });
    await zulu.scrollIntoViewIfNeeded();
    await shot(page, 'form-again-isizulu');
    assert.equal(await zulu.getByLabel(label('zu', 'accountNumber')).inputValue(), '501234567', 'the account number typed in the English form');
    assert.equal(await zulu.getByLabel(label('zu', 'accountHolder')).inputValue(), 'Sipho Zulu', 'the name typed in the English form');
    assert.equal(await zulu.getByLabel(label('zu', 'description')).inputValue(), '', 'nothing was typed there');
    assert.match(await zulu.innerText(), new RegExp(escapeRegExp(t('zu', 'cards.intake.joinNow'))), 'its button is isiZulu too');
    // The English form, replaced by the isiZulu one, can no longer be sent: sent after it, it put its
    // English text on the case as the isiZulu original (tester 9, finding 2).
    assert.equal(await english.getByRole('button', { name: t('en', 'cards.intake.joinNow'), exact: true }).isDisabled(), true, 'the replaced form cannot be sent');
    assert.equal(await zulu.getByRole('button', { name: t('zu', 'cards.intake.joinNow'), exact: true }).isDisabled(), false, 'the new one can');
    const sentBeforeForm = JSON.stringify(directLine.toBot);
    assert.doesNotMatch(sentBeforeForm, /501234567|Sipho Zulu/, 'what was typed stays in the page until the form is sent');
    assert.match(sentBeforeForm, /"openForm":\{"category":"billing"/, 'the message said which form was on screen');

    await zulu.getByLabel(label('zu', 'mobile')).fill('082 123 4567');
    await zulu.getByLabel(label('zu', 'description')).fill('Ibhili yami iphindeke kabili.');
    await zulu.getByRole('button', { name: t('zu', 'cards.intake.joinNow'), exact: true }).click();
    await waitForText(page, new RegExp(escapeRegExp(t('zu', 'cards.queued.headline'))));
    const conversationId = directLine.toBot.find((a) => a.type === 'message')!.conversation.id as string;
    const opened = await cases.listForConversation(conversationId, 10);
    assert.equal(opened.length, 1, 'one case');
    assert.equal(String(opened[0]!.intake.accountNumber), '501234567');
    assert.equal(opened[0]!.language, 'zu');
  });

  it("after the ratepayer changes language in the chat, the page's own words follow it (header, status, footer, Web Chat's send box), and stay in it after a reload", async () => {
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    const box = page.locator('#webchat [data-id="webchat-sendbox-input"]');
    await box.fill('isiZulu');
    await box.press('Enter');
    await waitForText(page, new RegExp(escapeRegExp(t('zu', 'language.changed', { language: t('zu', 'language.name.zu') }))));

    /** What the page says of itself, in `language`'s words or not. */
    const expectPageIn = async (language: Locale, when: string) => {
      const end = Date.now() + 5000;
      while ((await page.locator('html').getAttribute('lang')) !== language && Date.now() < end) await page.waitForTimeout(100);
      assert.equal(await page.locator('html').getAttribute('lang'), language, `${when}: the page's language`);
      const programme = programmeIn(definition, language).name;
      assert.equal(await page.title(), t(language, 'webchat.page.title', { programme }), `${when}: the title`);
      assert.equal(await page.locator('.masthead h1').innerText(), programme, `${when}: the heading`);
      assert.equal(await page.locator('#category').innerText(), categoryName(definition, 'billing', language), `${when}: the category`);
      assert.equal((await page.locator('#forget').innerText()).trim(), t(language, 'webchat.page.clear', { programme }), `${when}: the footer's button`);
      // Folded behind the banner's line: its text, not what is drawn.
      assert.equal(((await page.locator('#kept-notice').textContent()) ?? '').trim(), t(language, 'webchat.page.keptNotice', { programme }), `${when}: the footer's notice`);
      assert.equal((await page.locator('#kept-summary').innerText()).trim(), t(language, 'webchat.page.keptSummary', { programme }), `${when}: the footer's summary`);
      assert.equal((await page.locator('#kept-ok').innerText()).trim(), t(language, 'webchat.page.keptDismiss', { programme }), `${when}: the footer's "Got it"`);
      assert.equal(await page.locator('#webchat').getAttribute('aria-label'), t(language, 'webchat.page.chatLabel', { programme }), `${when}: the chat's name`);
      assert.equal(await box.getAttribute('placeholder'), t(language, 'webchat.ui.placeholder'), `${when}: Web Chat's send box`);
    };
    await expectPageIn('zu', 'after "isiZulu"');
    assert.equal((await page.locator('#status').innerText()).trim(), t('zu', 'webchat.page.connected', { programme: programmeIn(definition, 'zu').name }), 'the status line in isiZulu too');
    await shot(page, 'isizulu');
    await expectAccessible(page, 'public chat page after a change of language');

    await page.reload();
    await page.locator('#status').filter({ hasText: t('zu', 'webchat.page.resumed', { programme: programmeIn(definition, 'zu').name }) }).waitFor({ timeout: 20_000 });
    await box.waitFor();
    await expectPageIn('zu', 'after a reload');
    await shot(page, 'isizulu-reloaded');
    // The English words were not the isiZulu ones (else this proves nothing).
    assert.notEqual(t('zu', 'webchat.page.clear'), t('en', 'webchat.page.clear'));
    assert.notEqual(t('zu', 'webchat.ui.placeholder'), t('en', 'webchat.ui.placeholder'));
  });
});
