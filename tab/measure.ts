/**
 * Measures the tab (`npm run measure:tab`): the main bundle's size, raw and gzipped (the entry and
 * the chunks it imports, which all load before it runs), and the time from navigation to a
 * visible queue in headless Chromium, signed in locally as an agent with a few cases waiting.
 * Prints a Markdown table for docs/performance.md, then where the time went.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../scripts/chromium.js';
import { createLocalSigningKey, mintLocalToken } from '../bot/platform/auth/tokens.js';
import { loadDefinition } from '../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../bot/platform/config/settings.js';
import { CosmosCaseStore } from '../bot/platform/cosmos/caseStore.js';
import { openCase } from '../bot/domain/case.js';
import { referenceFromSeed } from '../bot/domain/reference.js';
import { startService } from '../bot/service.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const RUNS = 5;

const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const mainFile = /<script type="module"[^>]*src="\/tab\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
if (!mainFile) throw new Error('tab/dist/index.html names no main script: run npm run build:tab');

/**
 * The chunks a chunk imports statically (`import … from "./x.js"`, not `import("./x.js")`): the
 * browser needs them all before the entry runs, so they count as the main bundle.
 */
function staticImports(file: string): string[] {
  const code = readFileSync(path.join(dist, 'assets', file), 'utf8');
  return [...code.matchAll(/(?:\bfrom|\bimport)\s*"\.\/([^"]+\.js)"/g)].map((m) => m[1]!);
}
const entry = path.basename(mainFile);
const firstLoad = [entry];
for (let i = 0; i < firstLoad.length; i++) for (const dep of staticImports(firstLoad[i]!)) if (!firstLoad.includes(dep)) firstLoad.push(dep);
const sizeOf = (file: string) => {
  const body = readFileSync(path.join(dist, 'assets', file));
  return { file, raw: body.length, gzip: gzipSync(body).length };
};
const main = firstLoad.map(sizeOf);
const mainRaw = main.reduce((sum, f) => sum + f.raw, 0);
const mainGzip = main.reduce((sum, f) => sum + f.gzip, 0);
const mainName = firstLoad.length === 1 ? mainFile : `${mainFile} + ${firstLoad.slice(1).join(' + ')}`;
const assets = readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
const others = assets.filter((f) => !firstLoad.includes(f)).map(sizeOf);

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const definition = loadDefinition(LOCAL_DEFINITION);
const key = await createLocalSigningKey();
const service = await startService(
  { mode: 'local', port: 0, host: '127.0.0.1', definitionPath: LOCAL_DEFINITION, bot: { kind: 'none' }, store: { kind: 'embedded', port: 0 }, tabAuth: { kind: 'local' } },
  { definition, localSigningKey: key },
);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: CHROMIUM_ARGS,
});
const chromiumVersion = browser.version();
const timings: number[] = [];
const steps: Record<string, number>[] = [];

/**
 * When each step of a run ended, in ms from the moment navigation was asked for, read after the
 * run from the page's own navigation and resource timing (nothing is added to the page). The
 * figure itself comes later than the rows: Playwright looks for them when the page has loaded,
 * then again after 20, 50, 100, 100 and 500 ms.
 */
async function stepsOf(page: Page, started: number, scripts: string[]): Promise<Record<string, number>> {
  const timeline = await page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return {
      origin: performance.timeOrigin,
      html: navigation.responseEnd,
      parsed: navigation.domContentLoadedEventEnd,
      loaded: navigation.loadEventEnd,
      paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({ url: r.name, start: r.startTime, end: r.responseEnd })),
    };
  });
  const at = (ms: number | undefined) => (ms === undefined ? NaN : Math.round(timeline.origin - started + ms));
  const first = (suffix: string) => timeline.resources.find((r) => new URL(r.url).pathname.endsWith(suffix));
  const api = (route: string) => {
    const call = first(route);
    return { [`${route} sent`]: at(call?.start), [`${route} answered`]: at(call?.end) };
  };
  return {
    'index.html received': at(timeline.html),
    'main bundle received': Math.max(...scripts.map((file) => at(first(file)?.end))),
    ...api('/api/config'),
    ...api('/api/me'),
    ...api('/api/queue'),
    'main bundle run (DOMContentLoaded)': at(timeline.parsed),
    'first paint': at(timeline.paint),
    'page loaded (Playwright starts looking)': at(timeline.loaded),
  };
}
try {
  // A few waiting cases, so the queue has rows to draw.
  const { openCosmos } = await import('../bot/platform/cosmos/database.js');
  const containers = await openCosmos({ endpoint: service.cosmosEndpoint, key: 'local-embedded-cosmos-key', auth: 'key', databaseId: 'ratepayer-desk' });
  const cases = new CosmosCaseStore(containers.cases);
  for (let i = 0; i < 8; i++) {
    const draftId = `measure-${i}-${Date.now()}`;
    await cases.create(
      openCase({
        reference: referenceFromSeed(draftId, 0),
        programmeId: definition.programme.id,
        category: i % 2 ? 'billing' : 'credit-control',
        region: 'B',
        sessionId: 'measure',
        draftId,
        ratepayer: { userId: draftId, displayName: 'Measure', conversationId: draftId, channelId: 'msteams' },
        intake: { accountNumber: '501234567', description: 'measurement' },
        now: new Date(Date.now() - (20 - i) * 60_000),
      }),
    );
  }
  const thandi = definition.staff.find((s) => s.id === 'thandi')!;
  const { token } = await mintLocalToken(key, thandi, new Date());
  for (let run = 0; run < RUNS + 1; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.addInitScript((t) => sessionStorage.setItem('ratepayer-desk.token', t), token);
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(service.tabUrl);
    await page.getByRole('table', { name: 'Waiting cases, oldest first' }).getByRole('row').nth(8).waitFor();
    const took = Date.now() - started;
    if (run > 0) {
      // the first run warms the service and the disk cache
      timings.push(took);
      steps.push({ ...(await stepsOf(page, started, firstLoad)), 'the 8th row found visible (the figure)': took });
    }
    await context.close();
  }
  containers.client.dispose();
} finally {
  await browser.close();
  await service.close();
}

timings.sort((a, b) => a - b);
const median = timings[Math.floor(timings.length / 2)]!;
const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
console.log(`Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, Chromium ${chromiumVersion}`);
console.log('');
console.log('| what | figure |');
console.log('| --- | --- |');
console.log(`| main bundle (${mainName}) | ${kb(mainRaw)} raw, ${kb(mainGzip)} gzip |`);
for (const o of others) console.log(`| lazy chunk ${o.file} (not needed for the queue) | ${kb(o.raw)} raw, ${kb(o.gzip)} gzip |`);
console.log(`| navigation to a visible queue (8 rows), headless Chromium, local sign-in | median ${median} ms of ${RUNS} (min ${timings[0]} ms, max ${timings[timings.length - 1]} ms) |`);
console.log('');
console.log(`Where the time goes (median of the ${RUNS} runs, ms after navigation was asked for; steps in the order they usually end):`);
console.log('');
console.log('| step | ms |');
console.log('| --- | --- |');
const medianOf = (values: number[]) => values.filter(Number.isFinite).sort((a, b) => a - b)[Math.floor(values.filter(Number.isFinite).length / 2)];
const names = Object.keys(steps[0] ?? {});
const medians = names.map((name) => ({ name, ms: medianOf(steps.map((s) => s[name]!)) }));
for (const { name, ms } of medians.sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity))) console.log(`| ${name} | ${ms ?? 'not seen'} |`);
