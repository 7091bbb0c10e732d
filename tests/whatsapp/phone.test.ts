/**
 * `npm run phone -- +27821234567` as a newcomer uses it: a WhatsApp phone in the terminal, talking
 * to the service through the local ACS stand-in (devTools/acs.ts) that `npm start` runs.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AcsStandIn } from '../../devTools/acs.js';
import { startService, type RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, localSettings } from '../support/tabApi.js';
import { acsSettingsFor } from '../support/whatsapp.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'the-phone-test-secret-of-our-own-0123456789';

describe('npm run phone (a WhatsApp phone in the terminal)', function () {
  this.timeout(60_000);
  let acs: AcsStandIn;
  let service: RunningService;

  before(async () => {
    acs = new AcsStandIn();
    await acs.start();
    service = await startService(
      { ...localSettings, acs: acsSettingsFor(acs, SECRET) },
      { containers: await freshDatabase(), definition: definitionWithAgents(0), scheduler: { start: false } },
    );
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
  });
  after(async () => {
    await service?.close();
    await acs?.close();
  });

  it('sends what is typed, shows what the City sends with its buttons, and presses one by its id', async () => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/phone.ts', '+27821234567'], {
      cwd: root,
      env: { ...process.env, ACS_STANDIN_URL: acs.endpoint },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const until = async (pattern: RegExp) => {
      const deadline = Date.now() + 20_000;
      while (!pattern.test(output)) {
        if (Date.now() > deadline) assert.fail(`no ${pattern} in:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await until(/Say "hi" to start/);
    child.stdin.write('hi\n');
    await until(/City ▸ \*Welcome to/);
    assert.match(output, /\[c0\] Account and billing/);
    child.stdin.write('c0\n');
    await until(/Municipal account number/);
    child.stdin.write('/quit\n');
    assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 0);
  });

  it('refuses a number not in international form', async () => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/phone.ts', '0821234567'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (d) => (output += d));
    assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 2);
    assert.match(output, /Usage: npm run phone -- \+27821234567/);
  });
});
