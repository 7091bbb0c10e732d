/**
 * Test support: what the process writes to stdout and stderr while a test runs (the service's
 * log, and anything else printed), line by line, instead of printing it.
 */
export interface CapturedOutput {
  /** Every line written so far, in order, as written (stdout and stderr together). */
  lines(): string[];
  restore(): void;
}

/** Starts capturing; call restore() in a finally or afterEach. */
export function captureOutput(): CapturedOutput {
  let text = '';
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const take = (chunk: unknown, ...rest: unknown[]) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  process.stdout.write = take as typeof process.stdout.write;
  process.stderr.write = take as typeof process.stderr.write;
  return {
    lines: () => text.split('\n').filter((l) => l !== ''),
    restore: () => {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}
