import assert from 'node:assert/strict';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { matchCategory } from '../../bot/domain/categoryMatch.js';

const { categories } = loadDefinition(LOCAL_DEFINITION);
const codeFor = (text: string) => matchCategory(categories, text)?.code;

describe('finding the category in what a ratepayer typed', () => {
  it('reads codes, names and plain words', () => {
    assert.equal(codeFor('billing'), 'billing');
    assert.equal(codeFor('credit-control'), 'credit-control');
    assert.equal(codeFor('Credit control assistance with repayment arrangements'), 'credit-control');
    assert.equal(codeFor('water meter'), 'metering');
    assert.equal(codeFor('My electricity meter reading is wrong'), 'metering');
    assert.equal(codeFor('rates'), 'rates');
    assert.equal(codeFor('I need an arrangement'), 'credit-control');
    assert.equal(codeFor('indigent'), 'indigent');
    assert.equal(codeFor('register for ESP'), 'indigent');
    assert.equal(codeFor('PROPERTY RATES!!'), 'rates');
  });

  it('prefers the longer phrase ("water meter" over "water") and gives up on nothing or a tie', () => {
    assert.equal(codeFor('my water meter'), 'metering');
    assert.equal(codeFor('good evening'), undefined);
    assert.equal(codeFor(''), undefined);
    assert.equal(codeFor('   '), undefined);
  });

  it('finds isiZulu and isiXhosa keywords with the prefixes those languages join to a noun ("ngemitha yamanzi": about the water meter)', () => {
    assert.equal(codeFor('Sawubona, nginenkinga ngemitha yamanzi'), 'metering');
    assert.equal(codeFor('inkinga ngogesi'), 'metering');
    assert.equal(codeFor('Ndinengxaki ngombane'), 'metering');
    assert.equal(codeFor('Ngicela usizo ngentela yendlu'), 'rates');
    assert.equal(codeFor('Molo, ndinengxaki ngerhafu yepropati'), 'rates');
    // The keyword as it is still wins over a prefixed form of another's: "izikweletu" (debts) is
    // credit control's, though it ends like billing's "isikweletu" (bill) would with a prefix.
    assert.equal(codeFor('ngicela isivumelwano sokukhokha izikweletu'), 'credit-control');
    // Only those languages' words, and only at a word's end: English is matched as whole words.
    assert.equal(codeFor('pirates'), undefined);
    assert.equal(codeFor('Sawubona'), undefined);
  });
});
