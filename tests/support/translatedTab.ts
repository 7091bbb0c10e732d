/**
 * Test support for the tab's machine-translation tests in Chromium (issue 16): a test service on
 * the local definition as it is, the Translator client against the Translator's local stand-in
 * (real HTTP, its REST contract; 2 s timeout), a local Bot Framework connector for the ratepayer,
 * the embedded Cosmos DB, and Chromium for the expert's tab.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { translatorFromSettings } from '../../bot/platform/translator/client.js';
import type { RunningService } from '../../bot/service.js';
import { startTranslatorStandIn, type TranslatorStandIn } from '../../devTools/translator/server.js';
import { cardOf, cardText, messageFrom, postActivity, type TestUser } from './activities.js';
import { launchChromium, requireChromium, type TestBrowser } from './browser.js';
import { startLocalConnector, type LocalConnector } from './connector.js';
import { freshDatabase } from './cosmos.js';
import { definitionWithAgents, startTestService } from './tabApi.js';

export interface TranslatedTab {
  service: RunningService;
  connector: LocalConnector;
  standIn: TranslatorStandIn;
  browser: TestBrowser;
  /** The service's cases, to set a case's language or write transcript lines as an earlier version did. */
  store: CosmosCaseStore;
}

/**
 * Registers the suite's `before` (requireChromium, which skips the suite or fails it under CI when
 * Chromium is missing; then it all started) and `after` (it all stopped). Call it in the
 * `describe` body; the returned object's fields are set once `before` has run.
 */
export function useTranslatedTab(): TranslatedTab {
  const desk = {} as TranslatedTab;
  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    desk.store = new CosmosCaseStore(db.cases);
    desk.standIn = await startTranslatorStandIn();
    const { url, auth } = desk.standIn;
    desk.service = await startTestService(db, definitionWithAgents(), {
      translator: translatorFromSettings({ endpoint: url, auth: { kind: 'key', key: auth.key!, region: auth.region! }, timeoutMs: 2000 }),
    });
    desk.connector = await startLocalConnector();
    desk.browser = await launchChromium();
  });
  after(async () => {
    await desk.browser?.close();
    await desk.service?.close();
    await desk.connector?.close();
    await desk.standIn?.close();
  });
  return desk;
}

/**
 * `user` sends the intake form's `value` (verb intake.submit, its category and fields) through the
 * bot; once the bot's card gives the case reference (within 5 s, or the assertion fails) the case
 * is marked as written in isiZulu in the store. Returns the reference as shown ("K7M-3PQ") and the
 * case id ("K7M3PQ").
 */
export async function queueInIsiZulu(desk: TranslatedTab, user: TestUser, value: Record<string, unknown>): Promise<{ reference: string; id: string }> {
  const { service, connector, store } = desk;
  assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { value })), 200);
  let reference: string | undefined;
  for (const end = Date.now() + 5000; !reference && Date.now() < end; await new Promise((r) => setTimeout(r, 30)))
    for (const s of connector.sent.filter((s) => s.conversationId === user.conversationId))
      reference ??= /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(cardOf(s.body) ?? {}))?.[1];
  assert.ok(reference, 'the case was queued');
  const id = reference.replace('-', '');
  await store.replace({ ...(await store.get(id))!, language: 'zu' });
  return { reference, id };
}

/**
 * A page (1280 × 1000, fresh context) on the tab, signed in as the staff member whose button names
 * `name`, once "My queue" shows; `errors` collects the page's uncaught errors, for the test to assert empty.
 */
export async function openTabAs(desk: TranslatedTab, name: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (await desk.browser.newContext()).newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(desk.service.tabUrl);
  await page.getByRole('button', { name: new RegExp(`Sign in as ${name}`) }).click();
  await page.getByRole('heading', { name: 'My queue' }).waitFor();
  return { page, errors };
}
