/**
 * Adaptive Card templates (schema 1.5, what Teams renders) expanded with data at run time.
 * The templates are JSON beside this file; the tab and the tests use the same set.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';
import type { ViewReply } from '../../ratepayers/replies.js';

const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');

/** The names of the card templates. */
export const CARD_NAMES = ['welcome', 'intake', 'intakeSent', 'queued', 'status', 'resolved', 'survey', 'closingOffer', 'myData', 'endChat', 'cancelChoice', 'answered', 'language', 'followReceipt', 'moreDetails'] as const;
/** One template name. */
export type CardName = (typeof CARD_NAMES)[number];

const templates = new Map<CardName, ACData.Template>();

/** The raw template, as written. */
export function cardTemplate(name: CardName): object {
  return JSON.parse(readFileSync(path.join(folder, `${name}.json`), 'utf8')) as object;
}

/**
 * Expands a template with data. Values are inserted as data, never re-read as template
 * expressions, so what a ratepayer typed cannot change the card's structure.
 */
export function renderCard(name: CardName, data: object): Record<string, unknown> {
  let template = templates.get(name);
  if (!template) {
    template = new ACData.Template(cardTemplate(name));
    templates.set(name, template);
  }
  return template.expand({ $root: data }) as Record<string, unknown>;
}

/**
 * A reply of the conversation core (bot/ratepayers/replies.ts) as the Adaptive Card Teams shows:
 * its view's template expanded with its content. The one place a reply becomes a card, for
 * answers in a turn (bot/platform/teams/render.ts) and for messages sent later (kept on the case's
 * transcript as sent, bot/ratepayers/relay.ts).
 */
export function cardOfReply(reply: ViewReply): Record<string, unknown> {
  return renderCard(reply.view, reply.content);
}

/**
 * Escapes text for a TextBlock: Adaptive Cards read a subset of Markdown, so a ratepayer's
 * "**" or "[link](…)" must show as typed.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!>|~])/g, '\\$1');
}

/**
 * The text escapeMarkdown made of it, as typed: for a channel that shows text as it is (WhatsApp,
 * SMS), where the escapes a card needs would be read as stray backslashes.
 */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_{}[\]()#+\-.!>|~])/g, '$1');
}
