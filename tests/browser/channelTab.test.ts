/**
 * The supervisors' channel tab in Chromium, inside a test page that plays the Teams host's side of
 * the teams-js protocol (window.postMessage between the host and the tab's frame): it answers
 * `initialize` (frame context "settings" for the configuration page, "content" for the tab),
 * records `settings.setValidityState`, `registerHandler` and `settings.setSettings`, sends
 * `settings.save` when "Save" is pressed, and answers `authentication.getAuthToken` with a token
 * the service accepts (a local sign-in's, standing in for Teams SSO).
 *
 * The host page is served from the tab's own origin (the tab's CSP lets only Microsoft 365 hosts
 * and itself frame it, and teams-js accepts a parent of its own origin as it does Teams').
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { openSessionAt } from '../../bot/domain/calendar.js';
import { openCase } from '../../bot/domain/case.js';
import { referenceFromSeed } from '../../bot/domain/reference.js';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';

const base = definitionWithAgents();
// Two regions, so that there is a choice to make.
const definition: typeof base = { ...base, regions: [...base.regions, { code: 'D', name: 'Region D' }] };

/** The host's side of teams-js: what Teams does with the messages of the frame it hosts. */
const HOST_PAGE = (tabUrl: string, frameContext: 'settings' | 'content', token: string, saved?: object) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Teams (test host)</title></head>
<body>
<header><h1>Teams test host</h1><button id="save" disabled>Save</button></header>
<section aria-label="The tab"><iframe id="tab" title="Ratepayer Desk" src="${tabUrl}" style="width:1000px;height:640px"></iframe></section>
<script>
  const frame = document.getElementById('tab');
  const runtime = {
    apiVersion: 4,
    hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
    isLegacyTeams: false,
    supports: { appEntity: {}, dialog: { url: {}, card: {} }, pages: { appButton: {}, backStack: {}, config: {}, currentApp: {}, tabs: {} }, teamsCore: {} },
  };
  window.host = { calls: [], validity: undefined, handlers: [], settings: undefined, saved: undefined };
  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow) return;
    const m = event.data;
    if (!m || typeof m.func !== 'string') return;
    host.calls.push(m.func);
    const reply = (args) => frame.contentWindow.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args }, event.origin);
    switch (m.func) {
      case 'initialize': reply(['${frameContext}', 'web', JSON.stringify(runtime), '2.58.0']); break;
      case 'getContext': reply([{ locale: 'en-za', theme: 'default', frameContext: '${frameContext}', hostClientType: 'web', entityId: 'supervisor', teamId: '19:team', channelId: '19:supervisors@thread.tacv2' }]); break;
      case 'authentication.getAuthToken': reply([true, ${JSON.stringify(token)}]); break;
      case 'settings.setValidityState': host.validity = m.args[0]; document.getElementById('save').disabled = !m.args[0]; break;
      case 'registerHandler': host.handlers.push(m.args[0]); break;
      case 'settings.getSettings': reply([${JSON.stringify(saved ?? {})}]); break;
      case 'settings.setSettings': host.settings = m.args[0]; reply([true]); break;
      case 'settings.save.success': host.saved = 'success'; break;
      case 'settings.save.failure': host.saved = 'failure: ' + m.args[0]; break;
      default: break; // telemetry and the like: Teams need not answer
    }
  });
  // Teams' Save button: tells the page to save (teams-js runs its registered handler).
  document.getElementById('save').addEventListener('click', () => frame.contentWindow.postMessage({ func: 'settings.save', args: [{}] }, '*'));
