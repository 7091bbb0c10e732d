/** Test support: Bot Framework activities as Teams sends them, POSTed to the bot over real HTTP. */
import { randomUUID } from 'node:crypto';
import type { StoredConversation } from '../../bot/platform/ports/conversationStore.js';

/** A personal-chat ratepayer as Teams identifies them. */
export interface TestUser {
  id: string;
  aadObjectId: string;
  name: string;
  conversationId: string;
}

/** Makes a fresh ratepayer with their own personal chat. */
export function aRatepayer(name = 'Lerato Molefe'): TestUser {
  const id = randomUUID();
  return { id: `29:${id}`, aadObjectId: id, name, conversationId: `a:personal-${id}` };
}

/** Builds a message activity from the user. */
export function messageFrom(user: TestUser, serviceUrl: string, fields: { text?: string; value?: unknown }): Record<string, unknown> {
  return {
    type: 'message',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: user.id, aadObjectId: user.aadObjectId, name: user.name },
    recipient: { id: '28:ratepayer-desk-bot', name: 'Ratepayer Desk' },
    conversation: { id: user.conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
    locale: 'en-ZA',
    ...(fields.text !== undefined ? { text: fields.text, textFormat: 'plain' } : {}),
    ...(fields.value !== undefined ? { value: fields.value } : {}),
  };
}

/** POSTs an activity to the bot endpoint and returns the HTTP status. */
export async function postActivity(botUrl: string, activity: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  await response.text();
  return response.status;
}

/** The Adaptive Card in an activity the bot sent, if any. */
export function cardOf(activity: Record<string, any>): Record<string, any> | undefined {
  return activity.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** Every TextBlock text and FactSet value in a card, flattened, for assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (typeof n.text === 'string') out.push(n.text);
      if (typeof n.title === 'string') out.push(n.title);
      if (typeof n.value === 'string') out.push(n.value);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out.join('\n');
}

/** Finds an input in a card by id. */
export function inputOf(card: unknown, id: string): Record<string, any> | undefined {
  let found: Record<string, any> | undefined;
  const walk = (node: unknown) => {
    if (found) return;
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, any>;
      if (typeof n.type === 'string' && n.type.startsWith('Input.') && n.id === id) found = n;
      else Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** A stored conversation reference for a personal chat, as the bot keeps one when a case is queued. */
export function personalConversation(conversationId: string, serviceUrl: string): StoredConversation {
  return {
    id: conversationId,
    channelId: 'msteams',
    kind: 'personal',
    updatedAt: new Date().toISOString(),
    reference: {
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: conversationId, conversationType: 'personal' },
      bot: { id: '28:ratepayer-desk-bot', name: 'Ratepayer Desk' },
      user: { id: '29:ratepayer', name: 'Lerato' },
    },
  };
}

/**
 * The text of a message as the person reads it. On Teams a text with line breaks or & < > is sent
 * as `xml` (bot/platform/teams/textFormat.ts): its <br> are line breaks and its character
 * references the characters. Any other text is read as it is.
 */
export function shownText(activity: Record<string, any>): string {
  const text = typeof activity.text === 'string' ? activity.text : '';
  if (activity.textFormat !== 'xml') return text;
  return text
    .replace(/<br>/g, '\n')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The activity with its text as the person reads it (shownText); the activity itself when nothing differs. */
export function asShown<T extends Record<string, any>>(activity: T): T {
  return activity.textFormat === 'xml' ? { ...activity, text: shownText(activity) } : activity;
}
