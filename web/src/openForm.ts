/**
 * The intake form on screen that the person has not sent yet, and what they have typed in it.
 *
 * The service cannot see a form on the page until it is sent, so when the ratepayer changes
 * language mid-form ("isiZulu") it would not know to send that form again in the new language.
 * The page tells it: each message it sends carries `channelData.openForm`, the form's category,
 * filling-in (draftId) and earlier case, exactly what the form's own submit carries and nothing
 * typed (bot/platform/teams/cardValues.ts readOpenForm; bot/ratepayers/features/language.ts).
 * What the person typed is never sent before they send it (POPIA). It fills the same filling-in's
 * form when it comes again in the new language, and when the page is reloaded before the form was
 * sent (tester 11, finding 2: on a bad connection a reload is the first thing people do): it is kept
 * in this browser's localStorage with the chat (kept.ts TYPED, tied to the chat's conversation id),
 * and forgotten once the form is sent, the chat is cleared or can no longer be resumed (main.ts),
 * as the storage notice says (catalogue webchat.page.keptNotice; docs/security.md).
 */
import { readKept, TYPED } from './kept';

const CARD = 'application/vnd.microsoft.card.adaptive';

/** What identifies an intake form's filling-in, as its submit carries it. */
export interface OpenForm {
  category: string;
  draftId: string;
  follows?: string;
}

/** The parts of Web Chat's activities read here. */
interface ActivityLike {
  from?: { role?: string };
  value?: unknown;
  attachments?: { contentType?: string; content?: unknown }[];
}

/** The intake submit's data on a card (its category, draftId, follows), if the card is an intake form. */
function intakeOf(content: unknown): OpenForm | undefined {
  const actions = content && typeof content === 'object' ? (content as { actions?: unknown }).actions : undefined;
  if (!Array.isArray(actions)) return undefined;
  for (const action of actions) {
    const data = (action as { data?: Record<string, unknown> } | undefined)?.data;
    if (data?.verb !== 'intake.submit' || typeof data.category !== 'string' || typeof data.draftId !== 'string' || !data.draftId) continue;
    return { category: data.category, draftId: data.draftId, ...(typeof data.follows === 'string' && data.follows ? { follows: data.follows } : {}) };
  }
  return undefined;
}

/**
 * The latest intake form the bot sent that the person has not sent since (Web Chat's activities,
 * oldest first): a form sent back with mistakes is open again, as it comes after the send.
 */
export function openFormOf(activities: readonly ActivityLike[]): OpenForm | undefined {
  let open: OpenForm | undefined;
  for (const activity of activities) {
    if (activity.from?.role === 'user') {
      const value = activity.value as { verb?: unknown; draftId?: unknown } | undefined;
      if (open && value?.verb === 'intake.submit' && value.draftId === open.draftId) open = undefined;
      continue;
    }
    for (const attachment of activity.attachments ?? []) {
      const form = attachment.contentType === CARD ? intakeOf(attachment.content) : undefined;
      if (form) open = form;
    }
  }
  return open;
}

/** What was typed in each form's fields, by its key ("intake.submit <draftId>"): this chat's, as kept in the browser. */
const typed = new Map<string, Record<string, string>>(loadTyped());

/** What `TYPED` holds: the conversation it belongs to and each unsent form's fields (field id → value). */
interface StoredTyped {
  conversationId: string;
  forms: Record<string, Record<string, string>>;
}

/** The kept chat's typed forms; anything kept for another conversation (or unreadable) is dropped. */
function loadTyped(): [string, Record<string, string>][] {
  try {
    const stored = JSON.parse(localStorage.getItem(TYPED) ?? 'null') as StoredTyped | null;
    const conversationId = readKept()?.conversationId;
    if (!stored || !conversationId || stored.conversationId !== conversationId || !stored.forms || typeof stored.forms !== 'object') {
      localStorage.removeItem(TYPED);
      return [];
    }
    return Object.entries(stored.forms).filter(([, values]) => !!values && typeof values === 'object');
  } catch {
    return [];
  }
}

/** Writes the map through to the browser (nothing left: the key goes). */
function storeTyped(): void {
  try {
    const conversationId = readKept()?.conversationId;
    if (!typed.size || !conversationId) localStorage.removeItem(TYPED);
    else localStorage.setItem(TYPED, JSON.stringify({ conversationId, forms: Object.fromEntries(typed) } satisfies StoredTyped));
  } catch {
    // Storage off (private mode): what was typed is kept while the page is open, not across a reload.
  }
}

/** Remembers a form's fields as they are now (field id → value), in the page and in the browser. */
export function rememberTyped(key: string, values: Record<string, string>): void {
  typed.set(key, values);
  storeTyped();
}

/** Forgets what was typed in a form: it was sent (its echo came back from the service). */
export function forgetTyped(key: string): void {
  if (!typed.delete(key)) return;
  storeTyped();
}

/** What was typed in a form (field id → value), if anything is kept. */
export function typedIn(key: string): Record<string, string> | undefined {
  return typed.get(key);
}

/**
 * The card with what was typed in the same filling-in's earlier form put in its fields (their
 * `value`), where something was typed: the form sent again in another language keeps it all.
 */
export function withTyped(content: Record<string, unknown>, key: string): Record<string, unknown> {
  const values = typed.get(key);
  return values ? withValues(content, values) : content;
}

/**
 * The card with `values` (input id → value, as a submit carries them) in its inputs' `value`,
 * where one is given: a form as it was filled in or sent. Values stay values (the card view sets
 * them on inputs, never as markup).
 */
export function withValues(content: Record<string, unknown>, values: Record<string, unknown>): Record<string, unknown> {
  const fill = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(fill);
    if (!node || typeof node !== 'object') return node;
    const element = { ...(node as Record<string, unknown>) };
    for (const part of ['body', 'items', 'columns']) if (part in element) element[part] = fill(element[part]);
    const id = element.id;
    const value = typeof id === 'string' ? values[id] : undefined;
    if (typeof element.type === 'string' && element.type.startsWith('Input.') && typeof value === 'string' && value) element.value = value;
    return element;
  };
  return fill(content) as Record<string, unknown>;
}
