/**
 * Builds the tab with Vite into tab/dist when it is missing or older than its sources
 * (`npm run build:tab`; `--force` always builds): scripts/viteBuild.ts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWhenChanged } from '../scripts/viteBuild.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

await buildWhenChanged({
  name: 'tab',
  dir: here,
  sources: [
    path.join(here, 'src'),
    path.join(here, 'index.html'),
    path.join(here, 'vite.config.ts'),
    path.join(repo, 'bot/platform/ports/queueEvents.ts'),
    // What the tab takes from the service: the API's types and the words staff read (bot/platform/contract),
    // and the rules it shares with it (bot/domain).
    path.join(repo, 'bot/platform/contract'),
    path.join(repo, 'bot/domain'),
    path.join(repo, 'package-lock.json'),
  ],
});
