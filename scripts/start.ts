/**
 * `npm start`: the whole product on this machine in one terminal. The service (with its
 * embedded Cosmos DB-compatible server unless COSMOS_ENDPOINT is set) runs in this process;
 * the Microsoft 365 Agents Playground runs as a child, pointed at the bot. Ctrl-C stops both.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefinitionError } from '../bot/platform/config/definition.js';
import { loadSettings, SettingsError } from '../bot/platform/config/settings.js';
import { startService, type RunningService } from '../bot/service.js';
import type { ServiceDefinition } from '../bot/domain/serviceDefinition.js';
import { DEFAULT_LOCALE } from '../bot/messages/index.js';
import { typeExamples } from '../bot/messages/programme.js';
import { startPlayground, waitForHttp, type RunningPlayground } from './playground.js';
import { startAcsEmailStandIn, type AcsEmailStandIn } from '../devTools/acsEmailStandIn.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const playgroundPort = Number(process.env.PLAYGROUND_PORT ?? 56150);
const withPlayground = process.env.PLAYGROUND !== '0';

function launchPlayground(botUrl: string): RunningPlayground {
  const playground = startPlayground({ botUrl, port: playgroundPort });
  playground.child.on('exit', (code, signal) => {
    if (!stopping) console.error(`The Agents Playground stopped (${signal ?? `exit ${code}`}). Its last output:\n${playground.output()}`);
  });
  return playground;
}

/**
 * What to try first, from the programme's own definition (its categories and staff), so a
 * walkabout programme is not introduced with "billing"; without the Playground, where to chat.
 */
function tryLines(definition: ServiceDefinition, playground: boolean): string[] {
  const category = definition.categories[0];
  const agent = definition.staff.find((s) => s.role === 'agent' && category && s.skills.includes(category.code));
  const where = playground ? 'in the Playground' : 'in a Bot Framework client pointed at the bot URL above';
  return [
    `  Try: type ${typeExamples(DEFAULT_LOCALE, definition).replace(/^for example /, '')} ${where} and fill in the card;`,
    `  open the tab as an agent with that skill${agent ? ` (${agent.name} for ${category!.name})` : ''} and claim the case.`,
    '  "status", "my cases", "cancel" and "my data" work in the chat.',
  ];
}

function banner(service: RunningService, playground: boolean, email?: AcsEmailStandIn): string {
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
    ...(email ? [`  Email receipts: kept by the local ACS Email stand-in, listed at ${email.endpoint}messages`] : []),
    '',
    ...tryLines(service.definition, playground),
    '  Stop with Ctrl-C.',
    '',
  ];
  return lines.join('\n');
}

let stopping = false;

async function main(): Promise<void> {
  const loaded = loadSettings();
  // Email receipts (issue 19): locally, without ACS settings, the stand-in records them.
  const email = loaded.mode === 'local' && !loaded.email ? await startAcsEmailStandIn() : undefined;
  const settings = email ? { ...loaded, email: { endpoint: email.endpoint, accessKey: email.accessKey, senderAddress: 'DoNotReply@ratepayer-desk.local' } } : loaded;
  const service = await startService(settings);
  const playground = withPlayground ? launchPlayground(service.url) : undefined;
  if (playground && !(await waitForHttp(`http://127.0.0.1:${playgroundPort}`, 20_000)))
    console.error('The Agents Playground did not answer within 20 s; the service is still running.');
  console.log(banner(service, !!playground, email));

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await playground?.stop();
    await service.close();
    await email?.close();
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
