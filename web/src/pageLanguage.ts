/**
 * The page's language, following the chat's. The service writes the page in the browser's
 * language (bot/platform/webchat/page.ts); when the ratepayer changes language in the chat, the
 * bot's messages say so in their Bot Framework `locale` ("zu-ZA", the activity schema's field for
 * the language of an activity's text, set by the service on every message to the ratepayer), and a
 * resumed chat's token names the chat's language. The page then fetches its words in that
 * language (/chat/words/<code>.json, the same for everyone) and puts them in: its header, status
 * line, labels and footer here, Web Chat's own words through the listeners (chat.tsx). Why the
 * activities' locale and not an event of our own: it is the channel-neutral field every Bot
 * Framework client receives, it travels with each message (a reload replays them), and the bot
 * needs no web-only message.
 */
import { words, type PageWords } from './kept';

/** What the service writes into the page (and serves at /chat/words/<code>.json). */
interface PageConfig {
  /** The catalogue code the words are in ("zu"). */
  lang: string;
  /** The programme's served languages (catalogue codes). */
  languages: string[];
  programme: string;
  organisation: string;
  categories: { code: string; name: string }[];
  words: PageWords & Record<'title' | 'messagesLabel' | 'chatLabel' | 'keptNotice' | 'keptSummary' | 'keptDismiss' | 'clear', string> & Record<string, string>;
  /** Web Chat's words (chat.tsx WebChatWords). */
  webChat?: unknown;
}

const element = document.getElementById('desk-config');
const config = JSON.parse(element?.textContent ?? '{}') as Partial<PageConfig>;

/** The language the page is in now. */
let current = config.lang ?? document.documentElement.lang;
/** The language last asked for: an answer for an earlier ask is dropped (the replay after a reload asks many times). */
let wanted = current;
const listeners: ((config: PageConfig) => void)[] = [];
/** The words the page is in now (the written-in ones, or the last switched to). */
let now: Partial<PageConfig> = config;

/** The page's words now: Web Chat is mounted with these (it may load after a switch). */
export function currentConfig(): Partial<PageConfig> {
  return now;
}

/** The served catalogue code of a BCP 47 tag ("zu-ZA" → "zu", "nso" → "nso"), or undefined. */
export function servedLanguageOf(tag: unknown): string | undefined {
  if (typeof tag !== 'string') return undefined;
  const code = tag.split(/[-_]/)[0]!.toLowerCase();
  return (config.languages ?? []).includes(code) ? code : undefined;
}

/** Calls `listener` with the new words whenever the page changes language. */
export function onLanguageChange(listener: (config: PageConfig) => void): void {
  listeners.push(listener);
}

/** Puts the page's own words in the new language. */
function apply(next: PageConfig): void {
  const before = { ...words } as Record<string, string>;
  document.documentElement.lang = next.lang;
  document.title = next.words.title;
  const text = (selector: string, value: string | undefined) => {
    const el = document.querySelector(selector);
    if (el && value !== undefined) el.textContent = value;
  };
  text('.organisation', next.organisation);
  text('.masthead h1', next.programme);
  document.querySelector('.masthead .logo')?.setAttribute('alt', next.programme);
  const category = document.getElementById('category');
  const chosen = category?.dataset.code ? next.categories.find((c) => c.code === category.dataset.code) : undefined;
  if (chosen) text('#category', chosen.name);
  document.getElementById('first-messages')?.setAttribute('aria-label', next.words.messagesLabel);
  document.getElementById('webchat')?.setAttribute('aria-label', next.words.chatLabel);
  text('#kept-notice', next.words.keptNotice);
  text('#kept-summary', next.words.keptSummary);
  text('#kept-ok', next.words.keptDismiss);
  text('#forget', next.words.clear);
  // The status line says the same in the new words (the key it was said with, found by its text).
  const status = document.getElementById('status');
  const said = Object.keys(before).find((key) => before[key] === status?.textContent);
  Object.assign(words, next.words);
  if (status && said && next.words[said]) status.textContent = next.words[said]!;
  current = next.lang;
  now = next;
  for (const listener of listeners) listener(next);
}

/**
 * Switches the page to a served language (a catalogue code) unless it is in it already. A failed
 * fetch leaves the page as it is (the chat goes on in the bot's language either way).
 */
export async function switchLanguage(code: string): Promise<void> {
  wanted = code;
  if (code === current) return;
  try {
    const response = await fetch(`/chat/words/${encodeURIComponent(code)}.json`);
    if (!response.ok) return;
    const next = (await response.json()) as PageConfig;
    if (wanted === code && next.lang === code) apply(next);
  } catch {
    // Offline for a moment: the page keeps its words; the next message tries again.
  }
}
