/**
 * The public chat page's first script, kept small so that a slow phone shows the bot's first
 * message quickly (issue 17: first load ≤ 350 KB gzip): one call to the service
 * (`POST /api/webchat/token`; the Direct Line secret stays there) gets a token and, for a new
 * chat, starts it with the category link's choice and brings the bot's first messages, shown here
 * as plain text. Then it loads Web Chat (chat.tsx), which replays the conversation from its start
 * and takes over. A kept conversation (a reload, a return) goes to Web Chat at once.
 */
import { KEPT, readKept, show, words, type Kept, type Token } from './kept';

interface Config {
  programme: string;
  categories: { code: string; name: string }[];
}

const config = JSON.parse(document.getElementById('desk-config')?.textContent ?? '{}') as Config;

document.getElementById('forget')!.addEventListener('click', () => {
  localStorage.removeItem(KEPT);
  location.reload();
});

/** The category of the page's link, if it names one of the programme's. */
const category = config.categories?.find((c) => c.code === new URLSearchParams(location.search).get('category'));
if (category) document.getElementById('category')!.textContent = category.name;

const START_FAILED = words.startFailed;

/** A token: for the kept conversation, or for a new chat the service starts (with the bot's first words). */
async function fetchToken(kept: Kept | undefined): Promise<Token & { first?: string[] }> {
  const response = await fetch('/api/webchat/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      kept
        ? { conversationId: kept.conversationId, userId: kept.userId, resumeKey: kept.resumeKey }
        : { ...(category ? { category: category.code } : {}), locale: navigator.language || 'en-ZA' },
    ),
  });
  // A conversation that cannot be resumed (ended, or kept by an older setup): start a new one.
  if (kept && (response.status === 403 || response.status === 410)) {
    localStorage.removeItem(KEPT);
    return fetchToken(undefined);
  }
  const body = (await response.json().catch(() => ({}))) as Partial<Token> & { first?: string[] };
  // The service's own message is English; the page says it in the ratepayer's language.
  if (!response.ok || !body.token) throw new Error(START_FAILED);
  return { ...(body as Token), ...(kept?.watermark ? { watermark: kept.watermark } : {}) };
}

async function start(): Promise<void> {
  const kept = readKept();
  const token = await fetchToken(kept);
  const resumed = !!kept && kept.conversationId === token.conversationId;
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
    // A chat the page started: Web Chat replays it from the start (the first messages included);
    // a resumed one from where this browser left it.
    ...(resumed ? (token.watermark ? { watermark: token.watermark } : {}) : { watermark: '0' }),
    onShown: () => document.getElementById('first-messages')?.replaceChildren(),
  });
}

start().catch((error: unknown) => show(error instanceof Error ? error.message : START_FAILED, 'error'));
