/**
 * Case references: six characters a ratepayer can read out over the phone or type on a phone
 * without confusing 0 with O or 1 with I and L. They are derived from a seed rather than drawn
 * at random, so the same card submitted twice maps to the same reference and the store can see
 * the duplicate; a collision with a different case moves on to the next attempt.
 */
import { createHash } from 'node:crypto';

/** The characters a reference is made of: digits and capitals without 0, O, 1, I and L. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** How many characters a reference has (31^6 ≈ 887 million possibilities). */
const REFERENCE_LENGTH = 6;

const BASE = REFERENCE_ALPHABET.length;
// Bytes at or above this would make the first (256 % 31) characters more likely than the rest.
const UNBIASED_LIMIT = 256 - (256 % BASE);

/**
 * The reference for a seed (e.g. the conversation and card submission id) on a given attempt
 * (0, 1, 2, … after collisions). Deterministic: sha256 of "seed:attempt", mapped onto the
 * alphabet by rejection sampling so every character is equally likely.
 */
export function referenceFromSeed(seed: string, attempt: number): string {
  if (!Number.isSafeInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a whole number ≥ 0, not ${attempt}`);
  let out = '';
  let block = createHash('sha256').update(`${seed}:${attempt}`).digest();
  for (;;) {
    for (const byte of block) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += REFERENCE_ALPHABET[byte % BASE];
      if (out.length === REFERENCE_LENGTH) return out;
    }
    // 32 bytes almost always suffice (each is rejected with probability 8/256); when they do
    // not, hashing the block again continues the same deterministic stream.
    block = createHash('sha256').update(block).digest();
  }
}

/** Shows a reference in two halves for reading aloud: "K7M3PQ" → "K7M-3PQ". */
export function formatReference(ref: string): string {
  const normal = normaliseReference(ref);
  return normal ? `${normal.slice(0, 3)}-${normal.slice(3)}` : ref;
}

/**
 * Turns what someone typed ("k7m-3pq", "K7M 3PQ") into the stored form, or undefined when it
 * cannot be a reference.
 */
export function normaliseReference(input: string): string | undefined {
  const value = input.replace(/[\s\-\u2010-\u2015]/g, '').toUpperCase();
  return isReference(value) ? value : undefined;
}

/** True for a reference in its stored form: exactly six characters from the alphabet, no dash. */
export function isReference(s: string): boolean {
  if (s.length !== REFERENCE_LENGTH) return false;
  for (const ch of s) if (!REFERENCE_ALPHABET.includes(ch)) return false;
  return true;
}
