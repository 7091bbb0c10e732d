/**
 * The deployable folder (npm run build:service): compiled JavaScript that starts with the same
 * command App Service runs (`node bot/main.js`, from infra/azure.bicep) and finds its assets.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildService } from '../../scripts/build-service.js';
import { parseEnvFile } from '../../scripts/package.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the deployable service (npm run build:service)', function () {
  this.timeout(60_000);
  let work: string;
  let child: ChildProcess | undefined;

  before(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'service-build-'));
  });
  after(() => {
    child?.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  });

  it('deploys the built tab and the public chat page beside the service', () => {
    const out = buildService({ outDir: path.join(work, 'with-pages'), log: () => {} });
    assert.ok(existsSync(path.join(out, 'tab/dist/index.html')), 'the tab (tab/dist)');
    assert.ok(existsSync(path.join(out, 'web/dist/index.html')), 'the public chat page (web/dist), served by the service at /chat/');
  });

  it('compiles to JavaScript that starts with `node bot/main.js` and answers /health', async () => {
    const out = buildService({ outDir: path.join(work, 'service'), skipTab: true, log: () => {} });
    const pkg = JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.scripts, { start: 'node bot/main.js' });
    assert.deepEqual(pkg.dependencies, JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies);
    assert.ok(existsSync(path.join(out, 'package-lock.json')));
    assert.ok(!existsSync(path.join(out, 'tests')) && !existsSync(path.join(out, 'scripts')), 'only the service is deployed');
    const definition = parseEnvFile(readFileSync(path.join(root, 'env/.env.dev'), 'utf8')).SERVICE_DEFINITION!;
    assert.ok(existsSync(path.join(out, definition)), `${definition} is deployed`);

    // In App Service the production dependencies are installed in the folder; here, link them.
    symlinkSync(path.join(root, 'node_modules'), path.join(out, 'node_modules'), 'dir');
    child = spawn(process.execPath, ['bot/main.js'], {
      cwd: out,
      env: { PATH: process.env.PATH ?? '', PORT: '0', SERVICE_DEFINITION: definition },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the service did not start:\n${output}`)), 30_000);
      const onData = (data: Buffer) => {
        output += data.toString();
        const m = /listening on (http:\/\/\S+?);/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`the service exited (${code}):\n${output}`)));
    });
    assert.match(output, /programme: Virtual customer engagement/);
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
  });
});
