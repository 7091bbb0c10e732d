import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BEGIN, END, runBench, writePerformanceDoc } from '../../bench/run.js';

describe('npm run bench (smoke, tiny sizes)', function () {
  this.timeout(60_000);

  it('runs the claims benchmark end to end and writes its table into the performance page, keeping the rest', async () => {
    const { markdown, results } = await runBench({ only: ['claims'], size: 'tiny', log: () => undefined });
    assert.equal(results.length, 1);
    const doubles = results[0]!.rows.find((r) => r.measurement.startsWith('double claims'));
    assert.equal(doubles?.met, true, `no double claims: ${doubles?.figure}`);
    assert.match(markdown, /\| measurement \| figure \| target \| met \| load after \|/);
    assert.match(markdown, /Load average \(1\/5\/15 min\) [\d.]+ \/ [\d.]+ \/ [\d.]+/);
    assert.match(markdown, /`npm run bench -- --size tiny --only claims`/);

    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'performance.md');
    writeFileSync(file, '# Performance\n\n## The agents\' tab\n\nmeasured by hand\n');
    writePerformanceDoc(markdown, file);
    writePerformanceDoc(markdown.replace('claims per second', 'claims a second'), file);
    const page = readFileSync(file, 'utf8');
    assert.match(page, /## The agents' tab\n\nmeasured by hand/);
    assert.equal(page.split(BEGIN).length, 2, 'one generated section');
    assert.equal(page.split(END).length, 2);
    assert.match(page, /claims a second/);
  });
});
