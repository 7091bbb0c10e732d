/**
 * The WhatsApp template texts the City registers in WhatsApp Manager (docs/whatsapp.md, issue 18):
 * for each template, a text in each of the seven languages, with exactly the English text's
 * placeholders in the same order (the desk sends the same parameters whatever the language:
 * bot/platform/whatsapp/channel.ts `templateParams`), within WhatsApp's 1 024 characters for a body.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, t } from '../../bot/messages/index.js';

const doc = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/whatsapp.md'), 'utf8');
const TEMPLATES = ['expert_ready', 'case_outcome', 'case_survey', 'queue_place', 'session_closing', 'next_session'];
const placeholders = (text: string) => [...text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => m[1]).join(',');

/** Language name (as in the catalogue's language.name) → body text, from the table after "`<name>`:". */
function texts(name: string): Map<string, string> {
  const at = doc.indexOf(`\n\`${name}\`:\n`);
  assert.ok(at >= 0, `docs/whatsapp.md has no texts for ${name}`);
  const rows = new Map<string, string>();
  for (const line of doc.slice(at).split('\n').slice(5)) {
    const m = /^\| ([^|]+) \| [^|]+ \| `(.+)` \|$/.exec(line);
    if (!m) break;
    rows.set(m[1]!.trim(), m[2]!);
  }
  return rows;
}

describe('WhatsApp template texts per language (docs/whatsapp.md)', () => {
  for (const name of TEMPLATES) {
    it(`${name}: a text in every language, with the English placeholders in order`, () => {
      const rows = texts(name);
      const english = rows.get('English');
      assert.ok(english, `${name}: no English text`);
      for (const lang of LANGUAGES) {
        const label = t('en', `language.name.${lang}`).replace(/ \(.*\)$/, '');
        const text = rows.get(label);
        assert.ok(text, `${name}: no ${label} text`);
        assert.equal(placeholders(text), placeholders(english), `${name} ${label}`);
        assert.ok(text.length <= 1024, `${name} ${label}: ${text.length} characters`);
      }
    });
  }
});
