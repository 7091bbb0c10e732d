/**
 * Test support for the public web chat page in Chromium (web/): building it, and reading its
 * transcript (Web Chat's `#webchat` element) as a person reads it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Builds the page when its sources are newer than the build (web/build.ts decides), so the page tested is the code's. */
export function buildWeb(): void {
  const built = spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'web/build.ts')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the chat page could not be built (npm run build:web)');
}

/** `text` as a regular expression matching itself. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Waits until the transcript's text matches `pattern`; throws with the transcript's end after `timeoutMs`. */
export async function waitForText(page: Page, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const text = await page.locator('#webchat').innerText();
    if (pattern.test(text)) return;
    if (Date.now() > end) throw new Error(`"${pattern}" did not appear; the transcript says:\n${text.slice(-1500)}`);
    await page.waitForTimeout(150);
  }
}
