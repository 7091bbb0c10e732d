/**
 * `npx tsx bench/etaDiagnose.ts [seeds…] [--summary] [--ceiling | --wave1]`: where the wait
 * estimates of `npm run bench -- --only eta` go wrong. For every scenario, the estimates told at
 * queueing, at place updates (and honest updates) and the last one told before an expert took the case, broken down by the place in the queue when told, by category and
 * by the half hour of the session they were told in; each cell: how many, the share within ±25 %
 * (or 5 minutes), the share told too long (told more than that window above the real wait), too
 * short (below it), more than 5 minutes late, told less, and the mean signed error (told − real,
 * minutes). Seeds default to the tuning seeds (1–5; the held-out ones are 101–120). `--summary`
 * prints the totals only; `--ceiling` and `--wave1` diagnose those estimators instead of the
 * service's.
 */
import { loadDefinition } from '../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../bot/platform/config/settings.js';
import { ceilingEstimator, forecastEstimator, wave1Estimator, SCENARIOS, simulate, type Told } from './eta.js';

const summary = process.argv.includes('--summary');
const estimator = process.argv.includes('--ceiling') ? ceilingEstimator : process.argv.includes('--wave1') ? wave1Estimator : forecastEstimator;
const seeds = process.argv.slice(2).filter((a) => !a.startsWith('--')).map(Number).filter(Number.isFinite);
const definition = loadDefinition(LOCAL_DEFINITION);
const pct = (x: number) => `${Math.round(x * 100)}`.padStart(3);

function cell(list: readonly Told[]): string {
  const n = list.length;
  if (!n) return '';
  let within = 0;
  let long = 0;
  let short = 0;
  let late = 0;
  let signed = 0;
  let under = 0;
  for (const t of list) {
    if (t.real - t.told > 0.5) under++;
    const err = t.told - t.real;
    const window = Math.max(5, 0.25 * t.real);
    if (Math.abs(err) <= window) within++;
    else if (err > 0) long++;
    else short++;
    if (-err > 5) late++;
    signed += err;
  }
  return `n ${String(n).padStart(4)} · within ${pct(within / n)} % · long ${pct(long / n)} % · short ${pct(short / n)} % · late ${pct(late / n)} % · told less ${pct(under / n)} % · err ${(signed / n).toFixed(1).padStart(5)}`;
}

function breakdown(title: string, list: readonly Told[], keyOf: (t: Told) => string): void {
  const groups = new Map<string, Told[]>();
  for (const t of list) {
    const k = keyOf(t);
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]);
  }
  console.log(`    ${title}`);
  for (const k of [...groups.keys()].sort()) console.log(`      ${k.padEnd(16)} ${cell(groups.get(k)!)}`);
}

const place = (t: Told) => {
  const p = t.position ?? 0;
  return p <= 2 ? `place ${p}` : p <= 4 ? 'place 3–4' : p <= 8 ? 'place 5–8' : 'place 9+';
};
const halfHour = (t: Told) => `min ${String(Math.floor((t.atMinute ?? 0) / 30) * 30).padStart(3)}`;

for (const scenario of SCENARIOS) {
  const q: Told[] = [];
  const u: Told[] = [];
  const l: Told[] = [];
  for (const seed of seeds.length ? seeds : [1, 2, 3, 4, 5]) {
    const o = simulate(definition, scenario, seed, [estimator]);
    q.push(...o.atQueueing.get(estimator.name)!);
    u.push(...o.atUpdates.get(estimator.name)!);
    l.push(...o.atLast.get(estimator.name)!);
  }
  console.log(`\n${scenario.name}`);
  for (const [when, list] of [['at queueing', q], ['at place and honest updates', u], ['last told before taken', l]] as const) {
    console.log(`  ${when}: ${cell(list)}`);
    if (summary) continue;
    breakdown('by place', list, place);
    breakdown('by category', list, (t) => t.category ?? '?');
    breakdown('by time', list, halfHour);
  }
}
