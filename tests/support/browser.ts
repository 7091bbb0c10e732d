/**
 * Test support: Debian's Chromium driven by playwright-core. When /usr/bin/chromium is missing
 * the browser suites fail under CI (CI=true: .ci/run installs it) and are skipped, saying so,
 * elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/chromium.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Screenshots go here (git ignores it). */
export const SCREENSHOTS = path.join(repo, 'screenshots');

/**
 * Call in a suite's `before` with mocha's context: skips the suite (printing why) or, under CI,
 * fails it when Chromium is missing; builds the tab when it has not been built.
 */
export function requireChromium(context: Mocha.Context): void {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package for the browser suites`);
    console.log(`      browser suite skipped: ${CHROMIUM} is not installed (apt-get install chromium to run it)`);
    context.skip();
  }
  if (!existsSync(path.join(repo, 'tab/dist/index.html'))) {
    const built = spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'tab/build.ts')], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('the tab could not be built (npm run build:tab)');
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
}

/** A launched browser. */
export interface TestBrowser {
  browser: Browser;
  /** A fresh context: its own storage, like a separate person's browser. */
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** Launches Chromium (playwright gives every launch a fresh temporary profile). */
export async function launchChromium(): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  return {
    browser,
    newContext: () => browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-ZA', timezoneId: 'Africa/Johannesburg' }),
    close: async () => {
      await browser.close();
    },
  };
}

/**
 * On a page showing the tab's local sign-in: signs in as the staff member whose button names
 * `name` ("Thandi Mokoena"), waits for the live queue, claims the next case in it and waits for
 * that case's conversation to show.
 */
export async function claimNextAs(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`Sign in as ${name}`) }).click();
  await page.getByText('Live', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Claim next' }).click();
  await page.getByRole('heading', { name: /Conversation with/ }).waitFor();
}
