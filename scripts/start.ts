/**
 * `npm start`: the whole product on this machine in one terminal. The service (with its
 * embedded Cosmos DB-compatible server unless COSMOS_ENDPOINT is set) runs in this process;
 * the Microsoft 365 Agents Playground runs as a child, pointed at the bot. Ctrl-C stops both.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefinitionError } from '../bot/platform/config/definition.js';
import { loadSettings, SettingsError, type Settings } from '../bot/platform/config/settings.js';
import { startService, type RunningService } from '../bot/service.js';
import type { ServiceDefinition } from '../bot/domain/serviceDefinition.js';
import { DEFAULT_LOCALE } from '../bot/messages/index.js';
import { typeExamples } from '../bot/messages/programme.js';
import { startPlayground, waitForHttp, type RunningPlayground } from './playground.js';
import { startTranslatorStandIn, type TranslatorStandIn } from '../devTools/translator/server.js';
import { randomBytes } from 'node:crypto';
import { AcsStandIn } from '../devTools/acs.js';
import { startAcsEmailStandIn, type AcsEmailStandIn } from '../devTools/acsEmailStandIn.js';
import { startLocalDirectLine, type LocalDirectLine } from '../devTools/directLine.js';
import { SmsOutbox } from '../devTools/smsOutbox.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const playgroundPort = Number(process.env.PLAYGROUND_PORT ?? 56150);
const withPlayground = process.env.PLAYGROUND !== '0';
/** Where the local Communication Services stand-in listens (WhatsApp and SMS; `npm run phone` talks to it). */
const acsPort = Number(process.env.ACS_STANDIN_PORT ?? 56160);

/**
 * Locally, WhatsApp and SMS run against the Communication Services stand-in (devTools/acs.ts),
 * through the same client code as in Azure. On a taken port it takes any free one (and says so).
 */
async function startAcsStandIn(): Promise<AcsStandIn> {
  const acs = new AcsStandIn();
  try {
    await acs.start(acsPort);
  } catch {
    await acs.start(0);
  }
  return acs;
}

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

/**
 * Local mode without TRANSLATOR_ENDPOINT: the Translator stand-in (devTools/translator), with the
 * settings pointed at it, so a newcomer sees what a translated conversation looks like through the
 * same client code production uses. `TRANSLATOR=0` leaves translation off.
 */
async function withTranslator(settings: Settings): Promise<{ settings: Settings; standIn?: TranslatorStandIn }> {
  if (settings.mode !== 'local' || settings.translator || process.env.TRANSLATOR === '0') return { settings };
  const standIn = await startTranslatorStandIn({ port: Number(process.env.TRANSLATOR_STAND_IN_PORT ?? 0) });
  const env = { ...process.env, TRANSLATOR_ENDPOINT: standIn.url, TRANSLATOR_KEY: standIn.auth.key, TRANSLATOR_REGION: standIn.auth.region };
  return { settings: loadSettings(env), standIn };
}

function translatorLine(settings: Settings, standIn: TranslatorStandIn | undefined): string {
  if (standIn) return `  Translator:  local stand-in at ${standIn.url} (Azure AI Translator's REST contract; a few phrases, else "[zu] your words")`;
  if (settings.translator) return `  Translator:  ${settings.translator.endpoint}`;
  return '  Translator:  off (messages between ratepayer and expert go as written)';
}

