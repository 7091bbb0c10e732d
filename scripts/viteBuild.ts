/**
 * Builds a Vite app (the agents' tab, the public chat page) into its `dist` folder when that is
 * missing or older than its sources; `--force` on the command line always builds. `npm start` and
 * `npm test` run the builds first, so the service always serves current files, and an unchanged
 * app costs a few file times, not a build.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The newest modification time (ms) of a file or of anything under a folder; 0 when it is not there. */
function newest(entry: string): number {
  const info = statSync(entry, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newest(path.join(entry, name))));
}

/**
 * `dir`: the app's folder (its `vite.config.ts` and `dist`); `sources`: every file or folder the
 * build reads (its own sources, and what it takes from the service); `name`: for the log line.
 */
export async function buildWhenChanged(app: { name: string; dir: string; sources: string[] }): Promise<void> {
  const stamp = path.join(app.dir, 'dist', '.built');
  const builtAt = newest(stamp);
  const changedAt = Math.max(...app.sources.map(newest));
  if (!process.argv.includes('--force') && builtAt > 0 && builtAt >= changedAt) {
    console.log(`${app.name}: ${app.name}/dist is up to date`);
    return;
  }
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(app.dir, 'vite.config.ts') });
  writeFileSync(stamp, new Date().toISOString());
  console.log(`${app.name}: built ${app.name}/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
