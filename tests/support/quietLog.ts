/**
 * Loaded by mocha before the test files (.mocharc.json `require`): during a test run the
 * service's log prints warnings and errors only (LOG_PRINT_LEVEL, bot/platform/log.ts), as a line
 * per request would bury the report. `TEST_LOG_LEVEL=info npm test` prints every line; captureLog
 * sees every line either way. An environment setting, read when the logger is first imported:
 * mocha may load this file as CommonJS, where importing the logger would set up a second copy of
 * it, not the one the tests' ES modules use.
 */
process.env.LOG_PRINT_LEVEL ??= process.env.TEST_LOG_LEVEL ?? 'warn';

export {};
