/**
 * `npm run phone` (scripts/phone.ts) as a newcomer meets it when the stand-in is not where it
 * looks (npm start not running, or its stand-in on another port): a plain sentence saying where
 * it looked and what to do, once, and no crash when they type.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/net.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('npm run phone (the WhatsApp phone in a terminal)', function () {
  this.timeout(30_000);

  it('says once that nothing answers where it looked, and keeps running when a message is typed', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/phone.ts', '+27821234567'], {
      cwd: root,
      env: { ...process.env, ACS_STANDIN_URL: nowhere },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const until = (test: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const end = Date.now() + 15_000;
        const look = () => (test() ? resolve() : Date.now() > end ? reject(new Error(`waited for too long; output:\n${output}`)) : setTimeout(look, 100));
        look();
      });
    await until(() => output.includes('Say "hi" to start'));
    child.stdin.write('hi\n');
    await until(() => output.includes(`no answer from ${nowhere}`));
    // A few polls later: still running, the sentence said once, no stack trace.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(child.exitCode, null, `it stopped:\n${output}`);
    assert.equal(output.split(`no answer from ${nowhere}`).length - 1, 1, output);
    assert.match(output, /ACS_STANDIN_URL=<that address>/);
    assert.doesNotMatch(output, /TypeError|at async|ECONNREFUSED/, output);
    child.stdin.write('/quit\n');
    assert.equal(await exited, 0);
  });
});
