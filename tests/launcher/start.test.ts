/**
 * `npm start` as a newcomer runs it: one command brings up the service, the embedded store and
 * the Agents Playground, prints where to go, and Ctrl-C stops all of it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/net.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');


async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

describe('npm start (the local launcher)', function () {
  this.timeout(60_000);

  it('starts the service, the embedded store and the Playground, prints the URLs, and stops them all on Ctrl-C', async () => {
    const [port, playgroundPort] = await Promise.all([freePort(), freePort()]);
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), PLAYGROUND_PORT: String(playgroundPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const until = Date.now() + 45_000;
    while (!output.includes('Stop with Ctrl-C') && Date.now() < until && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 200));
    assert.match(output, /Mode: +local/, output);
    assert.match(output, /embedded Cosmos DB-compatible server at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(output, new RegExp(`Bot: +http://127\\.0\\.0\\.1:${port}/api/messages`));
    assert.match(output, new RegExp(`http://localhost:${playgroundPort}`));
    // Issue 16: the Translator stand-in runs beside it and the service's settings point at it.
    const translator = /Translator: +local stand-in at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    assert.ok(translator, output);
    const languages = (await fetch(`${translator}/languages?api-version=3.0`).then((r) => r.json())) as { translation: Record<string, unknown> };
    assert.ok('zu' in languages.translation);
    // Issue 19: the email stand-in keeps receipts; its list answers.
    const listed = /Email receipts: kept by the local ACS Email stand-in, listed at (http:\/\/127\.0\.0\.1:\d+\/messages)/.exec(output);
    assert.ok(listed, output);
    assert.deepEqual(await fetch(listed[1]!).then((r) => r.json()), []);

    const health = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json() as Promise<{ status: string; mode: string }>);
    assert.deepEqual([health.status, health.mode], ['ok', 'local']);
    assert.equal(await answers(`http://127.0.0.1:${playgroundPort}`), true, 'the Playground answers');
    // The public web chat page, through the local Direct Line stand-in the launcher started.
    const chat = new RegExp(`Public web chat: (http://127\\.0\\.0\\.1:${port}/chat/\\?category=billing) .*local Direct Line stand-in at (http://127\\.0\\.0\\.1:\\d+)/v3/directline`).exec(output);
    assert.ok(chat, output);
    assert.equal((await fetch(chat[1]!)).status, 200, 'the page answers');
    const token = await fetch(`http://127.0.0.1:${port}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(token.status, 200, 'the page gets a token through the stand-in');

    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(output, /Stopped\./);
    assert.equal(await answers(`http://127.0.0.1:${port}/health`), false, 'the service is down');
    assert.equal(await answers(`http://127.0.0.1:${playgroundPort}`), false, 'the Playground is down');
    assert.equal(await answers(`${translator}/languages?api-version=3.0`), false, 'the Translator stand-in is down');
    assert.equal(await answers(listed[1]!), false, 'the email stand-in is down');
    assert.equal(await answers(`${chat[2]}/v3/directline/conversations`), false, 'the Direct Line stand-in is down');
  });

  it('refuses a partial Azure configuration with a message naming what is missing', async () => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, BOT_ID: '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c', PLAYGROUND: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(output, /BOT_PASSWORD is required when BOT_TYPE is MultiTenant/);
    assert.match(output, /COSMOS_ENDPOINT is not/);
  });
});
