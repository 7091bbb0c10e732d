/**
 * Builds the public chat page with Vite into web/dist when it is missing or older than its sources
 * (`npm run build:web`; `--force` always builds). `npm start` and `npm test` run it first, so
 * the service always serves a current page.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const stamp = path.join(here, 'dist', '.built');

function newest(entry: string): number {
  const info = statSync(entry, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newest(path.join(entry, name))));
}

const sources = [
  path.join(here, 'src'),
  path.join(here, 'index.html'),
  path.join(here, 'public'),
  path.join(here, 'vite.config.ts'),
  path.join(repo, 'package-lock.json'),
];
const force = process.argv.includes('--force');
const builtAt = newest(stamp);
const changedAt = Math.max(...sources.map(newest));

if (!force && builtAt > 0 && builtAt >= changedAt) {
  console.log('web: web/dist is up to date');
} else {
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(here, 'vite.config.ts') });
  writeFileSync(stamp, new Date().toISOString());
  console.log(`web: built web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
