/**
 * The service's one logger: structured logs through pino, one JSON object a line on stdout
 * (App Service collects stdout; the codeless Application Insights agent and OpenTelemetry read
 * such lines as they are). Whatever a client sends (a conversation id with a newline, say) ends
 * up inside a JSON string, escaped, so it cannot forge a line of its own.
 *
 * What to log: what happened, to which case reference or conversation, and why it failed. Never a
 * ratepayer's words, name, contact details, account or ID number (POPIA); errors are reduced to
 * their name, code, status and message (`errorFields`), never the request or response bodies
 * that SDK errors carry. `LOG_LEVEL` (pino's levels; default `info`) sets the threshold.
 */
import pino, { type Logger } from 'pino';

/**
 * Where lines go; tests swap it with `captureLog`. `LOG_PRINT_LEVEL` (a pino level) prints only
 * lines at that level or above while the logger still makes every line `LOG_LEVEL` allows: the
 * test run sets it to `warn` (tests/support/quietLog.ts), as a line per request would bury mocha's
 * report, and captureLog still sees every line. Unset (production, `npm start`): every line.
 */
let sink: { write(line: string): unknown } = printingFrom(process.env.LOG_PRINT_LEVEL);

function printingFrom(level: string | undefined): { write(line: string): unknown } {
  const lowest = level === undefined ? undefined : pino.levels.values[level];
  if (lowest === undefined) return process.stdout;
  return {
    write: (line: string) => {
      const label = /"level":"(\w+)"/.exec(line)?.[1];
      if (label === undefined || (pino.levels.values[label] ?? lowest) >= lowest) process.stdout.write(line);
      return true;
    },
  };
}

/** The fields of an error that may be logged: never its request, response or body. */
function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: typeof error === 'string' ? error : 'non-error thrown', type: typeof error };
  const e = error as Error & { code?: unknown; statusCode?: unknown; status?: unknown };
  return {
    type: e.name,
    message: e.message,
    ...(typeof e.code === 'string' || typeof e.code === 'number' ? { code: e.code } : {}),
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : typeof e.status === 'number' ? { statusCode: e.status } : {}),
    ...(e.stack ? { stack: e.stack } : {}),
  };
}

/** The logger. `log.error({ err }, 'what failed')`; `log.child({ component })` for a part. */
export const log: Logger = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: 'ratepayer-desk' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: errorFields, error: errorFields },
    formatters: { level: (label) => ({ level: label }) },
  },
  { write: (line: string) => sink.write(line) },
);

/** A logging callback for a component, in the shape services take (`(message, error?) => void`). */
export function errorLogger(component: string): (message: string, error?: unknown) => void {
  const child = log.child({ component });
  return (message, error) => (error === undefined ? child.error(message) : child.error({ err: error }, message));
}

/** Test support: collects every line written from now on instead of printing it. */
export function captureLog(): { lines: string[]; records(): Record<string, unknown>[]; restore(): void } {
  const previous = sink;
  const lines: string[] = [];
  sink = { write: (chunk: string) => lines.push(...chunk.split('\n').filter((l) => l !== '')) };
  return {
    lines,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => void (sink = previous),
  };
}
