/**
 * The public chat page's layout on a phone, after a tester's report (tester 9, session 9): at
 * 360 × 740 the header and the storage notice left the conversation about 300 px and the page
 * itself scrolled; Web Chat's "new messages" pill covered the last bubble in view; the isiZulu
 * status card broke "esilinganiselwe" mid-word. The real Web Chat in headless Chromium, through the
 * local Direct Line stand-in, to the real service and its Cosmos store. Each test logs what it
 * measured (the figures of the report). Screenshots: screenshots/webchat-layout-*.png.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { RunningService } from '../../bot/service.js';
import type { LocalDirectLine } from '../../devTools/directLine.js';
import { t, type Locale } from '../../bot/messages/index.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { signIn } from '../support/tabApi.js';
import { buildWeb, escapeRegExp, waitForText } from '../support/webPage.js';
import { startWebChatDesk, type WebChatDesk } from '../support/webChat.js';

const SECRET = 'local-direct-line-secret';

const label = (language: Locale, field: string) => t(language, `fields.${field}.label` as never);

interface DOMRectLike {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** What the layout test measures of the page, in CSS px. */
interface Layout {
  innerHeight: number;
  innerWidth: number;
  /** The document's scroll height (more than innerHeight: the page itself scrolls). */
  scrollHeight: number;
  scrollWidth: number;
  header: number;
  /** Web Chat's message list (its transcript), without the send box. */
  messages: number;
  footer: number;
  /** Where the chat (message list and send box) ends, and where the notice begins and ends. */
  chatBottom: number;
  footerTop: number;
  footerBottom: number;
  /** The notice's two buttons, their boxes. */
  buttons: { id: string; top: number; bottom: number; left: number; right: number }[];
}

const measure = (page: Page) =>
  page.evaluate<Layout>(`(() => {
    const box = (selector) => document.querySelector(selector)?.getBoundingClientRect();
    return {
      innerHeight, innerWidth,
      scrollHeight: document.scrollingElement.scrollHeight,
      scrollWidth: document.scrollingElement.scrollWidth,
      header: box('header.masthead')?.height ?? 0,
      messages: box('#webchat .webchat__basic-transcript')?.height ?? 0,
      footer: box('footer.device-notice')?.height ?? 0,
      chatBottom: box('#webchat')?.bottom ?? 0,
      footerTop: box('footer.device-notice')?.top ?? 0,
      footerBottom: box('footer.device-notice')?.bottom ?? 0,
      buttons: ['kept-ok', 'forget'].map((id) => { const b = document.getElementById(id).getBoundingClientRect(); return { id, top: b.top, bottom: b.bottom, left: b.left, right: b.right }; }),
    };
  })()`);

