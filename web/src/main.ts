/**
 * The public chat page's first script, kept small so that a slow phone shows the bot's first
 * message quickly (issue 17: first load ≤ 350 KB gzip): one call to the service
 * (`POST /api/webchat/token`; the Direct Line secret stays there) gets a token and, for a new
 * chat, starts it with the category link's choice and brings the bot's first messages, shown here
 * as plain text. Then it loads Web Chat (chat.tsx), which replays the conversation from its start
 * and takes over. A kept conversation (a reload, a return) goes to Web Chat at once, replayed
 * from its start too (the case reference and all before it shown again); a link for another
 * category than the one this chat last chose sends that choice in it, so its form comes.
 */
import { forgetChat, readKept, show, words, type Kept, type Token } from './kept';
import { servedLanguageOf, switchLanguage } from './pageLanguage';
import { forgetNotice, setUpNotice } from './notice';

interface Config {
  programme: string;
  categories: { code: string; name: string }[];
}

const config = JSON.parse(document.getElementById('desk-config')?.textContent ?? '{}') as Config;

// The browser's own confirmation: a modal dialog every screen reader announces and every keyboard
// answers, in the page's language (the catalogue's words), for no bytes in this first script, which
// a slow phone waits for; a <dialog> of our own would add markup, script and focus handling here.
document.getElementById('forget')!.addEventListener('click', () => {
  if (!confirm(words.clearConfirm)) return;
  forgetChat();
  forgetNotice();
  location.reload();
});
// The footer's notice: open on the first visit, folded to one line once read (src/notice.ts).
setUpNotice();

/** The category of the page's link, if it names one of the programme's. */
const category = config.categories?.find((c) => c.code === new URLSearchParams(location.search).get('category'));
if (category) {
  const line = document.getElementById('category')!;
  line.textContent = category.name;
  // Its code, so the line can be said again in the chat's language (src/pageLanguage.ts).
  line.dataset.code = category.code;
}

const START_FAILED = words.startFailed;

/** A token: for the kept conversation, or for a new chat the service starts (with the bot's first words). */
async function fetchToken(kept: Kept | undefined): Promise<Token & { first?: string[]; language?: string }> {
  // A kept chat gets the link's category only when it is not the one it last chose (a reload sends none).
  const choose = category && category.code !== kept?.category ? { category: category.code } : {};
  const response = await fetch('/api/webchat/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...(kept ? { conversationId: kept.conversationId, userId: kept.userId, resumeKey: kept.resumeKey } : {}),
      ...choose,
      locale: navigator.language || 'en-ZA',
    }),
  });
  // A conversation that cannot be resumed (ended, or kept by an older setup): start a new one.
  if (kept && (response.status === 403 || response.status === 410)) {
    forgetChat();
    return fetchToken(undefined);
  }
  const body = (await response.json().catch(() => ({}))) as Partial<Token> & { first?: string[]; language?: string };
  // The service's own message is English; the page says it in the ratepayer's language.
  if (!response.ok || !body.token) throw new Error(START_FAILED);
  // The category this chat has now last chosen, kept with it (chat.tsx).
  const chosen = category?.code ?? kept?.category;
  return { ...(body as Token), ...(chosen ? { category: chosen } : {}) };
}

async function start(): Promise<void> {
  const kept = readKept();
  const token = await fetchToken(kept);
  const resumed = !!kept && kept.conversationId === token.conversationId;
  // A chat whose language the ratepayer changed comes back in it (src/pageLanguage.ts).
  const language = resumed ? servedLanguageOf(token.language) : undefined;
  if (language) await switchLanguage(language);
  if (!resumed) {
    // The bot's first words, as plain text, while Web Chat loads.
    const list = document.getElementById('first-messages')!;
    for (const words of token.first ?? []) {
      const item = document.createElement('li');
      item.textContent = words;
      list.append(item);
    }
    show(words.loading);
  }
  const { mountWebChat } = await import('./chat');
  mountWebChat({
    token,
    resumed,
    // Web Chat replays the conversation from its start: a new chat's first messages, or everything
    // a returning ratepayer had (Web Chat keeps nothing across a reload, so anything later would
    // show an empty chat).
    watermark: '0',
    onShown: () => document.getElementById('first-messages')?.replaceChildren(),
  });
}

start().catch((error: unknown) => show(error instanceof Error ? error.message : START_FAILED, 'error'));
