/**
 * How much text people may write in one go, and how a long message is cut into parts for a chat
 * channel — never silently: the whole text is kept on the case, and each part sent says which
 * part it is.
 *
 * Lengths are counted in characters as people see them (Unicode code points, so "é" or an emoji
 * counts once), the same count the tab shows while typing.
 */

/**
 * The most one message (ratepayer → expert, or expert → ratepayer) may hold, in characters. A
 * Teams user can type about 28 KB; this lets every message a person really writes through whole,
 * and keeps a case document (Cosmos DB: 2 MB an item) safe from a few pasted books. A longer
 * message is refused with this number, and the writer keeps their text.
 */
export const MESSAGE_CHARACTERS = 20_000;

/** The most one internal note, summary or reason for a release or transfer may hold, in characters. */
export const NOTE_CHARACTERS = 2_000;

/**
 * The most one part of a message sent to a chat holds, in characters. Teams refuses a message
 * over about 28 KB (HTTP 413, "Request Entity too large"; the Bot Framework's own limit is
 * 256 KB a request): 4,000 characters are at most 16 KB of UTF-8 (4 bytes a character), at most
 * 24 KB once JSON-escaped (control characters take 6 bytes, and are 1 byte in UTF-8), with room
 * for the "Thandi (… expert, part 1 of 3): " prefix. It is also about a screen on a phone, so a
 * part reads as one message.
 */
export const PART_CHARACTERS = 4_000;

/** The number of characters as people count them (code points). */
export function characterCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** "20 000": a count as the tab and the bot write it (space between thousands). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Cuts a text into parts of at most `size` characters whose concatenation is the text itself.
 * Cuts fall, by preference, after a blank line, a line end, the end of a sentence or a space,
 * found in the last quarter of the part; failing those (one long word), between two graphemes,
 * so no accented letter or emoji is broken apart.
 */
export function splitIntoParts(text: string, size = PART_CHARACTERS): string[] {
  if (size < 1) throw new RangeError('a part holds at least one character');
  if (characterCount(text) <= size) return [text];
  // Units that must stay whole: graphemes, each split into code points only if it alone is longer than a part.
  const units: string[] = [];
  for (const { segment } of graphemes.segment(text)) {
    const cps = [...segment];
    if (cps.length <= size) units.push(segment);
    else units.push(...cps);
  }
  const lengths = units.map(characterCount);
  const parts: string[] = [];
  let start = 0;
  while (start < units.length) {
    // The furthest end that still fits.
    let end = start;
    let used = 0;
    while (end < units.length && used + lengths[end]! <= size) used += lengths[end++]!;
    if (end < units.length) end = bestBreak(units, start, end, size);
    parts.push(units.slice(start, end).join(''));
    start = end;
  }
  return parts;
}

/** The best place to end a part that may run from `start` to `limit` (exclusive). */
function bestBreak(units: string[], start: number, limit: number, size: number): number {
  const floor = Math.max(start + 1, limit - Math.floor(size / 4));
  const after = (test: (i: number) => boolean) => {
    for (let i = limit; i > floor; i--) if (test(i)) return i;
    return undefined;
  };
  const ws = (u: string | undefined) => u !== undefined && /^\s+$/u.test(u);
  return (
    after((i) => units[i - 1] === '\n' && units[i - 2] === '\n') ??
    after((i) => units[i - 1] === '\n' || units[i - 1] === '\r\n') ??
    after((i) => ws(units[i - 1]) && /[.!?…:;]/u.test(units[i - 2] ?? '')) ??
    after((i) => ws(units[i - 1])) ??
    limit
  );
}
