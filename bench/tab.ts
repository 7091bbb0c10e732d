/**
 * The tab: runs `tab/measure.ts` (the tab's own measurement: main bundle raw and gzip, time from
 * navigation to a visible queue in headless Chromium) in a child process and takes its figures.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO, type Result, type Size } from './lib.js';
import { CHROMIUM } from '../scripts/chromium.js';

export async function benchTab(size: Size): Promise<Result> {
  if (!existsSync(CHROMIUM)) return { title: 'The agents\' tab', rows: [{ measurement: 'tab/measure.ts', figure: `skipped: ${CHROMIUM} is not installed` }] };
  if (!existsSync(path.join(REPO, 'tab/dist/index.html'))) throw new Error('the tab is not built: npm run build:tab');
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'tab/measure.ts')], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`tab/measure.ts exited with ${code}`))));
  });
  const bundle = /\| main bundle \(([^)]+)\) \| ([\d.]+) KB raw, ([\d.]+) KB gzip \|/.exec(output);
  const visible = /\| navigation to a visible queue[^|]*\| median (\d+) ms of (\d+)[^|]*\|/.exec(output);
  if (!bundle || !visible) throw new Error(`tab/measure.ts printed no figures:\n${output}`);
  const gzip = Number(bundle[3]);
  const median = Number(visible[1]);
  void size; // tab/measure.ts has one size
  return {
    title: 'The agents\' tab (tab/measure.ts)',
    rows: [
      { measurement: `main bundle ${bundle[1]}`, figure: `${bundle[2]} KB raw, ${bundle[3]} KB gzip`, target: '< 160 KB gzip', met: gzip < 160 },
      { measurement: 'navigation to a visible queue (8 rows), headless Chromium, local sign-in', figure: `median ${median} ms of ${visible[2]}`, target: '< 400 ms', met: median < 400 },
    ],
  };
}
