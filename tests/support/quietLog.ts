/**
 * Loaded by mocha before the test files (.mocharc.json `require`): during a test run the
 * service's log prints warnings and errors only, as a line per request (bot/platform/http) would
 * bury the report. `TEST_LOG_LEVEL=info npm test` prints every line; captureLog sees every line
 * either way. A root hook, and the logger imported inside it: mocha may load this file as
 * CommonJS, and a static import would then set up a second copy of the logger, not the one the
 * tests' ES modules use.
 */
import type { Level } from 'pino';

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    const { printFrom } = await import('../../bot/platform/log.js');
    printFrom((process.env.TEST_LOG_LEVEL as Level | undefined) ?? 'warn');
  },
};
