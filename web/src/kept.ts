/**
 * What this browser keeps of a chat (its id, our random user id, the service's resume key and the
 * code of the category link it last chose: no name, number or message), and the page's status line. Shared by the page's first
 * script (main.ts) and Web Chat's (chat.tsx).
 */
const KEPT = 'ratepayer-desk.webchat';

/**
 * The localStorage key of what was typed in this chat's intake forms not yet sent (src/openForm.ts):
 * personal data (account, name, mobile, query), kept no longer than the chat itself (KEPT): gone
 * when the form is sent, the chat cleared or the chat can no longer be resumed.
 */
export const TYPED = 'ratepayer-desk.webchat.typed';

/** Forgets the chat and what was typed in its forms ("Clear this chat", or a chat that cannot be resumed). */
export function forgetChat(): void {
  try {
    localStorage.removeItem(KEPT);
    localStorage.removeItem(TYPED);
  } catch {
    // Storage off: nothing was kept.
  }
}

export interface Kept {
  conversationId: string;
  userId: string;
  resumeKey: string;
  /** The category code ("billing") this chat last asked for: another category's link sends its choice again. */
  category?: string;
}

/** The service's answer from POST /api/webchat/token. */
export interface Token extends Kept {
  token: string;
  domain: string;
}

export function readKept(): Kept | undefined {
  try {
    const kept = JSON.parse(localStorage.getItem(KEPT) ?? 'null') as Kept | null;
    return kept && typeof kept.conversationId === 'string' && typeof kept.resumeKey === 'string' && typeof kept.userId === 'string' ? kept : undefined;
  } catch {
    return undefined;
  }
}

export function keep(kept: Kept): void {
  try {
    localStorage.setItem(KEPT, JSON.stringify(kept));
  } catch {
    // Storage off (private mode): the chat works, it just cannot be resumed after a reload.
  }
}

/** The page's words in the ratepayer's language, written into the page by the service (catalogue webchat.page.*). */
export type PageWords = Record<'connected' | 'loading' | 'resumed' | 'startFailed' | 'connectFailed' | 'clearConfirm' | 'sendFailed', string>;

export const words: PageWords = (JSON.parse(document.getElementById('desk-config')?.textContent ?? '{}') as { words?: PageWords }).words ?? {
  connected: 'Connected.',
  loading: 'Connected. Loading the chat…',
  resumed: 'Connected: your chat is back.',
  startFailed: 'The chat could not start: please reload the page in a minute.',
  connectFailed: 'The chat could not connect: please reload the page in a minute.',
  clearConfirm: 'Clear this chat from this device?',
  sendFailed: 'Not sent: the connection dropped. What you typed is still here. Press the button again once you are connected.',
};

/** Says where the chat stands in the status line (a polite live region). */
export function show(text: string, state: 'busy' | 'ready' | 'error' = 'busy'): void {
  const line = document.getElementById('status')!;
  line.textContent = text;
  line.dataset.state = state;
}
