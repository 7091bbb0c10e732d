/**
 * Catalogue parity (issue 16, "Quality of the words"): every language file beside en.json
 * (bot/messages/<code>.json) has every English key, no key English lacks, the same named
 * parameters in each message, the nested `$t(...)` keys resolving, and, for a plural message, exactly
 * the plural forms i18next asks that language for: i18next's JSON v4 picks the suffix from
 * `Intl.PluralRules(language).select(count)`, so the forms a file must give are that language's
 * `pluralCategories` (one/other for en, zu, af, st, tn, nso and xh in Node 24's ICU; a language
 * with more forms needs more).
 *
 * The check is run on small made-up catalogues first, so a check that could not fail is caught too,
 * then on every file in the folder and on LANGUAGES (a registered language must have a file).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, t } from '../../bot/messages/index.js';

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bot/messages');

type Tree = { [key: string]: string | Tree };
const PLURAL = /^(.*)_(zero|one|two|few|many|other)$/;

/** Dotted key → text, for every leaf of a catalogue. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** The names a message fills in: `{{name}}` and `{{name, format}}` (the format may differ per language). */
function parameters(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]!))].sort();
}

/** Keys a message nests with `$t(key)`. */
function nested(text: string): string[] {
  return [...text.matchAll(/\$t\(([\w.]+)\)/g)].map((m) => m[1]!);
}

/** Base key → the plural suffixes given (empty for a message without plural forms). */
function byBase(flat: Map<string, string>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const key of flat.keys()) {
    const m = PLURAL.exec(key);
    const base = m ? m[1]! : key;
    const forms = out.get(base) ?? new Set<string>();
    if (m) forms.add(m[2]!);
    out.set(base, forms);
  }
  return out;
}

/** Every way `other` (in `language`) differs from `english`, one line each; empty when they agree. */
function parityProblems(language: string, english: Tree, other: Tree): string[] {
  const en = flatten(english);
  const xx = flatten(other);
  const enBases = byBase(en);
  const xxBases = byBase(xx);
  const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const problems: string[] = [];
  for (const [base, enForms] of enBases) {
    const forms = xxBases.get(base);
    if (!forms) {
      problems.push(`${language}: missing "${base}"`);
      continue;
    }
    if (enForms.size > 0) {
      const want = [...needed].sort().join(',');
      const got = [...forms].sort().join(',');
      if (want !== got) problems.push(`${language}: "${base}" has plural forms [${got}], ${language} needs [${want}]`);
    } else if (forms.size > 0) {
      problems.push(`${language}: "${base}" has plural forms English does not have`);
    }
  }
  for (const base of xxBases.keys()) if (!enBases.has(base)) problems.push(`${language}: "${base}" is not an English key`);
  // Parameters: every form of a message against the English forms' parameters together (English
  // "_one" may say "a picture" where "_other" says "{{count}} pictures"; a language may use count in both).
  for (const [base] of enBases) {
    const enTexts = [...en].filter(([k]) => k === base || PLURAL.exec(k)?.[1] === base).map(([, v]) => v);
    const enParams = new Set(enTexts.flatMap(parameters));
    for (const [key, text] of xx) {
      if (key !== base && PLURAL.exec(key)?.[1] !== base) continue;
      const got = parameters(text);
      const extra = got.filter((p) => !enParams.has(p) && p !== 'count');
      if (extra.length) problems.push(`${language}: "${key}" fills {{${extra.join('}}, {{')}}} which English does not give`);
      if (enTexts.length === 1) {
        const missing = [...enParams].filter((p) => !got.includes(p));
        if (missing.length) problems.push(`${language}: "${key}" leaves out {{${missing.join('}}, {{')}}}`);
      } else {
        // Plural: each parameter English uses in every form must be in every form here too.
        const always = [...enParams].filter((p) => enTexts.every((t) => parameters(t).includes(p)));
        const missing = always.filter((p) => !got.includes(p));
        if (missing.length) problems.push(`${language}: "${key}" leaves out {{${missing.join('}}, {{')}}}`);
      }
      for (const ref of nested(text)) if (!en.has(ref)) problems.push(`${language}: "${key}" nests $t(${ref}), which is not a key`);
    }
  }
  return problems;
}

