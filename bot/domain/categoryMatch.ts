/**
 * Finding the category a ratepayer means from what they typed or what a category link filled
 * in: its code ("credit-control"), its name, or plain words ("water meter", "arrangement").
 */
import type { Category } from './serviceDefinition.js';

/** Lower case, accents off ("môre", "kgopelošo" as typed without them), anything not a letter or digit a space. */
function words(text: string): string {
  return ` ${text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

/**
 * Languages written conjunctively (the Nguni languages: isiZulu, isiXhosa, isiNdebele, siSwati):
 * a noun takes its prefixes in the same word and loses its initial vowel, so "imitha" (meter)
 * is typed "ngemitha" (about the meter), "amanzi" (water) "yamanzi" (of water), "ugesi"
 * (electricity) "kagesi". The Sotho-Tswana languages write those prefixes apart ("ka akhaonto"),
 * so their keywords match as whole words like English ones.
 */
const CONJUNCTIVE: ReadonlySet<string> = new Set(['zu', 'xh', 'nr', 'ss']);

/** Shortest stem matched at the end of a longer word: shorter ones ("gesi" is four) would find words they are not. */
const MIN_STEM = 4;

/**
 * A keyword of a conjunctive language as a pattern over `words`' output: each word matches a typed
 * word that ends with it less its initial vowel ("imitha yamanzi" finds "ngemitha yamanzi"), a word
 * whose stem would be shorter than MIN_STEM only itself. Undefined when that is the keyword itself.
 */
function prefixedForms(keyword: string): { pattern: RegExp; length: number } | undefined {
  const parts = keyword.trim().split(' ');
  const stems = parts.map((w) => (/^[aeiou]/.test(w) && w.length - 1 >= MIN_STEM ? w.slice(1) : undefined));
  if (stems.every((s) => s === undefined)) return undefined;
  const pattern = parts.map((w, i) => (stems[i] !== undefined ? `\\S*${stems[i]}` : w)).join(' ');
  return { pattern: new RegExp(` ${pattern} `), length: parts.map((w, i) => stems[i] ?? w).join(' ').length };
}

interface Matchable {
  code: string;
  /** Phrases found as whole words. */
  phrases: string[];
  /** Conjunctive-language keywords found with their prefixes (prefixedForms). */
  prefixed: { pattern: RegExp; length: number }[];
}

/** A category's phrases as `words` gives them, worked out once per category (the definition is fixed once loaded). */
const phrasesOf = new WeakMap<Category, Matchable>();
function matchable(category: Category): Matchable {
  let m = phrasesOf.get(category);
  if (!m) {
    // The words of every language the definition gives (issue 16): "ugesi" finds metering whatever language the chat is in.
    const translated = Object.values(category.words).flatMap((w) => (w ? [w.name, ...w.keywords] : []));
    const phrases = [category.code.replace(/-/g, ' '), category.name, ...category.keywords, ...translated].map(words).filter((p) => p.trim() !== '');
    const prefixed = Object.entries(category.words).flatMap(([language, w]) =>
      w && CONJUNCTIVE.has(language) ? w.keywords.map((k) => prefixedForms(words(k))).filter((f) => f !== undefined) : [],
    );
    phrasesOf.set(category, (m = { code: category.code.replace(/-/g, ' '), phrases: [...new Set(phrases)], prefixed }));
  }
  return m;
}

/**
 * The best category for the text, or undefined when nothing fits or two fit equally.
 * Longer matching phrases win ("water meter" beats "water"), so a precise phrase is not
 * overruled by a looser one elsewhere.
 */
export function matchCategory(categories: readonly Category[], text: string): Category | undefined {
  const typed = words(text);
  if (typed.trim() === '') return undefined;
  let best: { category: Category; score: number } | undefined;
  let tie = false;
  for (const category of categories) {
    const { code, phrases, prefixed } = matchable(category);
    let score = 0;
    for (const p of phrases) if (typed.includes(p)) score = Math.max(score, p.length - 2);
    // A prefixed form scores by its stems, so the whole keyword typed as it is scores higher.
    for (const p of prefixed) if (p.length > score && p.pattern.test(typed)) score = p.length;
    if (typed.trim() === code) score = Number.MAX_SAFE_INTEGER;
    if (score === 0) continue;
    if (!best || score > best.score) {
      best = { category, score };
      tie = false;
    } else if (score === best.score) {
      tie = true;
    }
  }
  return tie ? undefined : best?.category;
}

/**
 * The category whose code, name or one keyword (in any language of the definition) is the whole
 * of the text, letter case, accents and punctuation aside ("Billing", "water meter.",
 * "Account and billing queries"); undefined for anything more ("my next bill is due on Friday").
 * A chat with a referral still open keeps other words for the back office
 * (bot/ratepayers/features/referralNote.ts), but a category named exactly starts a new query.
 */
export function namesCategoryExactly(categories: readonly Category[], text: string): Category | undefined {
  const typed = words(text);
  if (typed.trim() === '') return undefined;
  return categories.find((category) => matchable(category).phrases.includes(typed));
}
