/**
 * Waiting for the bot's answer in a chat test: the first message sent after a point that shows
 * every one of some texts (as the ratepayer reads it: text and card text).
 */
import assert from 'node:assert/strict';

/**
 * The first of `read()`'s messages from index `from` on that includes every one of `texts`,
 * polled every 25 ms; fails after `timeoutMs` naming `said` (what was sent) and what did arrive.
 */
export async function answerShowing(read: () => string[], from: number, said: unknown, texts: readonly string[], timeoutMs = 8000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = read().slice(from).find((x) => texts.every((text) => x.includes(text)));
    if (found) return found;
    if (Date.now() > until) assert.fail(`no answer to ${JSON.stringify(said)} showing ${JSON.stringify(texts)} in:\n${read().slice(from).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
