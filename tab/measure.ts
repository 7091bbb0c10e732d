/**
 * Measures the tab (`npm run measure:tab`): the main bundle's size, raw and gzipped, and the time
 * from navigation to a visible queue in headless Chromium, signed in locally as an agent with a
 * few cases waiting. Prints a Markdown table for docs/performance.md.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../scripts/chromium.js';
import { createLocalSigningKey, mintLocalToken } from '../bot/auth/tokens.js';
import { loadDefinition } from '../bot/config/definition.js';
import { LOCAL_DEFINITION } from '../bot/config/settings.js';
import { CosmosCaseStore } from '../bot/cosmos/caseStore.js';
import { openCase } from '../bot/domain/case.js';
import { referenceFromSeed } from '../bot/domain/reference.js';
import { startService } from '../bot/service.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const RUNS = 5;

const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const mainFile = /<script type="module"[^>]*src="\/tab\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
if (!mainFile) throw new Error('tab/dist/index.html names no main script: run npm run build:tab');
const main = readFileSync(path.join(dist, mainFile));
const assets = readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
const others = assets
  .filter((f) => `assets/${f}` !== mainFile)
  .map((f) => ({ file: f, raw: statSync(path.join(dist, 'assets', f)).size, gzip: gzipSync(readFileSync(path.join(dist, 'assets', f))).length }));

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
try {
  // A few waiting cases, so the queue has rows to draw.
  const { openCosmos } = await import('../bot/cosmos/database.js');
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
    if (run > 0) timings.push(took); // the first run warms the service and the disk cache
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
console.log(`| main bundle (${mainFile}) | ${kb(main.length)} raw, ${kb(gzipSync(main).length)} gzip |`);
for (const o of others) console.log(`| lazy chunk ${o.file} (loaded only inside Teams) | ${kb(o.raw)} raw, ${kb(o.gzip)} gzip |`);
console.log(`| navigation to a visible queue (8 rows), headless Chromium, local sign-in | median ${median} ms of ${RUNS} (min ${timings[0]} ms, max ${timings[timings.length - 1]} ms) |`);
