import assert from 'node:assert/strict';
import { say, t, hasMessage, localeOf } from '../../bot/messages/index.js';

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
