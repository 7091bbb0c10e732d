/**
 * `npm run icons`: renders appPackage/icons/{color,outline}.svg to appPackage/{color,outline}.png
 * at the sizes Teams requires (192×192 and 32×32) with headless Chromium (Debian's chromium,
 * driven by playwright-core). The PNGs are committed; run this after changing an SVG.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
import { ICON_SIZES, pngSize } from './package.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const executablePath = process.env.CHROMIUM_PATH ?? CHROMIUM;

const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'icons-chromium-'));
// A fresh profile each run (playwright passes it to Chromium as --user-data-dir).
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  deviceScaleFactor: 1,
  args: CHROMIUM_ARGS,
});
try {
  for (const [name, size] of Object.entries(ICON_SIZES)) {
    const svg = readFileSync(path.join(root, `appPackage/icons/${name}.svg`), 'utf8');
    const page = await browser.newPage();
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<!doctype html><html><head><style>html,body{margin:0;padding:0;background:transparent}svg{display:block}</style></head><body>${svg}</body></html>`,
    );
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await page.close();
    const found = pngSize(png);
    if (found?.width !== size || found.height !== size) throw new Error(`${name}.png came out ${found?.width}×${found?.height}, not ${size}×${size}`);
    writeFileSync(path.join(root, `appPackage/${name}.png`), png);
    console.log(`Wrote appPackage/${name}.png (${size}×${size}).`);
  }
} finally {
  await browser.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
