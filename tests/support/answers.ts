/**
 * Waiting for the bot's answer in a chat test: the first message sent after a point that shows
 * every one of some texts (as the ratepayer reads it: text and card text), and a ratepayer's Teams
 * chat with a test service (activities POSTed to /api/messages, replies read at the local
 * connector) that says things and waits for such answers.
 */
import assert from 'node:assert/strict';
import { cardOf, cardText, messageFrom, postActivity, type TestUser } from './activities.js';
import type { LocalConnector } from './connector.js';

/**
 * The first of `read()`'s messages from index `from` on that includes every one of `texts`,
 * polled every 25 ms; fails after `timeoutMs` naming `said` (what was sent) and what did arrive.
 */
async function answerShowing(read: () => string[], from: number, said: unknown, texts: readonly string[], timeoutMs = 8000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = read().slice(from).find((x) => texts.every((text) => x.includes(text)));
    if (found) return found;
    if (Date.now() > until) assert.fail(`no answer to ${JSON.stringify(said)} showing ${JSON.stringify(texts)} in:\n${read().slice(from).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * What the ratepayer reads of an activity the bot sent: its text, a line break, and its card's
 * text (cardText), with Markdown's escapes off ("66S\\-PSS" in a text message reads "66S-PSS").
 */
export function shownWithCard(activity: Record<string, any>): string {
  return `${activity.text ?? ''}\n${cardText(cardOf(activity) ?? {})}`.replace(/\\(.)/g, '$1');
}

/**
 * The first of `read()`'s activities (what the bot sent to one chat) whose text and card text,
 * joined by a line break, match `pattern`, polled every 25 ms; fails after `timeoutMs` listing
 * each activity's text (or its card's text).
 */
export async function activityMatching(read: () => Record<string, any>[], pattern: RegExp, timeoutMs = 5000): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = read().find((a) => pattern.test(`${a.text ?? ''}\n${cardText(cardOf(a) ?? {})}`));
    if (found) return found;
    if (Date.now() > until) assert.fail(`no message matching ${pattern} in:\n${read().map((a) => a.text ?? cardText(cardOf(a))).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** What a ratepayer sends: a text, or a card's value (with or without a text). */
type Said = string | { text?: string; value?: unknown };

/** One Teams chat test's view of the bot, for any number of ratepayers (each their own conversation). */
export interface TeamsChat {
  /** The activities the bot sent to the ratepayer's conversation, as the connector received them, oldest first. */
  sentTo(user: TestUser): Record<string, any>[];
  /** POSTs a message from the ratepayer (messageFrom, then `extra`'s fields over it) and asserts the bot answered 200. */
  say(user: TestUser, said: Said, extra?: Record<string, unknown>): Promise<void>;
  /**
   * The first message (shownWithCard) sent to the ratepayer from index `from` of sentTo on that
   * shows every one of `texts`; fails after 8 s naming `cause` and what did arrive.
   */
  shownAfter(user: TestUser, from: number, texts: readonly string[], cause: unknown): Promise<string>;
  /** Says `said` (with `extra`, as `say`) and returns the first message after it that shows every one of `texts` (as `shownAfter`). */
  answer(user: TestUser, said: Said, texts: readonly string[], extra?: Record<string, unknown>): Promise<string>;
}

/**
 * The chat with the service at `botUrl` whose replies reach `connector`. Every message is sent
 * with `locale` (the Teams client's; messageFrom's en-ZA by default).
 */
export function teamsChat(connector: LocalConnector, botUrl: string, options: { locale?: string } = {}): TeamsChat {
  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  const say = async (user: TestUser, said: Said, extra: Record<string, unknown> = {}) => {
    const fields = typeof said === 'string' ? { text: said } : said;
    const activity = { ...messageFrom(user, connector.serviceUrl, fields), ...(options.locale ? { locale: options.locale } : {}), ...extra };
    assert.equal(await postActivity(botUrl, activity), 200);
  };
  const shownAfter = (user: TestUser, from: number, texts: readonly string[], cause: unknown) => answerShowing(() => sentTo(user).map(shownWithCard), from, cause, texts);
  return {
    sentTo,
    say,
    shownAfter,
    answer: async (user, said, texts, extra) => {
      const before = sentTo(user).length;
      await say(user, said, extra);
      return shownAfter(user, before, texts, said);
    },
  };
}
