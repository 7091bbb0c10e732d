/**
 * Test support: the service in a process of its own, started as `npm run serve` starts it
 * (settings from the environment through loadSettings), so a test can SIGKILL it and start
 * another on the same database. The parent keeps the database (the embedded Cosmos DB server
 * runs in the test process and outlives the service).
 *
 * The one thing not read from the product's settings: the local sign-in key, passed as a private
 * JWK in RATEPAYER_DESK_TEST_SIGNING_JWK (read only here), so the tokens agents signed in with
 * before a restart are still accepted after it, as Teams SSO tokens would be.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, importJWK, type JWK } from 'jose';
import type { LocalSigningKey } from '../../bot/platform/auth/tokens.js';
import { SETTINGS_REFERENCE } from '../../bot/platform/config/settings.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '../..');
const KEY_VARIABLE = 'RATEPAYER_DESK_TEST_SIGNING_JWK';
const READY = 'SERVICE-PROCESS-READY ';

/** A service running in a child process. */
export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  pid: number;
  /** What the process wrote to stderr (for diagnostics). */
  stderr: string[];
  /** Resolves with the exit code or signal once the process has gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no shutdown handlers, no flushing; resolves once the process has gone. */
  kill9(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (the clean shutdown of bot/main.ts) or SIGKILL after a grace period. */
  stop(): Promise<void>;
}

/** Starts the service in a child process with the given product settings (PORT, COSMOS_*, SERVICE_DEFINITION …). */
export async function startServiceProcess(env: Record<string, string>, signingKey: LocalSigningKey, timeoutMs = 30_000): Promise<ServiceProcess> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !SETTINGS_REFERENCE.some((s) => s.name === name) && name !== KEY_VARIABLE),
  );
  const privateJwk = await exportJWK(signingKey.privateKey);
  const child = spawn(process.execPath, ['--import', 'tsx', SELF], {
    cwd: ROOT,
    env: { ...inherited, ...env, [KEY_VARIABLE]: JSON.stringify({ privateJwk, publicJwk: signingKey.publicJwk }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service process did not start within ${timeoutMs} ms:\n${stderr.join('')}`));
    }, timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith(READY));
      if (line) {
        clearTimeout(timer);
        resolve(line.slice(READY.length).trim());
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the service process exited (${code ?? signal}) before it was ready:\n${stderr.join('')}`));
    });
  });
  return {
    child,
    url,
    pid: child.pid!,
    stderr,
    exited,
    kill9: () => {
      child.kill('SIGKILL');
      return exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** In the child: read the settings as bot/main.ts does, start the service, say where it listens. */
async function runChild(): Promise<void> {
  const { loadSettings } = await import('../../bot/platform/config/settings.js');
  const { startService } = await import('../../bot/service.js');
  const shared = JSON.parse(process.env[KEY_VARIABLE]!) as { privateJwk: JWK; publicJwk: JWK };
  const privateKey = (await importJWK(shared.privateJwk, 'RS256')) as LocalSigningKey['privateKey'];
  const settings = loadSettings(process.env);
  const service = await startService(settings, { localSigningKey: { privateKey, publicJwk: shared.publicJwk } });
  process.stdout.write(`${READY}${service.url}\n`);
  // The same stop as bot/main.ts.
  const { stopOnSignals } = await import('../../bot/platform/shutdown.js');
  stopOnSignals(service, (line) => process.stderr.write(`${line}\n`));
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF && process.env[KEY_VARIABLE]) await runChild();