</script>
</body></html>`;

interface HostState {
  calls: string[];
  validity?: boolean;
  handlers: string[];
  settings?: { entityId: string; contentUrl: string; websiteUrl: string; suggestedDisplayName: string };
  saved?: string;
}

describe('the supervisors\' channel tab in Chromium, in a page playing the Teams host', function () {
  this.timeout(60_000);
  let db: CosmosContainers;
  let service: RunningService;
  let browser: TestBrowser;
  let token: string;

  before(async function () {
    requireChromium(this);
    db = await freshDatabase();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    browser = await launchChromium();
    token = (await signIn(service, 'johan')).token!;
    // One waiting case in each region.
    const session = openSessionAt(definition, new Date())!;
    for (const region of ['B', 'D']) {
      const draftId = randomUUID();
      const c = openCase({
        reference: referenceFromSeed(draftId, 0),
        programmeId: definition.programme.id,
        category: 'billing',
        region,
        sessionId: session.id,
        draftId,
        ratepayer: { userId: `29:${draftId}`, displayName: 'Lerato Molefe', conversationId: `a:${draftId}`, channelId: 'msteams' },
        intake: { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', description: 'help' },
        now: new Date(Date.now() - 5 * 60_000),
      });
      assert.ok((await new CosmosCaseStore(db.cases).create(c)).created);
    }
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  async function hostPage(tabPath: string, frameContext: 'settings' | 'content', saved?: object): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    const hostUrl = `${service.url}/teams-test-host-${randomUUID()}`;
    await page.route(hostUrl, (route) => route.fulfill({ contentType: 'text/html', body: HOST_PAGE(`${service.url}${tabPath}`, frameContext, token, saved) }));
    await page.goto(hostUrl);
    return page;
  }
  const hostState = (page: Page) => page.evaluate(() => (globalThis as unknown as { host: HostState }).host);

  it('the configuration page enables Save, and on Save gives Teams the chosen view\'s URL, id and name', async () => {
    const page = await hostPage('/tab/config', 'settings');
    const tab = page.frameLocator('#tab');
    await tab.getByRole('radio', { name: 'Region D only' }).waitFor();
    await page.locator('#save:not([disabled])').waitFor({ timeout: 5000 });
    let state = await hostState(page);
    assert.equal(state.validity, true, 'setValidityState(true): Teams enables Save');
    assert.deepEqual(state.handlers, ['save'], 'a save handler is registered');
    assert.ok(state.calls.includes('initialize'));

    await tab.getByRole('radio', { name: 'Region D only' }).check();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'channel-tab-config.png'), fullPage: true });
    await expectAccessible(page, 'the channel tab\'s configuration page (in the test host)');
    await page.locator('#save').click();
    await page.waitForFunction(() => (globalThis as unknown as { host: HostState }).host.saved !== undefined);
    state = await hostState(page);
    assert.equal(state.saved, 'success');
    assert.deepEqual(state.settings, {
      entityId: 'supervisor-D',
      contentUrl: `${service.url}/tab/index.html#/supervisor?region=D`,
      websiteUrl: `${service.url}/tab/index.html#/supervisor?region=D`,
      suggestedDisplayName: 'Queues: Region D',
    });

    // The whole programme is the other kind of choice.
    await tab.getByRole('radio', { name: 'The whole programme: all regions' }).check();
    await page.evaluate(() => ((globalThis as unknown as { host: HostState }).host.saved = undefined));
    await page.locator('#save').click();
    await page.waitForFunction(() => (globalThis as unknown as { host: HostState }).host.saved !== undefined);
    assert.equal((await hostState(page)).settings?.contentUrl, `${service.url}/tab/index.html#/supervisor`);
  });

  it('reconfiguring a tab starts from the view it shows', async () => {
    const page = await hostPage('/tab/config', 'settings', { entityId: 'supervisor-D', contentUrl: `${service.url}/tab/index.html#/supervisor?region=D` });
    const tab = page.frameLocator('#tab');
    await page.locator('#save:not([disabled])').waitFor({ timeout: 5000 });
    await tab.getByRole('radio', { name: 'Region D only', checked: true }).waitFor({ timeout: 3000 });
    assert.ok((await hostState(page)).calls.includes('settings.getSettings'));
  });

  it('the saved content URL opens the supervisor view of that region, signed in through the host\'s token', async () => {
    const page = await hostPage('/tab/index.html#/supervisor?region=D', 'content');
    const tab = page.frameLocator('#tab');
    const view = tab.getByTestId('supervisor-view');
    await view.waitFor({ timeout: 10_000 });
    await view.getByRole('heading', { name: /Region D/ }).waitFor();
    const waiting = tab.getByRole('list', { name: 'Waiting cases' });
    await waiting.getByText(/waiting \d+ min/).first().waitFor();
    assert.equal(await waiting.getByRole('listitem').count(), 1, 'only Region D\'s waiting case');
    assert.ok((await hostState(page)).calls.includes('authentication.getAuthToken'), 'the token came from the host');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'channel-tab-content.png'), fullPage: true });
  });

  it('outside Teams the configuration page says where it belongs', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${service.url}/tab/config`);
    await page.getByText(/Teams opens this page when a channel tab is added/).waitFor({ timeout: 3000 });
    await expectAccessible(page, 'the configuration page outside Teams');
  });
});
