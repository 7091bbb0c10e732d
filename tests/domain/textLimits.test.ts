import assert from 'node:assert/strict';
import { characterCount, PART_CHARACTERS, splitIntoParts } from '../../bot/domain/textLimits.js';

/** Every part fits, and together the parts are the text itself: nothing cut, nothing added. */
function assertParts(text: string, parts: string[], size = PART_CHARACTERS): void {
  assert.equal(parts.join(''), text);
  for (const p of parts) assert.ok(characterCount(p) <= size, `a part of ${characterCount(p)} characters`);
  for (const p of parts) assert.ok(p.length > 0, 'no empty part');
}

describe('text limits: long messages cut into parts for a chat, never silently', () => {
  it('keeps a text within a part whole', () => {
    assert.deepEqual(splitIntoParts('please call me after 17:00.'), ['please call me after 17:00.']);
    const exactly = 'x'.repeat(PART_CHARACTERS);
    assert.deepEqual(splitIntoParts(exactly), [exactly]);
  });

  it('cuts at the end of a sentence rather than in the middle of a number', () => {
    const sentence = 'My account 501234567 was charged R1 240.50 twice in March. ';
    const text = sentence.repeat(160) + 'Please call me after 17:00.';
    const parts = splitIntoParts(text);
    assertParts(text, parts);
    assert.equal(parts.length, 3);
    for (const p of parts.slice(0, -1)) assert.match(p, /March\. $/, 'each part ends with a whole sentence');
  });

  it('prefers a blank line, then a line end, then a space', () => {
    const para = `${'word '.repeat(700)}\n\n`;
    const text = para.repeat(3);
    const parts = splitIntoParts(text);
    assertParts(text, parts);
    assert.match(parts[0]!, /\n\n$/);
    const lines = `${'a'.repeat(900)}\n`.repeat(6);
    assert.match(splitIntoParts(lines)[0]!, /\n$/);
    const words = 'abcdefghi '.repeat(900);
    const wordParts = splitIntoParts(words);
    assertParts(words, wordParts);
    assert.ok(wordParts.every((p) => p.endsWith(' ')));
  });

  it('cuts one long word (a pasted link, a row of digits) where it must, and counts characters, not UTF-16 units', () => {
    const word = '7'.repeat(10_001);
    const parts = splitIntoParts(word);
    assertParts(word, parts);
    assert.deepEqual(parts.map(characterCount), [4000, 4000, 2001]);
    const emoji = '😀'.repeat(4000);
    assert.deepEqual(splitIntoParts(emoji), [emoji], '4,000 emoji are 4,000 characters (8,000 UTF-16 units)');
  });

  it('never breaks an accented letter, an emoji with its skin tone or a family emoji apart', () => {
    for (const grapheme of ['e\u0301', '👍🏽', '👨‍👩‍👧‍👦', '🇿🇦']) {
      const size = 10;
      const text = 'x'.repeat(size - 1) + grapheme.repeat(5);
      const parts = splitIntoParts(text, size);
      assertParts(text, parts, size);
      for (const p of parts) assert.equal(p.replace(/x/g, '').split(grapheme).join(''), '', `${JSON.stringify(p)} holds only whole ${grapheme}`);
    }
  });
});
