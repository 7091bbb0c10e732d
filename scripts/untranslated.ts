/**
 * `npm run untranslated [-- <code> …]`: lists, per language, the catalogue messages whose text is
 * still the English one (bot/messages/<code>.json against en.json), the placeholders a feature
 * adds in English so the parity test holds (docs/translations.md). Texts that are rightly the same
 * in every language (a language's own name, text made only of parameters and punctuation, words
 * a language shares with English such as Afrikaans "Water") are left out by SAME_EVERYWHERE below.
 * Prints `<code>: <n>` and one `  <key> = <English text>` line per message; exits 0 either way.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES } from '../bot/messages/index.js';

type Tree = { [key: string]: string | Tree };

/** Keys whose text may be the English one in a language ("*" for every language). */
const SAME_EVERYWHERE: Record<string, readonly string[]> = {
  '*': [
    'category.noSessions', // "{{category}}: {{sessionLine}}"
    'cards.intake.noticeItem', // "- {{label}} ({{need}}): {{purpose}}"
    'time.session', // "{{date}}, {{opens}}–{{closes}}"
    'cityRules.disputeItem', // "• {{amount}}: {{reason}}"
    'cityRules.supplierChoice', // "{{name}}: {{hint}}"
    'whatsapp.displayName', // "WhatsApp {{mobile}}"
  ],
  af: ['fields.meterType.choices.water', 'time.month.4', 'time.month.9', 'time.month.11', 'time.date', 'typed.status'],
  nso: ['time.month.6'],
};

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bot/messages');
const read = (code: string): Tree => JSON.parse(readFileSync(path.join(folder, `${code}.json`), 'utf8')) as Tree;

function flatten(tree: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else flatten(value, `${prefix}${key}.`, out);
  }
  return out;
}

const english = flatten(read('en'));
const asked = process.argv.slice(2);
for (const code of LANGUAGES.filter((c) => c !== 'en' && (asked.length === 0 || asked.includes(c)))) {
  const allowed = new Set([...SAME_EVERYWHERE['*']!, ...(SAME_EVERYWHERE[code] ?? [])]);
  const same = [...flatten(read(code))].filter(
    ([key, text]) => english.get(key) === text && !allowed.has(key) && !key.startsWith('language.name.'),
  );
  console.log(`${code}: ${same.length}`);
  for (const [key, text] of same) console.log(`  ${key} = ${JSON.stringify(text)}`);
}
