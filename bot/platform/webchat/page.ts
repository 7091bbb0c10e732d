/**
 * Serves the public chat page (web/dist, built by `npm run build:web`) under /chat/: one URL per
 * category (`/chat/?category=metering`), with a QR code of it at /chat/qr/<category>.svg. The
 * programme's name, organisation, logo (if any) and categories come from the service definition, written into the page (HTML-escaped; the categories as inert
 * JSON) so it says whose it is before any script runs; the page's words and Web Chat's own
 * (catalogues `webchat.page.*`, `webchat.ui.*`) are in the browser's language; /chat/words/<language>.json
 * has them in another served language, for the page to follow the chat when the ratepayer changes it. Hashed assets are cached for good and
 * sent compressed (brotli or gzip, as the browser accepts); the page itself is never cached.
 *
 * Content-Security-Policy: scripts from this origin only; images from it and the logo's https
 * origin; connections to this origin and the
 * Direct Line endpoint (REST and its WebSocket stream); inline styles allowed because Web Chat
 * (emotion) and Adaptive Cards set them at run time; framed only by the origins configured.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import QRCode from 'qrcode';
import type restify from 'restify';
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';
import { DEFAULT_LOCALE, t, type Locale } from '../../messages/index.js';
import { categoryName, programmeIn, servedLanguages } from '../../messages/programme.js';
import { monthName } from '../../messages/time.js';
import { STATIC_TYPES } from '../http/tabStatic.js';

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json']);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The page's policy for a Direct Line endpoint (its https and wss origins) and the origins that may frame it. */
function pageCsp(directLineEndpoint: string, frameAncestors: readonly string[], logo?: string): string {
  const origin = new URL(directLineEndpoint).origin;
  // An https logo (the definition's) is the only image from elsewhere.
  const logoOrigin = logo?.startsWith('https://') ? ` ${new URL(logo).origin}` : '';
  const socket = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${logoOrigin}`,
    `connect-src 'self' ${origin} ${socket}`,
    `frame-ancestors 'self'${frameAncestors.length ? ` ${frameAncestors.join(' ')}` : ''}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The page's words (catalogue `webchat.page.*`), in the ratepayer's language. */
const PAGE_WORDS = ['connecting', 'connected', 'loading', 'resumed', 'startFailed', 'connectFailed', 'keptNotice', 'sendFailed', 'keptSummary', 'keptDismiss', 'clear', 'clearConfirm', 'chatLabel', 'messagesLabel', 'title', 'noScript'] as const;

/**
 * Web Chat's own interface words (its string ids, botframework-webchat-api 4.18
 * `src/localization/en-US.json`), each said by a catalogue key `webchat.ui.<name>`: the ones the
 * page's minimal bundle shows or reads out with our style options (no upload button, speech,
 * Markdown, receipt cards or toasts). Web Chat puts its arguments in for `$1`, `$2`, `$3`, and
 * `[text][RETRY]` is its link to resend; the catalogues keep both. One catalogue text may say
 * several ids: Web Chat's plural ids fall back to English for a form we do not give, so
 * `attachments` says every form but "one" (the browser has no isiZulu plural rules to tell them
 * apart anyway).
 */
const WEB_CHAT_WORDS: Readonly<Record<string, readonly string[]>> = {
  placeholder: ['TEXT_INPUT_PLACEHOLDER'],
  send: ['TEXT_INPUT_SEND_BUTTON_ALT'],
  inputLabel: ['TEXT_INPUT_ALT'],
  emptyMessage: ['SEND_BOX_IS_EMPTY_TOOLTIP_ALT'],
  sending: ['ACTIVITY_STATUS_SEND_STATUS_ALT_SENDING'],
  sentAt: ['ACTIVITY_STATUS_SEND_STATUS_ALT_SENT_AT'],
  sendFailedRetry: ['ACTIVITY_STATUS_SEND_FAILED_RETRY'],
  sendFailed: ['ACTIVITY_INTERACTIVE_REASON_SEND_FAILED_ALT'],
  failedToSend: ['TRANSCRIPT_LIVE_REGION_SEND_FAILED_ALT'],
  justNow: ['ACTIVITY_STATUS_TIMESTAMP_JUST_NOW'],
  oneMinuteAgo: ['ACTIVITY_STATUS_TIMESTAMP_ONE_MINUTE_AGO'],
  oneHourAgo: ['ACTIVITY_STATUS_TIMESTAMP_ONE_HOUR_AGO'],
  today: ['ACTIVITY_STATUS_TIMESTAMP_TODAY'],
  yesterday: ['ACTIVITY_STATUS_TIMESTAMP_YESTERDAY'],
  connectivity: ['CONNECTIVITY_STATUS_ALT'],
  connecting: ['CONNECTIVITY_STATUS_ALT_CONNECTING'],
  connected: ['CONNECTIVITY_STATUS_ALT_CONNECTED'],
  reconnecting: ['CONNECTIVITY_STATUS_ALT_RECONNECTING'],
  slowConnection: ['CONNECTIVITY_STATUS_ALT_SLOW_CONNECTION'],
  unableToConnect: ['CONNECTIVITY_STATUS_ALT_FATAL'],
  renderError: ['CONNECTIVITY_STATUS_ALT_RENDER_ERROR'],
  botSaid: ['ACTIVITY_BOT_SAID_ALT'],
  youSaid: ['ACTIVITY_YOU_SAID_ALT'],
  botAttached: ['ACTIVITY_BOT_ATTACHED_ALT'],
  youAttached: ['ACTIVITY_YOU_ATTACHED_ALT'],
  oneAttachment: ['ACTIVITY_NUM_ATTACHMENTS_ONE_ALT'],
  attachments: ['ACTIVITY_NUM_ATTACHMENTS_TWO_ALT', 'ACTIVITY_NUM_ATTACHMENTS_FEW_ALT', 'ACTIVITY_NUM_ATTACHMENTS_MANY_ALT', 'ACTIVITY_NUM_ATTACHMENTS_OTHER_ALT'],
  interactive: ['ACTIVITY_INTERACTIVE_FOOTNOTE_ALT'],
  interactiveContent: ['ACTIVITY_INTERACTIVE_REASON_INTERACTIVE_CONTENT_ALT'],
  hasLinks: ['ACTIVITY_INTERACTIVE_REASON_LINK_ALT'],
  card: ['ATTACHMENT_CARD'],
  file: ['ATTACHMENT_FILE'],
  image: ['ATTACHMENT_IMAGE'],
  text: ['ATTACHMENT_TEXT'],
  transcript: ['TRANSCRIPT_ARIA_LABEL_ALT'],
  transcriptRole: ['TRANSCRIPT_ARIA_ROLE_ALT'],
  liveInteractive: ['TRANSCRIPT_LIVE_REGION_INTERACTIVE_LABEL_ALT'],
  liveInteractiveLinks: ['TRANSCRIPT_LIVE_REGION_INTERACTIVE_WITH_LINKS_LABEL_ALT'],
  liveSuggestedActions: ['TRANSCRIPT_LIVE_REGION_SUGGESTED_ACTIONS_LABEL_ALT'],
  moreMessages: ['TRANSCRIPT_MORE_MESSAGES'],
  newMessages: ['TRANSCRIPT_NEW_MESSAGES'],
  endOfHistory: ['TRANSCRIPT_TERMINATOR_TEXT'],
  typing: ['TYPING_INDICATOR_ALT'],
  suggestedActions: ['SUGGESTED_ACTIONS_LABEL_ALT'],
  next: ['SUGGESTED_ACTIONS_FLIPPER_NEXT_ALT', 'CAROUSEL_FLIPPER_NEXT_ALT'],
  previous: ['SUGGESTED_ACTIONS_FLIPPER_PREVIOUS_ALT', 'CAROUSEL_FLIPPER_PREVIOUS_ALT'],
  keyboardHelp: ['KEYBOARD_HELP_HEADER'],
  close: ['KEYBOARD_HELP_CLOSE_BUTTON_ALT'],
  chatHistory: ['KEYBOARD_HELP_CHAT_HISTORY_HEADER'],
  betweenMessages: ['KEYBOARD_HELP_CHAT_HISTORY_MOVE_BETWEEN_MESSAGES_HEADER'],
  arrowKeys: ['KEYBOARD_HELP_CHAT_HISTORY_MOVE_BETWEEN_MESSAGES_BODY'],
  inMessage: ['KEYBOARD_HELP_CHAT_HISTORY_ACCESS_ITEMS_IN_MESSAGE_HEADER'],
  enterKey: ['KEYBOARD_HELP_CHAT_HISTORY_ACCESS_ITEMS_IN_MESSAGE_BODY', 'KEYBOARD_HELP_CHAT_WINDOW_BODY_DO_ACTION_BODY'],
  betweenItems: ['KEYBOARD_HELP_CHAT_HISTORY_MOVE_BETWEEN_ITEMS_HEADER'],
  tabKeys: ['KEYBOARD_HELP_CHAT_HISTORY_MOVE_BETWEEN_ITEMS_BODY', 'KEYBOARD_HELP_CHAT_WINDOW_BODY_MOVE_BETWEEN_ITEMS_BODY'],
  leaveMessage: ['KEYBOARD_HELP_CHAT_HISTORY_LEAVE_MESSAGE_HEADER'],
  escapeKey: ['KEYBOARD_HELP_CHAT_HISTORY_LEAVE_MESSAGE_BODY'],
  chatWindow: ['KEYBOARD_HELP_CHAT_WINDOW_HEADER'],
  betweenWindowItems: ['KEYBOARD_HELP_CHAT_WINDOW_BODY_MOVE_BETWEEN_ITEMS_HEADER'],
  doAction: ['KEYBOARD_HELP_CHAT_WINDOW_BODY_DO_ACTION_HEADER'],
};

/**
 * What the page gives Web Chat (web/src/chat.tsx), in the page's language: its `locale` (a BCP 47
 * tag, the language in South Africa: "zu-ZA"), its strings by Web Chat id, the words for "$1
 * minutes ago" and "$1 hours ago" (Web Chat takes those from its date library, not its strings)
 * and the month names for older messages' dates (ICU's on the server, or the catalogue's).
 */
function webChatWords(locale: Locale): { locale: string; strings: Record<string, string>; minutesAgo: string; hoursAgo: string; months: string[] } {
  const strings: Record<string, string> = {};
  for (const [name, ids] of Object.entries(WEB_CHAT_WORDS)) {
    const text = t(locale, `webchat.ui.${name}` as never);
    for (const id of ids) strings[id] = text;
  }
  return {
    locale: `${locale}-ZA`,
    strings,
    minutesAgo: t(locale, 'webchat.ui.minutesAgo'),
    hoursAgo: t(locale, 'webchat.ui.hoursAgo'),
    months: Array.from({ length: 12 }, (_, i) => monthName(i + 1, locale)),
  };
}

/** The first of the browser's languages (Accept-Language, in its order of preference) that the programme serves. */
function localeFrom(acceptLanguage: string | undefined, served: readonly string[]): Locale {
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { language: (tag ?? '').toLowerCase().split('-')[0]!, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((w) => w.q > 0)
    .sort((a, b) => b.q - a.q);
  return (wanted.map((w) => w.language).find((l) => served.includes(l)) as Locale | undefined) ?? DEFAULT_LOCALE;
}

/** The header's logo (the definition's, alt text the programme's name in the page's language), or nothing. */
function logoHtml(definition: ServiceDefinition, name: string): string {
  const logo = definition.programme.logo;
  if (!logo) return '';
  const src = logo.startsWith('https://') ? logo : `/chat/${logo}`;
  return `<img class="logo" src="${escapeHtml(src)}" alt="${escapeHtml(name)}" />`;
}

/**
 * Everything the page says, in `locale`: its language (a catalogue code), the served languages,
 * the programme's name and organisation (the definition's words, English where it gives none),
 * the categories' names, the page's words (`webchat.page.*`) and Web Chat's (webChatWords). Written
 * into the page as JSON, and served alone at /chat/words/<language>.json for the page to switch
 * to when the chat's language changes (web/src/pageLanguage.ts).
 */
function pageConfig(definition: ServiceDefinition, locale: Locale) {
  const words_ = programmeIn(definition, locale);
  const programme = words_.name;
  return {
    lang: locale,
    languages: servedLanguages(definition),
    programme,
    organisation: words_.organisation,
    categories: definition.categories.map((c) => ({ code: c.code, name: categoryName(definition, c.code, locale) })),
    words: Object.fromEntries(PAGE_WORDS.map((key) => [key, t(locale, `webchat.page.${key}`, { programme })])) as Record<(typeof PAGE_WORDS)[number], string>,
    webChat: webChatWords(locale),
  };
}

/** The page with the programme's words and the page's own, in `locale`, written in. */
function personalise(html: string, definition: ServiceDefinition, locale: Locale): string {
  const config = pageConfig(definition, locale);
  const { programme, words } = config;
  // Inert JSON in the page: "<" escaped so no text can close the script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  let page = html;
  for (const [key, value] of Object.entries(words)) page = page.replaceAll(`{{t.${key}}}`, escapeHtml(value));
  return page
    .replaceAll('{{lang}}', locale)
    .replaceAll('{{programme}}', escapeHtml(programme))
    .replaceAll('{{organisation}}', escapeHtml(config.organisation))
    .replace('<!--desk-logo-->', logoHtml(definition, programme))
    .replace('<!--desk-config-->', `<script type="application/json" id="desk-config">${json}</script>`);
}

type Encoding = 'br' | 'gzip' | 'identity';

function encodingFor(accept: string | undefined): Encoding {
  const wanted = (accept ?? '').toLowerCase();
  return /\bbr\b/.test(wanted) ? 'br' : /\bgzip\b/.test(wanted) ? 'gzip' : 'identity';
}

/** The page's URL for a category: `<origin>/chat/?category=<code>` (the link on posters and statements). */
export function categoryPageUrl(origin: string, category: string): string {
  return `${origin.replace(/\/+$/, '')}/chat/?category=${encodeURIComponent(category)}`;
}

/**
 * A QR code (SVG text, black on white, error correction M, 4-module quiet zone) of a category's
 * page URL, for posters and statements; made by the `qrcode` package, so a phone's camera opens
 * the page with the category chosen. Throws only if the URL is too long for a QR code (~2.3 KB).
 */
export function categoryQrSvg(origin: string, category: string): Promise<string> {
  return QRCode.toString(categoryPageUrl(origin, category), { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

/** Registers GET /chat, /chat/* and /chat/qr/<category>.svg. */
export function registerWebChatPage(
  server: restify.Server,
  options: {
    distDir: string;
    definition: ServiceDefinition;
    directLineEndpoint: string;
    frameAncestors?: readonly string[];
    /**
     * The public origin the QR codes point at (e.g. https://desk.joburg.org.za); default: the
     * origin the request came to (its Host, with x-forwarded-proto when `behindProxy`).
     */
    publicOrigin?: string;
    behindProxy?: boolean;
  },
): void {
  const root = path.resolve(options.distDir);
  const csp = pageCsp(options.directLineEndpoint, options.frameAncestors ?? [], options.definition.programme.logo);
  // Compressed bodies by file and encoding: the files change only with a new build (a restart).
  const cache = new Map<string, Buffer>();
  const categories = new Set(options.definition.categories.map((c) => c.code));
  // QR codes by origin and category; only for a configured origin or a category of the definition,
  // and at most a few origins, so a made-up Host header cannot grow it without end.
  const qrCache = new Map<string, string>();

  server.get('/chat/qr/:file', async (req, res) => {
    const match = /^([a-z0-9-]+)\.svg$/.exec(String(req.params.file ?? ''));
    if (!match || !categories.has(match[1]!)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      res.end('No such category.');
      return;
    }
    const forwarded = options.behindProxy ? String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim() : '';
    const protocol = forwarded === 'https' || forwarded === 'http' ? forwarded : (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    const origin = options.publicOrigin ?? `${protocol}://${req.headers.host ?? 'localhost'}`;
    const key = `${origin}\n${match[1]}`;
    let svg = qrCache.get(key);
    if (!svg) {
      svg = await categoryQrSvg(origin, match[1]!);
      if (qrCache.size < 64 * categories.size) qrCache.set(key, svg);
    }
    res.writeHead(200, {
      'content-type': 'image/svg+xml; charset=utf-8',
      'content-length': Buffer.byteLength(svg),
      // A day: the URL it encodes changes only with the definition or the host (a redeploy).
      'cache-control': 'public, max-age=86400',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-content-type-options': 'nosniff',
    });
    res.end(svg);
  });

  // The page's words in another served language, for the page to follow the chat's (pageConfig).
  // No personal data: the same for everyone; fixed until a redeploy, so cached for an hour.
  const served = servedLanguages(options.definition) as readonly string[];
  server.get('/chat/words/:file', async (req, res) => {
    const match = /^([a-z]{2,3})\.json$/.exec(String(req.params.file ?? ''));
    const language = match && served.includes(match[1]!) ? (match[1] as Locale) : undefined;
    if (!language) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      res.end('No such language.');
      return;
    }
    const body = Buffer.from(JSON.stringify(pageConfig(options.definition, language)));
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.length,
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  });

  server.get('/chat', (req, res, next) => {
    const query = req.getQuery();
    res.redirect(302, `/chat/${typeof query === 'string' && query ? `?${query}` : ''}`, next);
  });

  server.get('/chat/*', async (req, res) => {
    const wanted = decodeURIComponent(String(req.params['*'] ?? '')) || 'index.html';
    const isAsset = wanted.startsWith('assets/');
    // The logo (web/public/logos, copied into the build): not hashed, so cached for a day, not for good.
    const isLogo = wanted.startsWith('logos/');
    const file = path.resolve(root, isAsset || isLogo ? wanted : 'index.html');
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.send(404, { error: 'not_found', message: 'No such file.' });
      return;
    }
    const exists = await stat(file).then((s) => s.isFile()).catch(() => false);
    if (!exists) {
      const built = await stat(path.join(root, 'index.html')).then(() => true).catch(() => false);
      res.writeHead(built ? 404 : 503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(built ? 'Not found.' : 'The chat page has not been built: run "npm run build:web".');
      return;
    }
    const ext = path.extname(file);
    const encoding = COMPRESSIBLE.has(ext) ? encodingFor(req.headers['accept-encoding']) : 'identity';
    const locale = localeFrom(req.headers['accept-language'], servedLanguages(options.definition));
    const key = `${file}\n${encoding}\n${ext === '.html' ? locale : ''}`;
    let body = cache.get(key);
    if (!body) {
      const raw = await readFile(file);
      const plain = ext === '.html' ? Buffer.from(personalise(raw.toString('utf8'), options.definition, locale)) : raw;
      body =
        encoding === 'br'
          ? brotliCompressSync(plain, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
          : encoding === 'gzip'
            ? gzipSync(plain, { level: 9 })
            : plain;
      cache.set(key, body);
    }
    res.writeHead(200, {
      'content-type': STATIC_TYPES[ext] ?? 'application/octet-stream',
      'content-length': body.length,
      ...(encoding !== 'identity' ? { 'content-encoding': encoding } : {}),
      vary: ext === '.html' ? 'accept-encoding, accept-language' : 'accept-encoding',
      'cache-control': isAsset ? 'public, max-age=31536000, immutable' : isLogo ? 'public, max-age=86400' : 'no-cache',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    res.end(body);
  });
}
