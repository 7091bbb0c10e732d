/**
 * The typed commands in every language (issue 16; bot/messages/commandWords.ts): each catalogue's
 * `typed.<command>` and `typed.also.<command>` words are recognised, whatever the case and accents,
 * English keeps working, sentences that merely contain a word are not commands, and every text that
 * tells people what to type names the word of its own language (nested `$t(typed.…)`, never an
 * English word in quotes).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCommand, isSkipWord, reopenCommand, statusOfCommand, yesOrNo } from '../../bot/messages/commandWords.js';
import { LANGUAGES, t, type MessageKey } from '../../bot/messages/index.js';

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bot/messages');
type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> => {
  for (const [k, v] of Object.entries(tree)) typeof v === 'string' ? out.set(prefix + k, v) : flatten(v, `${prefix}${k}.`, out);
  return out;
};
const words = (lang: (typeof LANGUAGES)[number], command: string): string[] =>
  [t(lang, `typed.${command}` as MessageKey), ...t(lang, `typed.also.${command}` as MessageKey).split(';')].map((w) => w.trim()).filter((w) => w !== '');

describe('typed commands in every language', () => {
  for (const lang of LANGUAGES) {
    it(`${lang}: every word of status, my cases, cancel, end chat and my data is recognised, in any case and with "?" or "!"`, () => {
      for (const command of ['status', 'myCases', 'cancel', 'endChat', 'myData'] as const) {
        for (const word of words(lang, command)) {
          assert.ok(isCommand(command, word), `${lang} ${command}: "${word}"`);
          assert.ok(isCommand(command, `${word.toUpperCase()}?`), `${lang} ${command}: "${word.toUpperCase()}?"`);
        }
      }
    });

    it(`${lang}: "reopen" alone and with a reference, and "status" with a reference and the proof`, () => {
      for (const word of words(lang, 'reopen')) {
        assert.deepEqual(reopenCommand(word), {}, word);
        assert.deepEqual(reopenCommand(`${word} k7m-3pq`), { reference: 'K7M-3PQ' }, word);
      }
      const status = t(lang, 'typed.status');
      assert.deepEqual(statusOfCommand(`${status} K7M-3PQ`), { reference: 'K7M-3PQ' });
      assert.deepEqual(statusOfCommand(`${status} K7M 3PQ 123456789 4567`), { reference: 'K7M 3PQ', account: '123456789', lastFour: '4567' });
      // The dispute reference on the receipt names its case (tester 10, finding 11).
      assert.deepEqual(statusOfCommand(`${status} K7M3PQ-D1`), { reference: 'K7M3PQ' });
      assert.deepEqual(statusOfCommand(`${status} k7m-3pq-d1 123456789 4567`), { reference: 'K7M-3PQ', account: '123456789', lastFour: '4567' });
    });

    it(`${lang}: the texts that say what to type name the ${lang} word, and it is the command`, () => {
      const raw = flatten(JSON.parse(readFileSync(path.join(folder, `${lang}.json`), 'utf8')) as Tree);
      let naming = 0;
      for (const [key, text] of raw) {
        // An English command word in quotes would be a text telling people to type what is not theirs.
        assert.doesNotMatch(text, /"(status|cancel|reopen|end chat|my cases|my data)\b/i, `${lang} ${key}`);
        for (const [, command] of text.matchAll(/\$t\(typed\.(\w+)\)/g)) {
          naming++;
          const word = t(lang, `typed.${command}` as MessageKey);
          assert.ok(t(lang, key.replace(/_(one|other)$/, '') as MessageKey, { count: 1, reference: 'K7M-3PQ', days: 14, stage: '', expert: '', examples: '' }).includes(`"${word}`), `${lang} ${key}`);
        }
      }
      assert.ok(naming >= 10, `${lang}: only ${naming} texts name a command`);
    });
  }

  it('"yes" and "no" (whatsapp.yesWords, whatsapp.noWords) in every language: each word recognised as typed, none both, none a skip word or a command', () => {
    for (const lang of LANGUAGES) {
      for (const [key, meaning] of [['whatsapp.yesWords', 'yes'], ['whatsapp.noWords', 'no']] as const) {
        const listed = t(lang, key).split(';').map((w) => w.trim()).filter((w) => w !== '');
        assert.ok(listed.length > 0, `${lang} ${key}`);
        for (const word of listed) {
          assert.equal(yesOrNo(word), meaning, `${lang} ${key}: "${word}"`);
          assert.equal(yesOrNo(`  ${word.toUpperCase()}! `), meaning, `${lang} ${key}: "${word.toUpperCase()}!"`);
          assert.ok(!isSkipWord(word), `${lang} ${key}: "${word}" is also a skip word`);
          for (const command of ['status', 'myCases', 'cancel', 'endChat', 'myData'] as const) assert.ok(!isCommand(command, word), `${lang} ${key}: "${word}" is also ${command}`);
        }
      }
    }
    // The words the tester typed, and what is neither.
    for (const no of ['cha', 'nee', 'tjhe', 'che', 'nnyaa', 'aowa', 'hayi', 'No.']) assert.equal(yesOrNo(no), 'no', no);
    for (const neither of ['083 555 1234', 'no, use 083 555 1234', 'yesterday', 'nee ek weet nie', '']) assert.equal(yesOrNo(neither), undefined, neither);
  });

  it('a sentence that merely contains a command word is not the command', () => {
    for (const text of ['what is the status of my bill', 'ngifuna ukwazi isimo sesikweletu', 'ek wil nie kanselleer nie', 'cancel my debit order please', 'the reopen date']) {
      assert.ok(!isCommand('status', text) && !isCommand('cancel', text) && !isCommand('myCases', text), text);
      assert.equal(reopenCommand(text), undefined, text);
    }
    assert.ok(isCommand('myData', 'my data please') && isCommand('myData', 'Imininingwane yami ngicela'));
    assert.ok(isCommand('cancel', 'tšwa mothalading') && isCommand('cancel', 'tswa mothalading'), 'accents are ignored');
  });
});
