/**
 * Tester 7, finding 10, on the expert's screen in Chromium: the ratepayer (Afrikaans, over the Bot
 * Framework protocol at /api/messages) types "kanselleer" and answers "Yes, end the chat" while
 * Thandi has their case open in the tab. A banner at the top of the case says so, live (the tab
 * reloads the open case on its events), with the time; it passes axe; and it goes when the
 * ratepayer writes again. In the transcript, "kanselleer" is named as the command it is, with the
 * word as typed (not "[en] kanselleer"), and the cards sent earlier (the question, the survey) are
 * drawn as sent: buttons and choices disabled and out of the tab order, no empty box to type in.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { formatReference } from '../../bot/domain/reference.js';
import { t } from '../../bot/messages/index.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer } from '../support/activities.js';
import { teamsChat, type TeamsChat } from '../support/answers.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from '../support/tabApi.js';

describe("the ratepayer's request to end the chat, as a banner on the case page in Chromium", function () {
  this.timeout(90_000);
  const definition = definitionWithAgents(0);
  let connector: LocalConnector;
  let service: RunningService;
  let browser: TestBrowser;
  let api: ApiClient;
  let chat: TeamsChat;
  const pageErrors: string[] = [];

  before(async function () {
    requireChromium(this);
    connector = await startLocalConnector();
    service = await startTestService(await freshDatabase(), definition, { scheduler: { start: false } });
    api = await signIn(service, 'thandi');
    chat = teamsChat(connector, service.url);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await connector?.close();
  });

  it('shows the request at the top of the case, live, with its time; accessible; gone when the ratepayer writes again; the command word named as such, cards sent earlier drawn as sent (disabled, no empty boxes)', async () => {
    const johan = aRatepayer('Johan van der Merwe');
    await chat.answer(johan, { text: 'Goeie môre' }, [t('af', 'cards.welcome.title', { programme: 'Ratepayer Desk' }).split(' ')[0]!]);
    const queued = await chat.answer(
      johan,
      { value: { verb: 'intake.submit', category: 'billing', draftId: 'draft-end-chat', accountNumber: '501234567', accountHolder: 'Johan van der Merwe', mobile: '0821234567', description: 'My rekening het verdubbel.' } },
      [t('af', 'cards.queued.headline')],
    );
    const display = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(queued)![1]!;
    const reference = display.replace('-', '');

    const tab: Page = await (await browser.newContext()).newPage();
    await tab.setViewportSize({ width: 1280, height: 900 });
    tab.on('pageerror', (e) => pageErrors.push(e.message));
    await tab.goto(service.tabUrl);
    await tab.getByRole('button', { name: /Sign in as Thandi/ }).click();
    await tab.getByText('Live', { exact: true }).waitFor();
    await tab.getByRole('button', { name: `Open case ${formatReference(reference)}` }).click();
    await tab.getByRole('button', { name: 'Claim this case' }).click();
    await tab.getByRole('button', { name: 'Resolve…' }).waitFor();
    const banner = tab.getByTestId('end-chat-requested');
    assert.equal(await banner.count(), 0, 'no banner before they ask');

    // "kanselleer" asks the question; the banner waits for the answer.
    await chat.answer(johan, { text: 'kanselleer' }, [t('af', 'cards.endChat.yes')]);
    await chat.answer(johan, { value: { verb: 'case.endChat', reference, choice: 'end' } }, [t('af', 'cancel.toldExpert', { expert: 'Thandi', reference: display })]);

    // Live: no reload, no click.
    await banner.waitFor({ timeout: 5000 });
    const page = await api.get(`/api/cases/${reference}`);
    const timeZone = (await api.get('/api/config')).body.programme.timeZone as string;
    const clock = new Date(page.body.endChatRequestedAt as string).toLocaleTimeString('en-ZA', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone });
    assert.match(clock, /^\d\d:\d\d$/);
    assert.equal(
      ((await banner.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
      `The ratepayer asked to end the chat at ${clock}. Resolve the case, or send a message if you still need something.`,
    );
    // At the top of the case: above the actions it asks for and above the conversation.
    const top = async (locator: ReturnType<Page['getByTestId']>) => (await locator.boundingBox())!.y;
    assert.ok((await top(banner)) < (await top(tab.getByRole('button', { name: 'Resolve…' }))), 'above the Resolve button');
    assert.ok((await top(banner)) < (await top(tab.getByRole('heading', { name: /Conversation with/ }))), 'above the conversation');
    await expectAccessible(tab, 'the case page with the end-chat request');

    // The command word is named for what it asks, the word as typed beside it: not a message, not
    // machine-translated (it was "[en] kanselleer"); the choice in the bot's own English words.
    const transcript = tab.getByTestId('transcript');
    const command = transcript.getByTestId('command');
    await command.waitFor();
    assert.equal(
      ((await command.textContent()) ?? '').replace(/\s+/g, ' ').trim(),
      'Asked to end the chat (typed the command; the bot asks them to confirm)As typed (Afrikaans): kanselleerA command word, not a message: not translated',
    );
    await transcript.getByTestId('sent-by-card').filter({ hasText: t('en', 'cancel.choseEnd') }).waitFor();
    // The question's card, as the ratepayer saw it, drawn as sent: its buttons disabled, out of reach.
    const question = transcript.getByTestId('sent-card').filter({ hasText: t('af', 'cards.endChat.yes') });
    await question.waitFor();
    const buttons = question.locator('button');
    assert.equal(await buttons.count(), 2, 'both buttons drawn');
    for (let i = 0; i < 2; i++) {
      assert.equal(await buttons.nth(i).isDisabled(), true, 'a button of a card sent earlier is drawn disabled');
      await buttons.nth(i).evaluate((b: any) => b.focus());
      assert.equal(await buttons.nth(i).evaluate((b: any) => b.ownerDocument.activeElement === b), false, 'and cannot take the focus');
    }
    await command.scrollIntoViewIfNeeded();
    await transcript.screenshot({ path: path.join(SCREENSHOTS, 'end-chat-command.png') });

    // They write again: the chat goes on, and the banner goes (live).
    await chat.say(johan, 'Wag, ek het nog een vraag.');
    await tab.getByTestId('transcript').getByText('Wag, ek het nog een vraag.').first().waitFor({ timeout: 5000 });
    await banner.waitFor({ state: 'detached', timeout: 5000 });

    // Resolved: the survey (a form) reaches the transcript with no empty box to type in and no
    // live button: its comment box is drawn as the ratepayer's, its rating choices disabled.
    const resolved = await api.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Explained the estimate.' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    const survey = transcript.getByTestId('sent-card').filter({ has: tab.locator('select, input[type="radio"], [data-testid="answer-box"]') }).last();
    await survey.waitFor({ timeout: 5000 });
    assert.equal(await survey.locator('textarea, input:not([type="radio"]):not([type="checkbox"]):not([type="hidden"])').count(), 0, 'no empty box to type in');
    assert.ok((await survey.getByTestId('answer-box').count()) >= 1, "the comment box drawn as the ratepayer's");
    assert.equal(await survey.locator('button:enabled, select:enabled, input:enabled').count(), 0, 'nothing in it looks pressable');
    await expectAccessible(tab, 'the case page with sent cards drawn as sent');
    await survey.scrollIntoViewIfNeeded();
    await transcript.screenshot({ path: path.join(SCREENSHOTS, 'end-chat-survey-sent.png') });
    assert.deepEqual(pageErrors, []);
  });
});