function banner(service: RunningService, playground: boolean, standIn?: TranslatorStandIn, acs?: AcsStandIn, email?: AcsEmailStandIn, directLine?: LocalDirectLine): string {
  const lines = [
    '',
    `  Ratepayer Desk — ${service.definition.programme.name} (${service.definition.programme.organisation})`,
    `  Mode:        ${service.settings.mode}${service.settings.mode === 'local' ? ' (no Azure, no Teams tenant; bound to 127.0.0.1 only, no authentication on the bot endpoint)' : ''}`,
    `  Data:        ${service.embedded ? `embedded Cosmos DB-compatible server at ${service.cosmosEndpoint} (kept in memory until you stop)` : `Cosmos DB at ${service.cosmosEndpoint}`}`,
    `  Definition:  ${path.relative(root, service.settings.definitionPath)}`,
    `  Bot:         ${service.url}/api/messages`,
    translatorLine(service.settings, standIn),
    `  Agents' tab: ${service.tabUrl}${service.settings.mode === 'local' ? '  (sign in locally as any agent or supervisor of the definition)' : ''}`,
    playground
      ? `  Chat as a ratepayer: http://localhost:${playgroundPort}  (Microsoft 365 Agents Playground)`
      : '  Playground:  off (PLAYGROUND=0)',
    ...(acs
      ? [
          // `npm run phone` finds the stand-in at its default port by itself; anywhere else, the command names it.
          `  Chat on WhatsApp: ${acs.endpoint.endsWith(':56160') ? '' : `ACS_STANDIN_URL=${acs.endpoint} `}npm run phone -- +27821234567  (in another terminal; Communication Services stand-in at ${acs.endpoint})`,
        ]
      : []),
    ...(email ? [`  Email receipts: kept by the local ACS Email stand-in, listed at ${email.endpoint}messages`] : []),
    service.chatUrl
      ? `  Public web chat: ${service.chatUrl}?category=${service.definition.categories[0]?.code ?? ''}  (one link per category; ${directLine ? `local Direct Line stand-in at ${directLine.domain}` : 'Azure Bot Service Direct Line'})`
      : '  Public web chat: off (set DIRECT_LINE_SECRET)',
    '',
    ...tryLines(service.definition, playground),
    // The service's log follows below: one JSON line per request and per failure (docs/security.md, "Logs").
    `  Log:         JSON lines below, one per request (level ${process.env.LOG_LEVEL ?? 'info'}; LOG_LEVEL=warn npm start for failures only)`,
    '  Stop with Ctrl-C.',
    '',
  ];
  return lines.join('\n');
}

let stopping = false;

async function main(): Promise<void> {
  const translated = await withTranslator(loadSettings());
  const standIn = translated.standIn;
  let settings = translated.settings;
  const acs = settings.mode === 'local' && !settings.acs && process.env.WHATSAPP !== '0' ? await startAcsStandIn() : undefined;
  if (acs)
    settings = {
      ...settings,
      acs: {
        endpoint: acs.endpoint,
        auth: { kind: 'key', accessKey: acs.accessKey },
        whatsappChannelId: acs.channelRegistrationId,
        eventsSecret: randomBytes(24).toString('base64url'),
        smsFrom: '+27110000000',
      },
    };
  // Email receipts (issue 19): locally, without ACS settings, the stand-in records them.
  const email = settings.mode === 'local' && !settings.email ? await startAcsEmailStandIn() : undefined;
  if (email) settings = { ...settings, email: { endpoint: email.endpoint, auth: { kind: 'key', accessKey: email.accessKey }, senderAddress: 'DoNotReply@ratepayer-desk.local' } };
  // Locally, the public page talks to a Direct Line stand-in (devTools/directLine.ts) with a secret made now.
  const directLine = settings.mode === 'local' && !settings.webChat ? await startLocalDirectLine({ secret: randomBytes(24).toString('base64url') }) : undefined;
  if (directLine) settings = { ...settings, webChat: { secret: directLine.secret, endpoint: directLine.domain } };
  // Locally without SMS settings, the web chat's SMS notices are recorded and printed here, not sent (devTools/smsOutbox.ts).
  const outbox = new SmsOutbox((m) => console.log(`  [SMS to ${m.to.slice(0, 5)}…${m.to.slice(-3)}] ${m.text}`));
  const service = await startService(settings, settings.mode === 'local' && !settings.acs?.smsFrom ? { sms: outbox } : {});
  directLine?.pointAt(`${service.url}/api/messages`);
  if (acs) await acs.subscribe(`${service.url}/api/whatsapp/events?key=${settings.acs!.eventsSecret}`);
  const playground = withPlayground ? launchPlayground(service.url) : undefined;
  if (playground && !(await waitForHttp(`http://127.0.0.1:${playgroundPort}`, 20_000)))
    console.error('The Agents Playground did not answer within 20 s; the service is still running.');
  console.log(banner(service, !!playground, standIn, acs, email, directLine));

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await playground?.stop();
    await service.close();
    await standIn?.close();
    await acs?.close();
    await email?.close();
    await directLine?.close();
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
