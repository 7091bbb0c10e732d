import assert from 'node:assert/strict';
import { LANGUAGES, say, t, hasMessage, localeOf, type MessageKey } from '../../bot/messages/index.js';

describe('the message catalogue', () => {
  it('fills named parameters and puts nested messages into words first', () => {
    assert.equal(t('en', 'common.typeExamples', { first: 'billing', second: 'water meter' }), 'for example "billing" or "water meter"');
    assert.equal(
      say('en', { code: 'common.and', params: { list: 'a, b', last: { code: 'common.theExpert' } } }),
      'a, b and the expert',
    );
  });

  it('refuses a key it does not have, instead of showing the key to a ratepayer', () => {
    assert.equal(hasMessage('no.such.key'), false);
    assert.throws(() => say('en', { code: 'no.such.key' }), /no "no.such.key"/);
  });
});

describe('localeOf: the language a case, a conversation or a turn is in (issue 16)', () => {
  it('reads a case\'s or a conversation\'s `language`, a turn\'s `locale`, and is English otherwise', () => {
    assert.equal(localeOf({ id: 'K7M3PQ', language: 'zu' }), 'zu');
    assert.equal(localeOf({ id: 'a:conversation', language: 'tn', languageSource: 'picked' }), 'tn');
    assert.equal(localeOf({ locale: 'af' }), 'af');
    // A language with no catalogue (or none recorded: a case from before languages were) is English.
    assert.equal(localeOf({ language: 'fr' }), 'en');
    assert.equal(localeOf({ id: 'K7M3PQ' }), 'en');
    assert.equal(localeOf(undefined), 'en');
    assert.equal(localeOf('a:conversation-id'), 'en');
  });
});

describe('"too long" is about length (too many characters), never distance, in every language', () => {
  /** Each language's word for the characters of a text, as its other length messages say it. */
  const CHARACTERS: Record<(typeof LANGUAGES)[number], RegExp> = { en: /characters/, af: /karakters/, zu: /zinhlamvu/, xh: /mpawu/, nso: /ditlhaka/, st: /ditlhaku/, tn: /ditlhaka/ };
  const KEYS = ['validation.form.tooLong', 'validation.text.tooLong_other', 'validation.erf.tooLong', 'cards.intake.errorSummaryCut_other'] as const;

  for (const lang of LANGUAGES) {
    it(`${lang}: validation.form.tooLong (and the other length messages) say there are too many characters; isiZulu and isiXhosa do not say "kude" (far)`, () => {
      for (const key of KEYS) {
        const text = t(lang, key as MessageKey, { field: 'X', subject: 'X', count: 2, max: 1, fields: 'X', kept: '4 000' });
        assert.match(text, CHARACTERS[lang], `${lang} ${key}: ${text}`);
        assert.doesNotMatch(text, /\bb?e?kude\b/i, `${lang} ${key}: ${text}`);
      }
    });
  }
});
