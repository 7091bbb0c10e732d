/**
 * The public web chat on a slow phone (issue 17): the page through the local Direct Line
 * stand-in to the real service, in headless Chromium with DevTools throttling (400 kbit/s down
 * and up, 400 ms round trip, CPU slowed 4×). Measures what the first load transfers before the
 * bot's first message (bytes on the wire, as the service sends them: brotli), the gzip size of
 * the scripts and styles loaded by then (the budget is in gzip), the time to the page
 * saying who it is and "Connecting…", the time to the bot's first message, and the same on a
 * repeat visit (cached assets, a new chat).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { LOCAL_DEFINITION, type Settings } from '../bot/platform/config/settings.js';
import { loadDefinition } from '../bot/platform/config/definition.js';
import { openCosmos } from '../bot/platform/cosmos/database.js';
import { startEmbeddedCosmos } from '../bot/platform/cosmos/embeddedServer.js';
import { startService } from '../bot/service.js';
import { startLocalDirectLine } from '../devTools/directLine.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../scripts/chromium.js';
import { REPO, type Result, type Size } from './lib.js';

/** DevTools' throttling for the issue's slow 3G phone. */
const SLOW = { latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8, cpu: 4 };

// The page's own first messages (src/main.ts) or, once it is there, Web Chat's.
const BOT_MESSAGE = '#first-messages li, .webchat__bubble:not(.webchat__bubble--from-user), .card';

interface Visit {
  /** ms from navigation to the page's name and "Connecting…" being painted. */
  shown: number;
  /** ms from navigation to the bot's first message in the transcript. */
  firstMessage: number;
  /** Bytes received before the first message (headers and bodies, compressed as sent). */
  transferred: number;
  /** The page's own files fetched before the first message (under /chat/). */
  files: string[];
}

async function visit(page: Page, url: string): Promise<Visit> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: SLOW.latency, downloadThroughput: SLOW.downloadThroughput, uploadThroughput: SLOW.uploadThroughput });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOW.cpu });
  let transferred = 0;
  const files: string[] = [];
  let counting = true;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
    if (counting) transferred += e.encodedDataLength;
  });
  cdp.on('Network.responseReceived', (e: { response: { url: string; fromDiskCache?: boolean } }) => {
    if (counting && new URL(e.response.url).pathname.startsWith('/chat/') && !e.response.fromDiskCache) files.push(new URL(e.response.url).pathname);
  });
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('h1', { state: 'visible', timeout: 60_000 });
  await page.waitForSelector('#status', { state: 'visible', timeout: 60_000 });
  const shown = Date.now() - started;
  await page.waitForSelector(BOT_MESSAGE, { state: 'visible', timeout: 90_000 }).catch(async (error: Error) => {
    throw new Error(`${error.message.split('\n')[0]} (the page said: "${await page.locator('#status').innerText().catch(() => '?')}")`);
  });
  const firstMessage = Date.now() - started;
  counting = false;
  await cdp.detach();
  return { shown, firstMessage, transferred, files };
}

export async function benchWebChat(size: Size): Promise<Result> {
  const title = 'The public web chat (bench/webChat.ts)';
  if (!existsSync(CHROMIUM)) return { title, rows: [{ measurement: 'bench/webChat.ts', figure: `skipped: ${CHROMIUM} is not installed` }] };
  if (!existsSync(path.join(REPO, 'web/dist/index.html'))) throw new Error('the chat page is not built: npm run build:web');
  const runs = size === 'tiny' ? 1 : 3;
  const cosmos = await startEmbeddedCosmos();
  const containers = await openCosmos({ endpoint: cosmos.endpoint, key: cosmos.key, auth: 'key', databaseId: 'bench-webchat' });
  const directLine = await startLocalDirectLine({ secret: 'bench-secret' });
  const settings: Settings = { mode: 'local', port: 0, host: '127.0.0.1', definitionPath: LOCAL_DEFINITION, bot: { kind: 'none' }, store: { kind: 'embedded', port: 0 }, tabAuth: { kind: 'local' }, webChat: { secret: 'bench-secret', endpoint: directLine.domain } };
  const service = await startService(settings, { containers, definition: loadDefinition(LOCAL_DEFINITION), scheduler: { start: false }, webChat: { tokenLimit: { burst: 1000, perSecond: 100 } } });
  directLine.pointAt(`${service.url}/api/messages`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const first: Visit[] = [];
  const repeat: Visit[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-ZA' });
      const page = await context.newPage();
      const url = `${service.chatUrl}?category=billing`;
      first.push(await visit(page, url));
      // A repeat visit: the files are cached; a new chat (what is kept in the browser cleared).
      await page.evaluate('localStorage.clear()');
      const again = await context.newPage();
      await page.close();
      repeat.push(await visit(again, url));
      await context.close();
    }
  } finally {
    await browser.close();
    await service.close();
    await directLine.close();
    containers.client.dispose();
    await cosmos.close();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const loaded = [...new Set(first[0]!.files.filter((f) => /\.(js|css)$/.test(f)))];
  const page = await readFile(path.join(REPO, 'web/dist/index.html'));
  const gzipKb = (loaded.length ? await Promise.all(loaded.map(async (f) => gzipSync(await readFile(path.join(REPO, 'web/dist', f.replace(/^\/chat\//, ''))), { level: 9 }).length)) : [0]).reduce((a, b) => a + b, gzipSync(page, { level: 9 }).length) / 1000;
  const wireKb = median(first.map((v) => v.transferred)) / 1000;
  // What loads after the first message: Web Chat itself (and Adaptive Cards with the first card).
  const { readdir } = await import('node:fs/promises');
  const later = (await readdir(path.join(REPO, 'web/dist/assets'))).filter((f) => f.endsWith('.js') && !loaded.includes(`/chat/assets/${f}`));
  const laterKb = (await Promise.all(later.map(async (f) => gzipSync(await readFile(path.join(REPO, 'web/dist/assets', f)), { level: 9 }).length))).reduce((a, b) => a + b, 0) / 1000;
  const shown = median(first.map((v) => v.shown));
  const firstMessage = median(first.map((v) => v.firstMessage));
  const repeatMessage = median(repeat.map((v) => v.firstMessage));
  return {
    title,
    rows: [
      { measurement: `first load before the bot's first message: page, ${loaded.length} script and style files, gzip`, figure: `${gzipKb.toFixed(0)} KB gzip`, target: '≤ 350 KB gzip', met: gzipKb <= 350 },
      { measurement: 'the same on the wire (brotli as served, with the token call that starts the chat)', figure: `${wireKb.toFixed(0)} KB` },
      { measurement: `loaded after the first message: Web Chat and Adaptive Cards (${later.length} files), gzip`, figure: `${laterKb.toFixed(0)} KB gzip` },
      { measurement: 'slow 3G (400 kbit/s, 400 ms RTT, CPU 4×): the page\'s name and "Connecting…" shown', figure: `median ${shown} ms of ${runs}`, target: '< 1000 ms', met: shown < 1000 },
      { measurement: 'slow 3G: the bot\'s first message', figure: `median ${firstMessage} ms of ${runs}`, target: '< 8000 ms', met: firstMessage < 8000 },
      { measurement: 'slow 3G, repeat visit (cached files, new chat): the bot\'s first message', figure: `median ${repeatMessage} ms of ${runs}`, target: '< 2000 ms', met: repeatMessage < 2000 },
    ],
    notes: ['Adaptive Cards (the `adaptivecards` SDK) load when the first card arrives, after the first message; Web Chat is its minimal bundle without the App Service Extension transport.'],
  };
}
