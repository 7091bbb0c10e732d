/**
 * What this browser keeps of a chat (its id, our random user id, the service's resume key and the
 * code of the category link it last chose: no name, number or message), and the page's status line. Shared by the page's first
 * script (main.ts) and Web Chat's (chat.tsx).
 */
export const KEPT = 'ratepayer-desk.webchat';

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
export type PageWords = Record<'connected' | 'loading' | 'resumed' | 'startFailed' | 'connectFailed' | 'clearConfirm', string>;

export const words: PageWords = (JSON.parse(document.getElementById('desk-config')?.textContent ?? '{}') as { words?: PageWords }).words ?? {
  connected: 'Connected.',
  loading: 'Connected. Loading the chat…',
  resumed: 'Connected: your chat is back.',
  startFailed: 'The chat could not start: please reload the page in a minute.',
  connectFailed: 'The chat could not connect: please reload the page in a minute.',
  clearConfirm: 'Clear this chat from this device?',
};

/** Says where the chat stands in the status line (a polite live region). */
export function show(text: string, state: 'busy' | 'ready' | 'error' = 'busy'): void {
  const line = document.getElementById('status')!;
  line.textContent = text;
  line.dataset.state = state;
}
