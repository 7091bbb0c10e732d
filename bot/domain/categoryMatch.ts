/**
 * Finding the category a ratepayer means from what they typed or what a category link filled
 * in: its code ("credit-control"), its name, or plain words ("water meter", "arrangement").
 */
import type { Category } from './serviceDefinition.js';

/** Lower case, accents off ("môre", "kgopelošo" as typed without them), anything not a letter or digit a space. */
function words(text: string): string {
  return ` ${text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

/** A category's phrases as `words` gives them, worked out once per category (the definition is fixed once loaded). */
const phrasesOf = new WeakMap<Category, { code: string; phrases: string[] }>();
function matchable(category: Category): { code: string; phrases: string[] } {
  let m = phrasesOf.get(category);
  if (!m) {
    // The words of every language the definition gives (issue 16): "ugesi" finds metering whatever language the chat is in.
    const translated = Object.values(category.words).flatMap((w) => (w ? [w.name, ...w.keywords] : []));
    const phrases = [category.code.replace(/-/g, ' '), category.name, ...category.keywords, ...translated].map(words).filter((p) => p.trim() !== '');
    phrasesOf.set(category, (m = { code: category.code.replace(/-/g, ' '), phrases: [...new Set(phrases)] }));
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
    const { code, phrases } = matchable(category);
    let score = 0;
    for (const p of phrases) if (typed.includes(p)) score = Math.max(score, p.length - 2);
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
