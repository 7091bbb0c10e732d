/**
 * Serves the built tab (tab/dist, made by `npm run build:tab`) under /tab/. Hashed assets are
 * cached for good; index.html never is, so a new build is picked up at the next load.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type restify from 'restify';

/** Content types of the files the service serves from a built folder (the tab's and the chat page's), by extension. */
export const STATIC_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The hosts allowed to frame the tab: Teams on the web and desktop, Outlook and the Microsoft 365 app. */
const FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
  'https://*.teams.microsoft.us',
];

/** The tab's content security policy: its own scripts only, and framed only by Microsoft 365 hosts. */
export const TAB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Fluent UI (Griffel) inserts its styles at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  `frame-ancestors ${FRAME_ANCESTORS.join(' ')}`,
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Registers GET /tab and /tab/*. */
export function registerTabStatic(server: restify.Server, distDir: string): void {
  const root = path.resolve(distDir);

  server.get('/tab', (_req, res, next) => {
    res.redirect(302, '/tab/', next);
  });

  server.get('/tab/*', async (req, res) => {
    const wanted = decodeURIComponent(String(req.params['*'] ?? '')) || 'index.html';
    const file = path.resolve(root, wanted);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.send(404, { error: 'not_found', message: 'No such file.' });
      return;
    }
    const isAsset = wanted.startsWith('assets/');
    // Unknown paths that are not assets are the single-page app's own: serve index.html.
    const target = (await stat(file).then((s) => s.isFile()).catch(() => false)) ? file : isAsset ? undefined : path.join(root, 'index.html');
    const body = target ? await readFile(target).catch(() => undefined) : undefined;
    if (!body || !target) {
      const built = await stat(path.join(root, 'index.html')).then(() => true).catch(() => false);
      res.writeHead(built ? 404 : 503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(built ? 'Not found.' : 'The tab has not been built: run "npm run build:tab".');
      return;
    }
    res.writeHead(200, {
      'content-type': STATIC_TYPES[path.extname(target)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
      'content-security-policy': TAB_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(body);
  });
}
