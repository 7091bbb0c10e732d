/**
 * Test support: axe-core (through @axe-core/playwright) on a page as it is now. The browser suites
 * call `expectAccessible` on each screen a person reaches: no violation of the WCAG 2.x A/AA rules
 * or axe's best practices from our own markup, of any impact (the bar the project set is no
 * serious or critical one; the screens meet the stricter one, e.g. they have a <main> landmark,
 * which axe rates "moderate", so a regression of any kind shows).
 *
 * Library markup we cannot change is left out only selector by selector, each with the reason,
 * in LIBRARY_EXCLUSIONS; nothing else is excluded and no rule is switched off.
 */
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** A part of a page axe leaves out, and why. */
export interface Exclusion {
  selector: string;
  why: string;
}

/** The library markup left out of every check. */
const LIBRARY_EXCLUSIONS: Exclusion[] = [
  {
    // Fluent UI's focus manager (tabster 8, used by @fluentui/react-charts' focus groups) puts
    // `<i tabindex="0" aria-hidden="true" role="none" data-tabster-dummy>` sentinels at the edges
    // of a focus group: when Tab lands on one it moves focus on at once, so it is never read, but
    // axe's aria-hidden-focus rule counts it. It is the library's own element (no prop turns it
    // off); everything inside and around the charts is still checked.
    selector: 'i[data-tabster-dummy]',
    why: 'tabster focus sentinels (Fluent charts): aria-hidden by design, hand focus on at once',
  },
];

/** One violation, as a line a person can act on: rule, impact, what it means, where. */
export interface Finding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe on the page (all frames); returns its violations, most severe first. */
async function violations(page: Page, exclusions: Exclusion[] = LIBRARY_EXCLUSIONS): Promise<Finding[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']);
  for (const e of exclusions) builder = builder.exclude(e.selector);
  const results = await builder.analyze();
  const order = ['critical', 'serious', 'moderate', 'minor'];
  return results.violations
    .sort((a, b) => order.indexOf(a.impact ?? 'minor') - order.indexOf(b.impact ?? 'minor'))
    .map((v) => ({ rule: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
}

/** Fails, listing every finding (impact, rule, what it means, where), when axe finds a violation. */
export async function expectAccessible(page: Page, screen: string, exclusions: Exclusion[] = LIBRARY_EXCLUSIONS): Promise<void> {
  const findings = await violations(page, exclusions);
  assert.deepEqual(
    findings.map((f) => `${f.impact} ${f.rule} (${f.help}): ${f.targets.join(' | ')}`),
    [],
    `axe-core found violations on ${screen}`,
  );
}
