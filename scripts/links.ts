/**
 * `npm run links -- --bot-id <guid> [--tenant-id <guid>] [--definition <file>]`: prints the
 * Teams link for each category, to publish on the city's website, SMS and social media.
 */
import { parseArgs } from 'node:util';
import { loadDefinition } from '../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../bot/platform/config/settings.js';
import { categoryLinks } from '../bot/platform/teams/deepLinks.js';

const { values } = parseArgs({
  options: {
    'bot-id': { type: 'string', default: process.env.BOT_ID },
    'tenant-id': { type: 'string', default: process.env.BOT_TENANT_ID },
    definition: { type: 'string', default: process.env.SERVICE_DEFINITION ?? LOCAL_DEFINITION },
  },
});

if (!values['bot-id']) {
  console.error('Give the bot id: npm run links -- --bot-id <the bot\'s app id> (or set BOT_ID).');
  process.exit(2);
}
try {
  const def = loadDefinition(values.definition!);
  console.log(`Category links for ${def.programme.name} (${def.programme.organisation}):\n`);
  for (const link of categoryLinks(def, values['bot-id'], values['tenant-id'])) {
    console.log(`${link.category.name}\n  ${link.url}\n`);
  }
  console.log('Ratepayers need a Microsoft Teams account (a free personal account works where the tenant allows external chat) and the app available to them; the link opens a chat with the bot with the category filled in.');
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
