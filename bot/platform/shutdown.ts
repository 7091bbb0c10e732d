/**
 * Stopping on SIGTERM (App Service, a deploy, a scale-in) or SIGINT (Ctrl-C): the service's own
 * close() stops cleanly in a few seconds whatever the network does (bot/service.ts); this adds a
 * last resort, so the process is gone within STOP_DEADLINE_MS even if something unforeseen still
 * waits. What was not delivered then is on the cases without an outcome, and delivery recovery on
 * another instance (or this one's successor) sends it, as after a crash.
 */

import { log as logger } from './log.js';

/** The most a stop may take, in milliseconds: under the 10 s a stop is allowed (issue 12), with a margin. */
const STOP_DEADLINE_MS = 9_000;

/** Closes the service on the first SIGTERM or SIGINT and exits (0 when it stopped in time, 1 when the deadline ended it). */
export function stopOnSignals(service: { close(): Promise<void> }, log: (line: string) => void = (line) => logger.info({ component: 'service' }, line)): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    log(`${signal}: stopping…`);
    setTimeout(() => {
      log(`still stopping after ${STOP_DEADLINE_MS} ms: exiting now; undelivered messages are left to delivery recovery`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    service.close().then(
      () => {
        log(`stopped in ${Date.now() - started} ms`);
        process.exit(0);
      },
      (error: unknown) => {
        log(`stopping failed: ${(error as Error)?.message ?? String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