function read(file: string): Tree {
  return JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as Tree;
}

describe('catalogue parity: every language has what English has', () => {
  const english: Tree = {
    a: { hello: 'Hello {{name}}', plain: 'Goodbye', hint: 'Use digits' },
    files_one: 'a file on case {{reference}}',
    files_other: '{{count}} files on case {{reference}}',
    withHint: 'Wrong. $t(a.hint)',
  };

  it('passes a faithful translation, with its own parameter formats and plural wording', () => {
    const zu: Tree = {
      a: { hello: 'Sawubona {{name}}', plain: 'Sala kahle', hint: 'Sebenzisa izinombolo' },
      files_one: 'ifayela elilodwa ku-{{reference}}',
      files_other: 'amafayela angu-{{count, thousands}} ku-{{reference}}',
      withHint: 'Akulungile. $t(a.hint)',
    };
    assert.deepEqual(parityProblems('zu', english, zu), []);
  });

  it('fails on a missing key, an extra key, a missing or extra parameter, wrong plural forms and a broken nested key', () => {
    const broken: Tree = {
      a: { hello: 'Hallo', hint: 'Gebruik syfers', extra: 'x {{who}}' },
      files_one: 'n lêer op {{reference}}',
      files_few: '{{count}} lêers',
      withHint: 'Verkeerd {{name}}. $t(a.hynt)',
    };
    assert.deepEqual(parityProblems('af', english, broken).sort(), [
      'af: "a.extra" is not an English key',
      'af: "a.hello" leaves out {{name}}',
      'af: "files" has plural forms [few,one], af needs [one,other]',
      'af: "files_few" leaves out {{reference}}',
      'af: "withHint" fills {{name}} which English does not give',
      'af: "withHint" nests $t(a.hynt), which is not a key',
      'af: missing "a.plain"',
    ]);
  });

  it('asks a language for the plural forms its own rules have, not English\'s', () => {
    // Welsh has six plural categories: an "_one"/"_other" pair is not enough for i18next there.
    const cy: Tree = { ...english, files_one: 'un {{reference}}', files_other: '{{count}} {{reference}}' };
    assert.match(parityProblems('cy', english, cy).join('\n'), /"files" has plural forms \[one,other\], cy needs \[few,many,one,other,two,zero\]/);
  });

  it('holds for every catalogue file in bot/messages', () => {
    const english = read('en.json');
    const files = readdirSync(folder).filter((f) => /^[a-z]{2,3}\.json$/.test(f) && f !== 'en.json');
    const problems = files.flatMap((f) => parityProblems(f.replace('.json', ''), english, read(f)));
    assert.deepEqual(problems, []);
  });

  it('registers only languages that have a catalogue file, English first', () => {
    assert.equal(LANGUAGES[0], 'en');
    const files = new Set(readdirSync(folder).filter((f) => f.endsWith('.json')).map((f) => f.replace('.json', '')));
    for (const code of LANGUAGES) assert.ok(files.has(code), `LANGUAGES lists "${code}" but bot/messages/${code}.json is missing`);
  });

  it('answers a registered language in its own words: parameters, plural forms and nested hints included', () => {
    assert.ok((LANGUAGES as readonly string[]).includes('af'));
    assert.equal(
      t('af', 'validation.account.length', { count: 1 }),
      "Jy het 1 syfer getik, maar 'n rekeningnommer het 9. Jy kry dit bo-aan jou munisipale staat.",
    );
    assert.equal(t('af', 'time.wait.minutes', { count: 7 }), 'sowat 7 minute');
    assert.ok((LANGUAGES as readonly string[]).includes('zu'));
    assert.equal(t('zu', 'time.wait.minutes', { count: 1 }), 'cishe umzuzu o-1');
    assert.equal(t('zu', 'validation.meter.empty'), 'Sicela ubhale inombolo yemitha. Ibhalwe emitheni nasesitatimendeni sakho.');
    assert.ok((LANGUAGES as readonly string[]).includes('st'));
    assert.equal(t('st', 'time.wait.hours', { count: 2 }), 'hoo e ka bang dihora tse 2');
  });
});
