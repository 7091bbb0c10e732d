/**
 * `npm run manifest:commands`: writes the bot's command menu into appPackage/manifest.json, made
 * from the definition env/.env.dev names (SERVICE_DEFINITION) by bot/platform/teams/commandMenu.ts. The
 * manifest keeps this copy because the Agents Toolkit's zipAppPackage (teamsapp.yml) packages the
 * file as it is; `npm run package` makes the menu afresh for its environment, and
 * tests/deploy/package.test.ts fails while the copy differs. Run it after changing a category or
 * a command, and commit the manifest.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandMenuOf, loadEnvironment, withCommandLists } from './package.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, 'appPackage/manifest.json');
const menu = commandMenuOf(loadEnvironment(path.join(root, 'env'), 'dev'), 'dev');
if ('problems' in menu) {
  console.error(menu.problems.join('\n'));
  process.exit(1);
}
const before = readFileSync(file, 'utf8');
const after = withCommandLists(before, menu.lists);
if (after !== before) writeFileSync(file, after);
console.log(after === before ? 'appPackage/manifest.json: the command menu was already current.' : 'appPackage/manifest.json: command menu written.');
