import assert from 'node:assert/strict';
import { chooseLanguage, languageCommand, languageNamed, languageOfLocale, languageOfWords, SPOKEN_LANGUAGES } from '../../bot/domain/language.js';

const ALL = SPOKEN_LANGUAGES;

describe('choosing the ratepayer\'s language (issue 16)', () => {
  describe('the client locale', () => {
    it('maps the Teams locales of our languages to our codes, whatever the case or separator', () => {
      const cases: [string, string][] = [
        ['zu-ZA', 'zu'], ['af-ZA', 'af'], ['en-ZA', 'en'], ['en-US', 'en'], ['nso-ZA', 'nso'], ['tn-ZA', 'tn'],
        ['st-ZA', 'st'], ['xh-ZA', 'xh'], ['ZU-za', 'zu'], ['af_ZA', 'af'], ['st', 'st'], ['tn-BW', 'tn'], ['zu-Latn-ZA', 'zu'],
      ];
      for (const [locale, code] of cases) assert.equal(languageOfLocale(locale), code, locale);
    });

    it('knows nothing from a language we do not serve, an empty or a malformed tag', () => {
      for (const locale of ['fr-FR', 've-ZA', 'ts-ZA', 'ss-ZA', 'nr-ZA', '', '   ', 'zulu', 'z', 'zu ZA', 'zu-ZA; drop', undefined]) {
        assert.equal(languageOfLocale(locale), undefined, String(locale));
      }
    });
  });

  describe('the first words', () => {
    it('recognises greetings and thanks in each language', () => {
      const cases: [string, string][] = [
        ['Sawubona', 'zu'], ['sanibonani!', 'zu'], ['Ngiyabonga', 'zu'],
        ['Molo', 'xh'], ['Molweni', 'xh'], ['Enkosi kakhulu', 'xh'],
        ['Goeie môre', 'af'], ['goeie more', 'af'], ['Goeiemiddag', 'af'], ['Hallo', 'af'], ['Baie dankie', 'af'],
        ['Thobela', 'nso'], ['Thobela, ke kgopela thušo', 'nso'],
        ['Lumela', 'st'], ['Dumela, ke a leboha', 'st'],
        ['Dumela, ke a itumela', 'tn'], ['O tsogile jang?', 'tn'],
        ['Hello, I need help with my bill', 'en'],
      ];
      for (const [text, code] of cases) assert.deepEqual(languageOfWords(text), { language: code }, text);
    });

    it('recognises category words: isiZulu electricity, Afrikaans account, Sepedi water', () => {
      assert.deepEqual(languageOfWords('ugesi wami'), { language: 'zu' });
      assert.deepEqual(languageOfWords('umbane'), { language: 'xh' });
      assert.deepEqual(languageOfWords('my rekening is verkeerd'), { language: 'af' });
      assert.deepEqual(languageOfWords('meetse'), { language: 'nso' });
    });

    it('does not settle "dumela" alone, which is Sesotho and Setswana alike: both are offered', () => {
      assert.deepEqual(languageOfWords('Dumela'), { ambiguous: ['st', 'tn'] });
      assert.deepEqual(languageOfWords('Dumelang!'), { ambiguous: ['nso', 'st', 'tn'] });
      assert.deepEqual(languageOfWords('amanzi'), { ambiguous: ['zu', 'xh'] });
    });

    it('lets English words outvote a lone greeting, so an English sentence stays English', () => {
      assert.deepEqual(languageOfWords('Sawubona, I need help with the bill for my account'), { language: 'en' });
    });

    it('does not mistake English words that look like ours, nor words inside other words', () => {
      assert.equal(languageOfWords('more water meter'), undefined);
      assert.equal(languageOfWords('12345'), undefined);
      assert.equal(languageOfWords(''), undefined);
      // "molo" inside "molotov", "hle" inside "while": whole words only.
      assert.equal(languageOfWords('molotov while'), undefined);
    });

    it('counts the programme\'s own words for a language (category keywords from the definition)', () => {
      assert.equal(languageOfWords('ukhetho'), undefined);
      assert.deepEqual(languageOfWords('ukhetho', { zu: ['ukhetho'] }), { language: 'zu' });
    });
  });

  describe('the language command', () => {
    it('is recognised by the word for language in every one of our languages', () => {
      for (const word of ['language', 'Language?', 'ulimi', 'ulwimi', 'taal', 'Taal!', 'puo', 'leleme', 'polelo', 'change language', 'shintsha ulimi', 'tshintsha ulwimi', 'verander taal', 'fetola puo', 'kgetha polelo']) {
        assert.deepEqual(languageCommand(word), { command: 'choose' }, word);
      }
    });

    it('sets a language named with the command, or named alone', () => {
      const cases: [string, string][] = [
        ['language zulu', 'zu'], ['taal: Afrikaans', 'af'], ['puo sesotho', 'st'], ['polelo Sepedi', 'nso'], ['change language to isiXhosa', 'xh'],
        ['ulimi isiZulu', 'zu'], ['Setswana', 'tn'], ['isiZulu', 'zu'], ['English', 'en'], ['Sesotho sa Leboa', 'nso'], ['Engels', 'en'],
      ];
      for (const [text, code] of cases) assert.deepEqual(languageCommand(text), { command: 'set', language: code }, text);
    });

    it('takes the change verbs the catalogues tell people to use: Sepedi "fetoša" (with or without š), Setswana "tlhopha"', () => {
      for (const text of ['Fetoša polelo', 'fetosa polelo', 'tlhopha puo']) assert.deepEqual(languageCommand(text), { command: 'choose' }, text);
      assert.deepEqual(languageCommand('fetoša polelo Sepedi'), { command: 'set', language: 'nso' });
    });

    it('is not a sentence that merely contains the word, nor an unknown language', () => {
      for (const text of ['my language is not listed here at all', 'language french', 'the tale', 'I am looking for the rates query', '']) {
        assert.equal(languageCommand(text), undefined, text);
      }
    });

    it('names every language we serve, in English and in its own words', () => {
      for (const code of SPOKEN_LANGUAGES) assert.equal(languageNamed(code), code);
      assert.equal(languageNamed('Northern Sotho'), 'nso');
      assert.equal(languageNamed('french'), undefined);
    });
  });

  describe('the order: picked, locale, first words, English', () => {
    it('takes what the ratepayer picked over everything else', () => {
      assert.deepEqual(chooseLanguage({ picked: 'af', clientLocale: 'zu-ZA', firstWords: 'Dumela' }, ALL), { language: 'af', source: 'picked' });
      assert.deepEqual(chooseLanguage({ picked: 'isiZulu' }, ALL), { language: 'zu', source: 'picked' });
    });

    it('takes a locale in one of our languages over the first words', () => {
      assert.deepEqual(chooseLanguage({ clientLocale: 'st-ZA', firstWords: 'Sawubona' }, ALL), { language: 'st', source: 'locale' });
    });

    it('lets the first words speak when the client locale is only English (Teams has no UI in most of our languages)', () => {
      assert.deepEqual(chooseLanguage({ clientLocale: 'en-US', firstWords: 'Sawubona' }, ALL), { language: 'zu', source: 'words' });
      assert.deepEqual(chooseLanguage({ clientLocale: 'en-ZA', firstWords: 'I need help' }, ALL), { language: 'en', source: 'locale' });
    });

    it('answers in English when nothing is known, and offers the candidates when the words were ambiguous', () => {
      assert.deepEqual(chooseLanguage({}, ALL), { language: 'en', source: 'default' });
      assert.deepEqual(chooseLanguage({ firstWords: 'Dumela' }, ALL), { language: 'en', source: 'default', offerFirst: ['st', 'tn'] });
      assert.deepEqual(chooseLanguage({ clientLocale: 'fr-FR', firstWords: 'Bonjour' }, ALL), { language: 'en', source: 'default' });
    });

    it('passes over a language that is not available (no catalogue, or switched off until reviewed) to the next rule', () => {
      const available = ['en', 'zu'];
      assert.deepEqual(chooseLanguage({ picked: 'af', clientLocale: 'zu-ZA' }, available), { language: 'zu', source: 'locale' });
      assert.deepEqual(chooseLanguage({ clientLocale: 'af-ZA', firstWords: 'Sawubona' }, available), { language: 'zu', source: 'words' });
      assert.deepEqual(chooseLanguage({ clientLocale: 'af-ZA', firstWords: 'Hallo' }, available), { language: 'en', source: 'default' });
      // Of "dumela"'s two candidates only available ones are offered; one left is no choice to offer.
      assert.deepEqual(chooseLanguage({ firstWords: 'Dumela' }, ['en', 'st']), { language: 'en', source: 'default' });
    });
  });
});
