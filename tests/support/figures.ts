/**
 * Test support: the resilience and security suites' figures. Each test that measures something
 * records it here; the figures are printed under the test and written to `.reliability/` (one
 * JSON file per section, gitignored), from which `npm run reliability:report` renders
 * docs/reliability.md. The report is therefore always the suite's own output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the figures go. */
const FIGURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.reliability');

/** One row of figures: plain names and numbers (or short strings). */
export type Figures = Record<string, string | number | boolean>;

/**
 * Records the figures of one test under a section id (e.g. "faults.sigkill"): printed at once,
 * and written to `.reliability/<section>.json` with the time of the run.
 */
export function recordFigures(section: string, title: string, figures: Figures, how?: string): void {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  console.log(`      figures: ${title}`);
  for (const [name, value] of Object.entries(figures)) console.log(`        ${name.padEnd(width)}  ${value}`);
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(
    path.join(FIGURES_DIR, `${section}.json`),
    JSON.stringify({ section, title, ...(how ? { how } : {}), recordedAt: new Date().toISOString(), node: process.version, figures }, null, 2) + '\n',
  );
}
