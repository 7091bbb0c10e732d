import assert from 'node:assert/strict';
import {
  formatReference,
  isReference,
  normaliseReference,
  REFERENCE_ALPHABET,
  referenceFromSeed,
} from '../../bot/domain/reference.js';

describe('case references', () => {
  it('uses an alphabet of 31 characters without 0, O, 1, I or L', () => {
    assert.equal(REFERENCE_ALPHABET.length, 31);
    assert.equal(new Set(REFERENCE_ALPHABET).size, 31);
    for (const ambiguous of '0O1IL') assert.ok(!REFERENCE_ALPHABET.includes(ambiguous), ambiguous);
  });

  it('gives the same reference for the same seed and attempt, and a new one for the next attempt', () => {
    const first = referenceFromSeed('conv-1:card-42', 0);
    assert.equal(referenceFromSeed('conv-1:card-42', 0), first);
    assert.ok(isReference(first));
    const second = referenceFromSeed('conv-1:card-42', 1);
    assert.notEqual(second, first);
    assert.equal(referenceFromSeed('conv-1:card-42', 1), second);
    assert.notEqual(referenceFromSeed('conv-1:card-43', 0), first);
  });

  it('refuses an attempt that is not a whole number ≥ 0', () => {
    assert.throws(() => referenceFromSeed('s', -1), RangeError);
    assert.throws(() => referenceFromSeed('s', 1.5), RangeError);
    assert.throws(() => referenceFromSeed('s', Number.NaN), RangeError);
  });

  describe('200,000 draws from distinct seeds', () => {
    const DRAWS = 200_000;
    const refs: string[] = [];
    before(() => {
      for (let i = 0; i < DRAWS; i++) refs.push(referenceFromSeed(`seed-${i}`, 0));
    });

    it('use only characters from the alphabet, six of them', () => {
      for (const ref of refs) assert.ok(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/.test(ref), ref);
    });

    it('spread evenly over the alphabet at every position', () => {
      const expected = DRAWS / 31;
      for (let pos = 0; pos < 6; pos++) {
        const counts = new Map<string, number>();
        for (const ref of refs) counts.set(ref[pos]!, (counts.get(ref[pos]!) ?? 0) + 1);
        assert.equal(counts.size, 31, `position ${pos} uses every character`);
        let chiSquare = 0;
        for (const n of counts.values()) chiSquare += (n - expected) ** 2 / expected;
        // 30 degrees of freedom: mean 30, and 70 is beyond the 99.99th percentile. Plain
        // "byte % 31" would favour 8 characters by 9/8 and score in the hundreds.
        assert.ok(chiSquare < 70, `position ${pos}: chi-square ${chiSquare.toFixed(1)}`);
      }
    });

    it('collide about as often as the birthday bound says (about 22 expected)', () => {
      const collisions = DRAWS - new Set(refs).size;
      assert.ok(collisions < 100, `${collisions} collisions`);
    });
  });

  describe('formatReference, normaliseReference and isReference', () => {
    it('formats as two halves with a dash', () => {
      assert.equal(formatReference('K7M3PQ'), 'K7M-3PQ');
      assert.equal(formatReference('k7m 3pq'), 'K7M-3PQ');
      assert.equal(formatReference('not-a-ref'), 'not-a-ref');
    });

    it('normalises what people type', () => {
      assert.equal(normaliseReference('K7M-3PQ'), 'K7M3PQ');
      assert.equal(normaliseReference(' k7m 3pq '), 'K7M3PQ');
      assert.equal(normaliseReference('k7m–3pq'), 'K7M3PQ'); // en dash from a phone keyboard
      assert.equal(normaliseReference(formatReference(referenceFromSeed('x', 0))), referenceFromSeed('x', 0));
    });

    it('rejects the wrong length and ambiguous characters', () => {
      assert.equal(normaliseReference('K7M3P'), undefined);
      assert.equal(normaliseReference('K7M3PQR'), undefined);
      assert.equal(normaliseReference('K0M3PQ'), undefined);
      assert.equal(normaliseReference('KOM3PQ'), undefined);
      assert.equal(normaliseReference('K1M3PQ'), undefined);
      assert.equal(normaliseReference('KIM3PQ'), undefined);
      assert.equal(normaliseReference('KLM3PQ'), undefined);
      assert.equal(normaliseReference(''), undefined);
    });

    it('isReference accepts only the stored form', () => {
      assert.equal(isReference('K7M3PQ'), true);
      assert.equal(isReference('K7M-3PQ'), false);
      assert.equal(isReference('k7m3pq'), false);
      assert.equal(isReference('K7M3P'), false);
    });
  });
});
