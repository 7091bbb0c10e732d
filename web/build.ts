/**
 * Builds the public chat page with Vite into web/dist when it is missing or older than its
 * sources (`npm run build:web`; `--force` always builds): scripts/viteBuild.ts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWhenChanged } from '../scripts/viteBuild.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

await buildWhenChanged({
  name: 'web',
  dir: here,
  sources: [path.join(here, 'src'), path.join(here, 'index.html'), path.join(here, 'public'), path.join(here, 'vite.config.ts'), path.join(repo, 'package-lock.json')],
});
