/**
 * `npm run links -- [--bot-id <guid>] [--tenant-id <guid>] [--web-origin <https origin>] [--qr-dir <dir>] [--definition <file>]`:
 * prints the Teams link (with --bot-id) and the public web page's link (with --web-origin, e.g.
 * https://desk.joburg.org.za) for each category, to publish on the city's website, SMS and social
 * media; with --qr-dir, also writes each category's web page QR code there as <category>.svg (for
 * posters and statements; the running service serves the same at /chat/qr/<category>.svg).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDefinition } from '../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../bot/platform/config/settings.js';
import { categoryLinks } from '../bot/platform/teams/deepLinks.js';
import { categoryPageUrl, categoryQrSvg } from '../bot/platform/webchat/page.js';

const { values } = parseArgs({
  options: {
    'bot-id': { type: 'string', default: process.env.BOT_ID },
    'tenant-id': { type: 'string', default: process.env.BOT_TENANT_ID },
    'web-origin': { type: 'string', default: process.env.TAB_ENDPOINT },
    'qr-dir': { type: 'string' },
    definition: { type: 'string', default: process.env.SERVICE_DEFINITION ?? LOCAL_DEFINITION },
  },
});

const webOrigin = values['web-origin']?.replace(/\/+$/, '');
if (!values['bot-id'] && !webOrigin) {
  console.error('Give the bot id (--bot-id, or set BOT_ID) for the Teams links, the public origin (--web-origin https://…, or set TAB_ENDPOINT) for the web page\'s links, or both.');
  process.exit(2);
}
if (values['qr-dir'] && !webOrigin) {
  console.error('--qr-dir needs --web-origin: the QR codes point at the web page.');
  process.exit(2);
}
if (webOrigin && !/^https?:\/\/[^/]+$/.test(webOrigin)) {
  console.error(`--web-origin must be an origin such as https://desk.joburg.org.za (it is "${webOrigin}")`);
  process.exit(2);
}
try {
  const def = loadDefinition(values.definition!);
  console.log(`Category links for ${def.programme.name} (${def.programme.organisation}):\n`);
  const teams = values['bot-id'] ? categoryLinks(def, values['bot-id'], values['tenant-id']) : [];
  if (values['qr-dir']) await mkdir(values['qr-dir'], { recursive: true });
  for (const category of def.categories) {
    console.log(category.name);
    const link = teams.find((l) => l.category.code === category.code);
    if (link) console.log(`  Teams: ${link.url}`);
    if (webOrigin) console.log(`  Web:   ${categoryPageUrl(webOrigin, category.code)}`);
    if (values['qr-dir'] && webOrigin) {
      const file = path.join(values['qr-dir'], `${category.code}.svg`);
      await writeFile(file, await categoryQrSvg(webOrigin, category.code));
      console.log(`  QR:    ${file}`);
    }
    console.log('');
  }
  if (teams.length) console.log('Teams links: ratepayers need a Microsoft Teams account (a free personal account works where the tenant allows external chat) and the app available to them; the link opens a chat with the bot with the category filled in.');
  if (webOrigin) console.log('Web links: anyone with a browser, no sign-in; the page opens with the category chosen.');
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