describe('Public chat page layout on a phone: the conversation gets the screen, the pill hides no message, words wrap whole', function () {
  this.timeout(150_000);
  let chromium: TestBrowser;
  let service: RunningService;
  let directLine: LocalDirectLine;
  let desk: WebChatDesk;
  let context: BrowserContext;

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
    desk = await startWebChatDesk(db, { secret: SECRET, liveEvents: { pollIntervalMs: 150 } });
    ({ service, directLine } = desk);
  });

  afterEach(async () => {
    await context?.close();
    await desk?.close();
  });

  const newContext = async (width: number, height: number) => {
    context = await chromium.browser.newContext({ viewport: { width, height }, locale: 'en-ZA', timezoneId: 'Africa/Johannesburg' });
    return context;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `webchat-layout-${name}.png`) });

  it('with the storage notice shown (a first visit), the message list has most of a 360 × 740 screen, the page does not scroll, the notice is a banner whose actions are on screen and whose full text is one "more" away; 320 × 568 and a desktop too', async () => {
    for (const [width, height, share, language] of [
      [360, 740, 0.55, 'en'],
      // The tester's page: isiZulu's names and notice are longer.
      [360, 740, 0.55, 'zu'],
      [320, 568, 0.45, 'en'],
      [1280, 800, 0.55, 'en'],
    ] as const) {
      await newContext(width, height);
      const page = await context.newPage();
      await page.goto(`${service.chatUrl}?category=billing`);
      await waitForText(page, /Municipal account number/);
      if (language === 'zu') {
        const box = page.locator('#webchat [data-id="webchat-sendbox-input"]');
        await box.fill('isiZulu');
        await box.press('Enter');
        await waitForText(page, new RegExp(escapeRegExp(t('zu', 'language.formAgain'))));
        await page.locator('#kept-ok').filter({ hasText: t('zu', 'webchat.page.keptDismiss') }).waitFor();
      }
      await page.waitForTimeout(500);
      const seen = await measure(page);
      console.log(`      ${width}×${height} ${language}: message list ${Math.round(seen.messages)} px (${Math.round((100 * seen.messages) / height)} %), header ${Math.round(seen.header)} px, notice ${Math.round(seen.footer)} px (${Math.round(seen.footerTop)}–${Math.round(seen.footerBottom)}; the chat ends at ${Math.round(seen.chatBottom)}), document ${seen.scrollHeight} px of ${seen.innerHeight}`);
      await shot(page, `notice-${width}x${height}-${language}`);
      assert.ok(seen.scrollHeight <= seen.innerHeight, `${width}×${height}: the page itself does not scroll (${seen.scrollHeight} px of ${seen.innerHeight})`);
      // Before: the chat's least height (24rem) ran over the notice, whose first lines went under the send box.
      assert.ok(seen.chatBottom <= seen.footerTop + 1 && seen.footerBottom <= seen.innerHeight + 1, `${width}×${height}: the notice is whole on screen, below the chat (chat ends ${seen.chatBottom}, notice ${seen.footerTop}–${seen.footerBottom})`);
      assert.ok(seen.scrollWidth <= seen.innerWidth, `${width}×${height}: nor sideways (${seen.scrollWidth} px of ${seen.innerWidth})`);
      assert.ok(seen.messages >= share * height, `${width}×${height}: the message list has ${Math.round(seen.messages)} px, at least ${share * 100} % of ${height} wanted`);
      if (width < 600) assert.ok(seen.header <= 96, `${width}×${height}: the header is compact (${Math.round(seen.header)} px)`);
      for (const button of seen.buttons) {
        assert.ok(button.top >= 0 && button.bottom <= height && button.left >= 0 && button.right <= width, `${width}×${height}: the notice's button #${button.id} is on screen (${JSON.stringify(button)})`);
      }
      // The notice's words are all there, one "more" away; its buttons are reached by Tab.
      const more = page.locator('#kept-summary');
      assert.equal(await page.locator('#kept-notice').isVisible(), false, 'the long text is folded at first');
      await more.focus();
      await page.keyboard.press('Enter');
      await page.locator('#kept-notice').waitFor({ state: 'visible' });
      assert.equal((await page.locator('#kept-notice').innerText()).trim(), t(language, 'webchat.page.keptNotice'));
      const opened = await measure(page);
      assert.ok(opened.scrollHeight <= opened.innerHeight, `${width}×${height}: the opened notice does not make the page scroll either`);
      for (const button of opened.buttons) assert.ok(button.top >= 0 && button.bottom <= height, `${width}×${height}: with the text open, #${button.id} is still on screen`);
      await shot(page, `notice-more-${width}x${height}-${language}`);
      if (width === 360 && language === 'en') await expectAccessible(page, 'public chat page, storage notice with its text open');
      await page.keyboard.press('Enter');
      await page.locator('#kept-notice').waitFor({ state: 'hidden' });
      const reached: string[] = [];
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        reached.push(await page.evaluate<string>('document.activeElement?.id ?? ""'));
      }
      assert.ok(reached.includes('kept-ok') && reached.includes('forget'), `both actions reached by Tab from "more": ${reached.join(', ')}`);
      await context.close();
    }
  });

  it('Web Chat\'s "new messages" pill, shown when a message comes while the person has scrolled up, covers no message in view', async () => {
    await newContext(360, 740);
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/);
    const card = page.locator('.card').filter({ hasText: label('en', 'accountNumber') }).last();
    await card.getByLabel(label('en', 'accountNumber')).fill('501234567');
    await card.getByLabel(label('en', 'accountHolder')).fill('Lerato Molefe');
    await card.getByLabel(label('en', 'mobile')).fill('082 123 4567');
    await card.getByLabel(label('en', 'description')).fill('My bill doubled in March.');
    await card.getByRole('button', { name: t('en', 'cards.intake.joinNow'), exact: true }).click();
    await waitForText(page, new RegExp(escapeRegExp(t('en', 'cards.queued.headline'))));
    await page.waitForTimeout(1000);
    // The person scrolls up a little: the end of the queued card is below the list's edge.
    await page.evaluate(`(() => { const s = document.querySelector('#webchat .webchat__basic-transcript__scrollable'); s.scrollTop = s.scrollHeight - s.clientHeight - 160; })()`);
    await page.waitForTimeout(500);
    // An expert takes the case: the bot's "connected" message comes below, unread.
    const thandi = await signIn(service, 'thandi');
    assert.equal((await thandi.post('/api/queue/claim-next')).status, 200);
    const pill = page.locator('#webchat .webchat__scroll-to-end-button');
    await pill.waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForTimeout(500);
    await shot(page, 'pill');
    const seen = await page.evaluate<{ pill: DOMRectLike; list: DOMRectLike; covered: { text: string; box: DOMRectLike }[]; lastInView?: DOMRectLike }>(`(() => {
      const plain = (r) => ({ top: r.top, bottom: r.bottom, left: r.left, right: r.right });
      const pill = plain(document.querySelector('#webchat .webchat__scroll-to-end-button').getBoundingClientRect());
      const list = plain(document.querySelector('#webchat .webchat__basic-transcript__scrollable').getBoundingClientRect());
      const covered = [];
      let lastInView;
      for (const activity of document.querySelectorAll('#webchat .webchat__basic-transcript__activity')) {
        for (const part of activity.querySelectorAll('.webchat__bubble, .webchat__stacked-layout__status, .card')) {
          const r = part.getBoundingClientRect();
          // The part of it in the list's view.
          const v = { top: Math.max(r.top, list.top), bottom: Math.min(r.bottom, list.bottom), left: Math.max(r.left, list.left), right: Math.min(r.right, list.right) };
          if (v.bottom <= v.top || v.right <= v.left) continue;
          lastInView = v;
          if (v.top < pill.bottom && v.bottom > pill.top && v.left < pill.right && v.right > pill.left) covered.push({ text: part.innerText.slice(0, 60), box: v });
        }
      }
      return { pill, list, covered, lastInView };
    })()`);
    console.log(`      pill ${JSON.stringify(seen.pill)}; list ${JSON.stringify(seen.list)}; last message part in view ${JSON.stringify(seen.lastInView)}`);
    assert.deepEqual(seen.covered, [], 'the pill is over no message in view');
    // Pressed, it still takes the person to the new message.
    await pill.click();
    await waitForText(page, /connected with Thandi/);
    await page.locator('#webchat .webchat__scroll-to-end-button').waitFor({ state: 'hidden', timeout: 5000 });
  });

  it('in isiZulu, the queued card and the status card ("isimo") wrap their labels at word boundaries: "esilinganiselwe" is not broken mid-word', async () => {
    await newContext(360, 740);
    const page = await context.newPage();
    await page.goto(`${service.chatUrl}?category=billing`);
    await waitForText(page, /Municipal account number/);
    const box = page.locator('#webchat [data-id="webchat-sendbox-input"]');
    await box.fill('isiZulu');
    await box.press('Enter');
    await waitForText(page, new RegExp(escapeRegExp(t('zu', 'language.formAgain'))));
    const card = page.locator('.card').filter({ hasText: label('zu', 'accountNumber') }).last();
    await card.getByLabel(label('zu', 'accountNumber')).fill('501234567');
    await card.getByLabel(label('zu', 'accountHolder')).fill('Nomsa Dlamini');
    await card.getByLabel(label('zu', 'mobile')).fill('083 111 2222');
    await card.getByLabel(label('zu', 'description')).fill('Ibhili yami iphindeke kabili.');
    await card.getByRole('button', { name: t('zu', 'cards.intake.joinNow'), exact: true }).click();
    await waitForText(page, new RegExp(escapeRegExp(t('zu', 'cards.queued.headline'))));
    await box.fill(t('zu', 'typed.status'));
    await box.press('Enter');
    await waitForText(page, new RegExp(escapeRegExp(t('zu', 'cards.status.wait'))));
    await page.waitForTimeout(800);
    await page.locator('.card').filter({ hasText: t('zu', 'cards.status.wait') }).last().scrollIntoViewIfNeeded();
    await shot(page, 'isizulu-status');
    // Every word of every card, on one line, unless it is wider than the card (the last resort).
    const broken = await page.evaluate<string[]>(`(() => {
      const broken = [];
      for (const card of document.querySelectorAll('#webchat .card')) {
        const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          // The card's width, not its column's: a column squeezed to break a word is the fault itself.
          const boxWidth = card.getBoundingClientRect().width;
          // A word, or a part of a hyphenated one ("nge-akhawunti"): a break after a hyphen or dash is a word boundary.
          for (const match of node.data.matchAll(/[^\\s\u2010-\u2014-]+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            const width = [...range.getClientRects()].reduce((sum, r) => sum + r.width, 0);
            if (lines.size > 1 && width <= boxWidth) broken.push(match[0] + ' (' + [...lines].join('/') + ')');
          }
        }
      }
      return broken;
    })()`);
    assert.ok((await page.locator('.card').filter({ hasText: 'esilinganiselwe' }).count()) >= 2, 'the queued and status cards name the estimated wait');
    assert.deepEqual(broken, [], 'no word broken across lines');
  });
});
