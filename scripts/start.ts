/**
 * `npm start`: the whole product on this machine in one terminal. The service (with its
 * embedded Cosmos DB-compatible server unless COSMOS_ENDPOINT is set) runs in this process;
 * the Microsoft 365 Agents Playground runs as a child, pointed at the bot. Ctrl-C stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefinitionError } from '../bot/config/definition.js';
import { loadSettings, SettingsError } from '../bot/config/settings.js';
import { startService, type RunningService } from '../bot/service.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const playgroundPort = Number(process.env.PLAYGROUND_PORT ?? 56150);
const withPlayground = process.env.PLAYGROUND !== '0';

async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
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

function startPlayground(botUrl: string): ChildProcess {
  const bin = path.join(root, 'node_modules', '.bin', 'agentsplayground');
  const child = spawn(
    bin,
    ['-e', `${botUrl}/api/messages`, '-c', 'msteams', '-p', String(playgroundPort), '--disable-telemetry'],
    {
      cwd: root,
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', APPLICATION_INSIGHTS_NO_STATSBEAT: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // The Playground is chatty; keep its output for when something goes wrong.
  const log: string[] = [];
  child.stdout?.on('data', (d) => log.push(String(d)));
  child.stderr?.on('data', (d) => log.push(String(d)));
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`The Agents Playground stopped (${signal ?? `exit ${code}`}). Its last output:\n${log.slice(-20).join('')}`);
  });
  return child;
}

function banner(service: RunningService, playground: boolean): string {
  const lines = [
    '',
    `  Ratepayer Desk — ${service.definition.programme.name} (${service.definition.programme.organisation})`,
    `  Mode:        ${service.settings.mode}${service.settings.mode === 'local' ? ' (no Azure, no Teams tenant; bound to 127.0.0.1 only, no authentication on the bot endpoint)' : ''}`,
    `  Data:        ${service.embedded ? `embedded Cosmos DB-compatible server at ${service.cosmosEndpoint} (kept in memory until you stop)` : `Cosmos DB at ${service.cosmosEndpoint}`}`,
    `  Definition:  ${path.relative(root, service.settings.definitionPath)}`,
    `  Bot:         ${service.url}/api/messages`,
    `  Agents' tab: ${service.tabUrl}${service.settings.mode === 'local' ? '  (sign in locally as any agent or supervisor of the definition)' : ''}`,
    playground
      ? `  Chat as a ratepayer: http://localhost:${playgroundPort}  (Microsoft 365 Agents Playground)`
      : '  Playground:  off (PLAYGROUND=0)',
    '',
    '  Try: type "billing" or "water meter" in the Playground and fill in the card; open the tab as an',
    '  agent with that skill (Thandi for billing) and claim the case. "status" and "cancel" work in the chat.',
    '  Stop with Ctrl-C.',
    '',
  ];
  return lines.join('\n');
}

let stopping = false;

async function main(): Promise<void> {
  const settings = loadSettings();
  const service = await startService(settings);
  const playground = withPlayground ? startPlayground(service.url) : undefined;
  if (playground && !(await waitForHttp(`http://127.0.0.1:${playgroundPort}`, 20_000)))
    console.error('The Agents Playground did not answer within 20 s; the service is still running.');
  console.log(banner(service, !!playground));

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    if (playground && playground.exitCode === null) {
      const exited = new Promise((r) => playground.once('exit', r));
      playground.kill('SIGTERM');
      const timer = setTimeout(() => playground.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    await service.close();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  if (error instanceof SettingsError || error instanceof DefinitionError) console.error(error.message);
  else console.error(error);
  process.exit(2);
});
