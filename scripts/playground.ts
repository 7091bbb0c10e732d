/**
 * The Microsoft 365 Agents Playground (a local Teams-like client) as a child process pointed at
 * the bot: opening no browser, telemetry off. Used by `npm start` and by the browser tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A running Playground. */
export interface RunningPlayground {
  url: string;
  child: ChildProcess;
  /** The last lines it printed, for when something goes wrong. */
  output(): string;
  /** Stops it (SIGTERM, then SIGKILL after three seconds). */
  stop(): Promise<void>;
}

/** Resolves true once the URL answers, false after the timeout. */
export async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      await fetch(url);
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return false;
}

/**
 * Starts the Playground on the port. Its working folder holds its configuration
 * (`.m365agentsplayground.yml`: mock users, team and channels) and receives its `devTools/` log.
 */
export function startPlayground(options: { botUrl: string; port: number; cwd?: string }): RunningPlayground {
  const bin = path.join(root, 'node_modules', '.bin', 'agentsplayground');
  const child = spawn(
    bin,
    ['-e', `${options.botUrl}/api/messages`, '-c', 'msteams', '-p', String(options.port), '--disable-telemetry'],
    {
      cwd: options.cwd ?? root,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        // Loopback only: the Playground has no host option of its own (scripts/loopbackOnly.cjs).
        NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${JSON.stringify(path.join(root, 'scripts', 'loopbackOnly.cjs'))}`].filter(Boolean).join(' '),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log: string[] = [];
  const keep = (d: Buffer) => {
    log.push(String(d));
    if (log.length > 50) log.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    url: `http://127.0.0.1:${options.port}`,
    child,
    output: () => log.join(''),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
