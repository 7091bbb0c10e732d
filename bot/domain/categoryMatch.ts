/**
 * Finding the category a ratepayer means from what they typed or what a category link filled
 * in: its code ("credit-control"), its name, or plain words ("water meter", "arrangement").
 */
import type { Category } from './serviceDefinition.js';

function words(text: string): string {
  return ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()} `;
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
    const phrases = [category.code.replace(/-/g, ' '), category.name, ...category.keywords];
    let score = 0;
    for (const phrase of phrases) {
      const p = words(phrase);
      if (p.trim() !== '' && typed.includes(p)) score = Math.max(score, p.trim().length);
    }
    if (typed.trim() === category.code.replace(/-/g, ' ')) score = Number.MAX_SAFE_INTEGER;
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
