import assert from 'node:assert/strict';
import { say, t, hasMessage } from '../../bot/messages/index.js';

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
