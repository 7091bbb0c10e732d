/** Test support: waiting for something the service does in its own time (a reply, a write). */
import assert from 'node:assert/strict';

/**
 * Reads `read()` every 25 ms until `ok` holds for what it gave, and returns that. After
 * `timeoutMs` (8 s by default) the test fails, saying `what` was awaited and what `read` gave
 * last (as JSON, its first 3,000 characters).
 */
export async function until<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(value, null, 1)?.slice(0, 3000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
