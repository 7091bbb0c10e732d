/**
 * Test support: the desk as a ratepayer reaches it in Teams — a test service on a fresh database,
 * the Microsoft 365 Agents Playground (a Teams-like client, scripts/playground.ts) pointed at it
 * on a free loopback port, and headless Chromium to drive both the Playground and the tab.
 * Used by the Playground browser tests (tests/browser/relay, teamsText, supervisorChannel).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import type { RunningService } from '../../bot/service.js';
import { startPlayground, waitForHttp, type RunningPlayground } from '../../scripts/playground.js';
import { claimNextAs, launchChromium, requireChromium, type TestBrowser } from './browser.js';
import { freshDatabase } from './cosmos.js';
import { freePort } from './net.js';
import { definitionWithAgents, startTestService } from './tabApi.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface PlaygroundDesk {
  db: CosmosContainers;
  service: RunningService;
  playground: RunningPlayground;
  browser: TestBrowser;
  /** `name: message` of every uncaught error in a page opened with `open`; a test asserts it empty. */
  pageErrors: string[];
  /** A page in a fresh browser context (1280 × 1000), its uncaught errors kept in `pageErrors`. */
  open(url: string, name: string): Promise<Page>;
}

/** What the desk is started with. */
interface PlaygroundDeskOptions {
  /** The service definition; by default definitionWithAgents(). */
  definition?: ServiceDefinition;
  /** More options for startTestService (e.g. the scheduler stopped). */
  service?: Parameters<typeof startTestService>[2];
  /**
   * Copy the repository's .m365agentsplayground.yml into the Playground's working folder (the
   * current user is the supervisor Johan, with the team's channels); otherwise it runs with its
   * default personal chat.
   */
  teamConfig?: boolean;
}

/**
 * Registers the suite's `before` (requireChromium, which skips the suite or fails it under CI when
 * Chromium is missing; then the service, the Playground and Chromium started) and `after` (all of
 * it stopped). Call it in the `describe` body; the returned desk's fields are set once `before`
 * has run. `before` fails, having stopped what it started, when the Playground does not answer
 * within 30 s (with what it printed).
 */
export function usePlaygroundDesk(options: PlaygroundDeskOptions = {}): PlaygroundDesk {
  const desk = {} as PlaygroundDesk;
  let close: (() => Promise<void>) | undefined;
  before(async function () {
    requireChromium(this);
    const { close: stop, ...started } = await startPlaygroundDesk(options);
    Object.assign(desk, started);
    close = stop;
  });
  after(async () => {
    await close?.();
  });
  return desk;
}

/** A started desk, and `close`: stops Chromium, the Playground and the service, whichever were started. */
type StartedDesk = PlaygroundDesk & { close(): Promise<void> };

/** Starts the service on a fresh database, the Playground in its own working folder (it writes a devTools/ log there) and Chromium. */
async function startPlaygroundDesk(options: PlaygroundDeskOptions): Promise<StartedDesk> {
  let service: RunningService | undefined;
  let playground: RunningPlayground | undefined;
  let browser: TestBrowser | undefined;
  const close = async () => {
    await browser?.close();
    await playground?.stop();
    await service?.close();
  };
  try {
    const db = await freshDatabase();
    service = await startTestService(db, options.definition ?? definitionWithAgents(), options.service);
    const cwd = mkdtempSync(path.join(tmpdir(), 'playground-'));
    if (options.teamConfig) copyFileSync(path.join(repo, '.m365agentsplayground.yml'), path.join(cwd, '.m365agentsplayground.yml'));
    playground = startPlayground({ botUrl: service.url, port: await freePort(), cwd });
    if (!(await waitForHttp(playground.url, 30_000))) throw new Error(`the Playground did not start:\n${playground.output()}`);
    browser = await launchChromium();
    const started = browser;
    const pageErrors: string[] = [];
    return {
      db,
      service,
      playground,
      browser,
      pageErrors,
      open: async (url, name) => {
        const page = await (await started.newContext()).newPage();
        await page.setViewportSize({ width: 1280, height: 1000 });
        page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
        await page.goto(url);
        return page;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Types `text` into the Playground's compose box and sends it, as the ratepayer does. */
export async function sayInPlayground(chat: Page, text: string): Promise<void> {
  const box = chat.locator('[role=textbox][contenteditable=true]').first();
  await box.click();
  await box.fill(text);
  await chat.getByRole('button', { name: 'Send Message' }).click();
}

/**
 * The ratepayer `holder` opens the Playground, says "billing", fills the billing form (account
 * 501 234 567, mobile 082 123 4567, "My bill doubled in March.") and joins the queue; Thandi signs
 * in to the tab and claims the case; resolves once the chat says she is connected.
 * Returns the Playground chat and Thandi's tab.
 */
export async function connectWithThandi(desk: PlaygroundDesk, holder: string): Promise<{ chat: Page; tab: Page }> {
  const chat = await desk.open(desk.playground.url, 'playground');
  await chat.locator('[role=textbox][contenteditable=true]').first().waitFor({ timeout: 30_000 });
  await sayInPlayground(chat, 'billing');
  const card = chat.locator('.ac-adaptiveCard').filter({ hasText: 'Account and billing queries' }).last();
  await card.getByLabel('Municipal account number').fill('501 234 567');
  await card.getByLabel('Account holder name').fill(holder);
  await card.getByLabel('Mobile number').fill('082 123 4567');
  await card.getByLabel(/Your query/).fill('My bill doubled in March.');
  await card.getByRole('button', { name: 'Join the queue' }).click();
  await chat.locator('.ac-adaptiveCard').filter({ hasText: 'You are in the queue' }).first().waitFor();

  const tab = await desk.open(desk.service.tabUrl, 'tab');
  await claimNextAs(tab, 'Thandi Mokoena');
  await chat.getByText(/You are now connected with Thandi/).first().waitFor();
  return { chat, tab };
}
