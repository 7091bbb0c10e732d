/**
 * The service's settings, read once from the environment and checked before anything starts.
 * A partial or contradictory configuration stops the service with a message naming each
 * setting that is missing or wrong: it never falls back to the embedded store when Azure
 * settings are present.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The local definition: its calendar is open around the clock so the flow works at any hour. */
export const LOCAL_DEFINITION = path.join(repoRoot, 'bot/definitions/local.json');

/** How the bot authenticates to the Bot Framework. */
export type BotAuth =
  | { kind: 'none' }
  | { kind: 'SingleTenant' | 'MultiTenant'; appId: string; password: string; tenantId?: string }
  | { kind: 'UserAssignedMsi'; appId: string; tenantId: string };

/** Where the cases are kept. */
export type StoreSettings =
  | { kind: 'embedded'; port: number }
  | { kind: 'cosmos'; endpoint: string; databaseId: string; key?: string; managedIdentityClientId?: string; local: boolean };

/**
 * How staff sign in to the tab: Teams SSO (Entra ID) in Azure mode, or the local sign-in page,
 * whose tokens the service mints itself, in local mode.
 */
export type TabAuthSettings =
  | { kind: 'local' }
  | { kind: 'entra'; clientId: string; tenantId: string; authorityHost: string; tabEndpoint: string };

/**
 * How long the service waits for Cosmos DB (bot/platform/cosmos/database.ts): one request, and all the
 * retries of a throttled (429) one. Both stay well inside the ~15 s after which Teams resends an
 * activity it has no answer to, so a turn that meets a hung database still answers in time.
 */
export interface CosmosTimeouts {
  /** One request, in milliseconds (COSMOS_REQUEST_TIMEOUT_MS, default 4000, 1000–10000). */
  requestTimeoutMs: number;
  /** All retries of a throttled request, in seconds (COSMOS_THROTTLE_WAIT_SECONDS, default 5, 0–10). */
  throttleWaitSeconds: number;
}

/** Everything the service reads from its environment. */
export interface Settings {
  mode: 'local' | 'azure';
  port: number;
  host: string;
  definitionPath: string;
  bot: BotAuth;
  store: StoreSettings;
  /** Left out by code that builds settings by hand: the defaults (4000 ms, 5 s). */
  cosmosTimeouts?: CosmosTimeouts;
  /** Left out only by code that builds settings by hand for local mode: it means the local sign-in. */
  tabAuth?: TabAuthSettings;
  /** Machine translation between ratepayer and expert (issue 16); absent: messages are relayed as written, marked untranslated. */
  translator?: TranslatorSettings;
  /** WhatsApp and SMS through Azure Communication Services (issue 18); absent: those channels are off. */
  acs?: AcsSettings;
  /** Email receipts (issue 19): Azure Communication Services Email, or its local stand-in; absent: chat only. */
  email?: EmailSettings;
  /** The public web page (Web Chat through Direct Line); left out: the page and its token route are off. */
  webChat?: WebChatSettings;
}

/**
 * Azure AI Translator (Text Translation REST v3) or its local stand-in (devTools/translator):
 * the endpoint, how to authenticate (a key and the resource's region, or Entra ID with a managed
 * identity at the resource's custom subdomain endpoint) and the deadline of one request.
 */
export interface TranslatorSettings {
  endpoint: string;
  auth: { kind: 'key'; key: string; region: string } | { kind: 'identity'; managedIdentityClientId?: string };
  /** One request, in milliseconds (TRANSLATOR_TIMEOUT_MS, default 3000, 500–10000). */
  timeoutMs: number;
}

/** Azure Communication Services: the resource, how to reach it, and the channels on it. */
export interface AcsSettings {
  endpoint: string;
  /** An access key (local stand-in, or a deployment without identity) or the managed identity (Azure: no secret in settings). */
  auth: { kind: 'key'; accessKey: string } | { kind: 'identity'; managedIdentityClientId?: string };
  /** The WhatsApp channel registration id (a GUID); absent: no WhatsApp. */
  whatsappChannelId?: string;
  /** The secret Event Grid's subscription puts in the webhook URL (?key=…): events without it get 401. */
  eventsSecret: string;
  /** The sender SMS notices go from (E.164 number or alphanumeric id); absent: no SMS. */
  smsFrom?: string;
}

/**
 * Where email receipts are sent from (ACS_EMAIL_ENDPOINT and ACS_EMAIL_SENDER, both or neither) and
 * how: the resource's access key (ACS_EMAIL_KEY: the local stand-in) or the managed identity
 * (ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID, or DefaultAzureCredential; Azure: no secret in settings).
 */
export interface EmailSettings {
  endpoint: string;
  auth: { kind: 'key'; accessKey: string } | { kind: 'identity'; managedIdentityClientId?: string };
  senderAddress: string;
}

/**
 * The public web page's Direct Line channel: the site's secret (exchanged by the service for
 * short-lived tokens; never sent to a browser) and the Direct Line base URL the page talks to.
 */
export interface WebChatSettings {
  secret: string;
  /** e.g. https://directline.botframework.com/v3/directline (a regional bot: europe. or india.). */
  endpoint: string;
  /** Origins allowed to show the page in an iframe besides its own (e.g. https://www.joburg.org.za). */
  frameAncestors?: string[];
}

/** The global Direct Line endpoint (docs: Direct Line API 3.0 reference, "Base URI"). */
const DIRECT_LINE_ENDPOINT = 'https://directline.botframework.com/v3/directline';

/** The problems found in a configuration, one message per setting. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`The service cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

/**
 * Every environment setting the service reads, for the README's configuration reference and the
 * test that keeps infra/azure.bicep in step. `azure`: 'required' must be set by the deployment,
 * 'optional' may be left out, 'local-only' must not be set in Azure.
 */
export const SETTINGS_REFERENCE: readonly { name: string; azure: 'required' | 'optional' | 'local-only'; meaning: string }[] = [
  { name: 'PORT', azure: 'optional', meaning: 'Port of the HTTP service (default 3978; App Service sets it).' },
  { name: 'HOST', azure: 'optional', meaning: 'Address to bind in Azure mode (default 0.0.0.0). Local mode always binds 127.0.0.1.' },
  { name: 'SERVICE_DEFINITION', azure: 'required', meaning: 'Path of the programme definition file (default in local mode: bot/definitions/local.json).' },
  { name: 'BOT_ID', azure: 'required', meaning: 'The bot\'s Microsoft app id (for UserAssignedMsi: the managed identity\'s client id).' },
  { name: 'BOT_TYPE', azure: 'required', meaning: 'UserAssignedMsi, SingleTenant or MultiTenant (deprecated for new bots).' },
  { name: 'BOT_TENANT_ID', azure: 'required', meaning: 'Entra tenant of the bot identity (required for UserAssignedMsi and SingleTenant).' },
  { name: 'BOT_PASSWORD', azure: 'optional', meaning: 'Client secret, for SingleTenant and MultiTenant only; never with UserAssignedMsi.' },
  { name: 'COSMOS_ENDPOINT', azure: 'required', meaning: 'Cosmos DB account endpoint. A loopback address means a local emulator.' },
  { name: 'COSMOS_DATABASE', azure: 'optional', meaning: 'Database name (default ratepayer-desk).' },
  { name: 'COSMOS_KEY', azure: 'optional', meaning: 'Account key. Leave out in Azure: the managed identity is used (no keys in app settings).' },
  { name: 'COSMOS_MANAGED_IDENTITY_CLIENT_ID', azure: 'optional', meaning: 'Client id of the user-assigned identity with the Cosmos DB data role.' },
  { name: 'COSMOS_REQUEST_TIMEOUT_MS', azure: 'optional', meaning: 'How long one Cosmos DB request may take before the turn or API call fails with "try again", in ms (default 4000; 1000–10000: Teams resends an unanswered activity after about 15 s).' },
  { name: 'COSMOS_THROTTLE_WAIT_SECONDS', azure: 'optional', meaning: 'How long, in all, a throttled (429) Cosmos DB request is retried, in seconds (default 5; 0–10).' },
  { name: 'M365_CLIENT_ID', azure: 'required', meaning: 'Client id of the Entra app the tab signs in with (Teams SSO); tokens must be issued for it.' },
  { name: 'M365_TENANT_ID', azure: 'required', meaning: 'Entra tenant whose staff sign in to the tab; tokens from other tenants are refused.' },
  { name: 'M365_AUTHORITY_HOST', azure: 'optional', meaning: 'Entra ID authority (default https://login.microsoftonline.com).' },
  { name: 'TAB_ENDPOINT', azure: 'required', meaning: 'Public https origin of the service, where Teams loads the tab (e.g. https://desk.example.org).' },
  { name: 'DIRECT_LINE_SECRET', azure: 'optional', meaning: 'Secret of the bot\'s Direct Line channel site: turns on the public web page (/chat/) and its token route. Kept in App Service settings; never sent to a browser.' },
  { name: 'DIRECT_LINE_ENDPOINT', azure: 'optional', meaning: `Direct Line base URL (default ${DIRECT_LINE_ENDPOINT}; a regional bot: https://europe.directline.botframework.com/v3/directline). https unless on this machine.` },
  { name: 'WEBCHAT_FRAME_ANCESTORS', azure: 'optional', meaning: 'Origins (https, space-separated) allowed to show the public chat page in an iframe, e.g. "https://www.joburg.org.za https://joburg.org.za". Default: none but its own.' },
  { name: 'LOG_LEVEL', azure: 'optional', meaning: 'Least level logged (pino): trace, debug, info (default), warn, error, fatal or silent. Logs are JSON lines on stdout.' },
  { name: 'LOG_PRINT_LEVEL', azure: 'optional', meaning: 'Least level printed on stdout (pino levels), while every line LOG_LEVEL allows is still made: the test run sets warn (tests/support/quietLog.ts). Leave unset in Azure and locally: every line is printed.' },
  { name: 'TRANSLATOR_ENDPOINT', azure: 'optional', meaning: 'Azure AI Translator endpoint (Text Translation v3): the resource\'s custom subdomain, https://<name>.cognitiveservices.azure.com/translator/text/v3.0, for the managed identity; or https://api.cognitive.microsofttranslator.com with a key. Without it, messages between ratepayer and expert are relayed as written, marked untranslated.' },
  { name: 'TRANSLATOR_KEY', azure: 'optional', meaning: 'Translator resource key. Leave out in Azure: the managed identity is used (no keys in app settings). Required for the local stand-in.' },
  { name: 'TRANSLATOR_REGION', azure: 'optional', meaning: 'Region of the Translator resource (e.g. southafricanorth), sent with a key as Ocp-Apim-Subscription-Region; required with TRANSLATOR_KEY.' },
  { name: 'TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID', azure: 'optional', meaning: 'Client id of the user-assigned identity with the Cognitive Services User role on the Translator resource.' },
  { name: 'TRANSLATOR_TIMEOUT_MS', azure: 'optional', meaning: 'How long one translation request may take before the message goes untranslated (one retry on 429/5xx), in ms (default 3000; 500–10000).' },
  { name: 'ACS_ENDPOINT', azure: 'optional', meaning: 'Azure Communication Services endpoint (https://<resource>.communication.azure.com) for WhatsApp and SMS; reached with the managed identity (ACS_MANAGED_IDENTITY_CLIENT_ID). Leave out for no WhatsApp or SMS.' },
  { name: 'ACS_MANAGED_IDENTITY_CLIENT_ID', azure: 'optional', meaning: 'Client id of the user-assigned identity with a role on the Communication Services resource.' },
  { name: 'ACS_CONNECTION_STRING', azure: 'optional', meaning: 'endpoint=…;accesskey=… of Communication Services: for the local stand-in (npm start sets it); in Azure prefer ACS_ENDPOINT and the managed identity.' },
  { name: 'WHATSAPP_CHANNEL_ID', azure: 'optional', meaning: 'The WhatsApp channel registration id (a GUID) of the City\'s WhatsApp Business number in Communication Services; set to turn WhatsApp on.' },
  { name: 'WHATSAPP_EVENTS_SECRET', azure: 'optional', meaning: 'A random secret of at least 32 characters that the Event Grid subscription puts in the webhook URL (/api/whatsapp/events?key=…); required with WHATSAPP_CHANNEL_ID or SMS_FROM.' },
  { name: 'SMS_FROM', azure: 'optional', meaning: 'The sender SMS notices go from (an E.164 number or alphanumeric sender id of the SMS provider); leave out for no SMS. ACS SMS does not reach South African numbers today (docs/whatsapp.md).' },
  { name: 'ACS_EMAIL_ENDPOINT', azure: 'optional', meaning: 'Azure Communication Services resource that sends email receipts (issue 19), e.g. https://<resource>.communication.azure.com, with an Email domain linked to it. With ACS_EMAIL_SENDER; without both, receipts go to the chat only. Reached with the managed identity (ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID) unless ACS_EMAIL_KEY is set.' },
  { name: 'ACS_EMAIL_KEY', azure: 'optional', meaning: 'Access key of that resource, for the local stand-in (npm start sets it). Leave out in Azure: the managed identity is used (no keys in app settings).' },
  { name: 'ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID', azure: 'optional', meaning: 'Client id of the user-assigned identity with a role on that Communication Services resource; without it (and without ACS_EMAIL_KEY), DefaultAzureCredential.' },
  { name: 'ACS_EMAIL_SENDER', azure: 'optional', meaning: 'Sender address of a domain connected to that resource, e.g. DoNotReply@<domain>.' },
  { name: 'EMBEDDED_COSMOS_PORT', azure: 'local-only', meaning: 'Port of the embedded Cosmos DB-compatible server (default: any free port).' },
];

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const envSchema = z.object({
  ACS_ENDPOINT: optional,
  ACS_MANAGED_IDENTITY_CLIENT_ID: optional,
  ACS_CONNECTION_STRING: optional,
  WHATSAPP_CHANNEL_ID: optional,
  WHATSAPP_EVENTS_SECRET: optional,
  SMS_FROM: optional,
  PORT: optional,
  HOST: optional,
  SERVICE_DEFINITION: optional,
  BOT_ID: optional,
  BOT_PASSWORD: optional,
  BOT_TYPE: optional,
  BOT_TENANT_ID: optional,
  COSMOS_ENDPOINT: optional,
  COSMOS_KEY: optional,
  COSMOS_DATABASE: optional,
  COSMOS_MANAGED_IDENTITY_CLIENT_ID: optional,
  EMBEDDED_COSMOS_PORT: optional,
  COSMOS_REQUEST_TIMEOUT_MS: optional,
  COSMOS_THROTTLE_WAIT_SECONDS: optional,
  M365_CLIENT_ID: optional,
  M365_TENANT_ID: optional,
  M365_AUTHORITY_HOST: optional,
  TAB_ENDPOINT: optional,
  TRANSLATOR_ENDPOINT: optional,
  TRANSLATOR_KEY: optional,
  TRANSLATOR_REGION: optional,
  TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID: optional,
  TRANSLATOR_TIMEOUT_MS: optional,
  ACS_EMAIL_ENDPOINT: optional,
  ACS_EMAIL_KEY: optional,
  ACS_EMAIL_SENDER: optional,
  DIRECT_LINE_SECRET: optional,
  DIRECT_LINE_ENDPOINT: optional,
  WEBCHAT_FRAME_ANCESTORS: optional,
  ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID: optional,
});

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  } catch {
    return false;
  }
}

function portFrom(value: string | undefined, name: string, fallback: number, problems: string[]): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`${name} must be a port number from 0 to 65535 (it is "${value}")`);
    return fallback;
  }
  return port;
}

function integerFrom(value: string | undefined, name: string, range: { min: number; max: number; fallback: number; unit: string }, problems: string[]): number {
  if (value === undefined) return range.fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    problems.push(`${name} must be a whole number of ${range.unit} from ${range.min} to ${range.max} (it is "${value}")`);
    return range.fallback;
  }
  return n;
}

/** Reads and checks the settings; throws SettingsError listing every problem. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const e = envSchema.parse(env);
  const problems: string[] = [];

  const bot = botAuth(e, problems);
  const store = storeSettings(e, problems);
  const azureBot = bot.kind !== 'none';
  const azureStore = store.kind === 'cosmos' && !store.local;
  if (azureBot && !azureStore)
    problems.push('BOT_ID is set (Azure mode) but COSMOS_ENDPOINT is not: set COSMOS_ENDPOINT to the Azure Cosmos DB account');
  if (azureStore && !azureBot)
    problems.push('COSMOS_ENDPOINT points at Azure but BOT_ID is not set: set BOT_ID, BOT_TYPE and their credentials');
  const mode = azureBot || azureStore ? 'azure' : 'local';

  if (mode === 'azure' && !e.SERVICE_DEFINITION)
    problems.push('SERVICE_DEFINITION is required in Azure mode: the path of the programme\'s definition file');
  const port = portFrom(e.PORT, 'PORT', 3978, problems);
  const tabAuth = tabAuthSettings(e, mode, problems);
  const cosmosTimeouts: CosmosTimeouts = {
    requestTimeoutMs: integerFrom(e.COSMOS_REQUEST_TIMEOUT_MS, 'COSMOS_REQUEST_TIMEOUT_MS', { min: 1000, max: 10_000, fallback: 4000, unit: 'milliseconds' }, problems),
    throttleWaitSeconds: integerFrom(e.COSMOS_THROTTLE_WAIT_SECONDS, 'COSMOS_THROTTLE_WAIT_SECONDS', { min: 0, max: 10, fallback: 5, unit: 'seconds' }, problems),
  };
  const translator = translatorSettings(e, problems);
  const acs = acsSettings(e, problems);
  const email = emailSettings(e, problems);
  const webChat = webChatSettings(e, problems);
  if (problems.length) throw new SettingsError(problems);

  return {
    ...(acs ? { acs } : {}),
    mode,
    port,
    // Local mode has no authentication on the bot endpoint: it must not be reachable from elsewhere.
    host: mode === 'local' ? '127.0.0.1' : (e.HOST ?? '0.0.0.0'),
    definitionPath: e.SERVICE_DEFINITION ? path.resolve(e.SERVICE_DEFINITION) : LOCAL_DEFINITION,
    bot,
    store,
    cosmosTimeouts,
    tabAuth,
    ...(translator ? { translator } : {}),
    ...(email ? { email } : {}),
    ...(webChat ? { webChat } : {}),
  };
}

const TRANSLATOR_NAMES = ['TRANSLATOR_KEY', 'TRANSLATOR_REGION', 'TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID', 'TRANSLATOR_TIMEOUT_MS'] as const;

/**
 * The Translator settings (issue 16). Microsoft Entra ID works only at a resource's custom
 * subdomain endpoint (`*.cognitiveservices.azure.com`), a key with the resource's region anywhere.
 */
function translatorSettings(e: z.infer<typeof envSchema>, problems: string[]): TranslatorSettings | undefined {
  if (!e.TRANSLATOR_ENDPOINT) {
    for (const name of TRANSLATOR_NAMES)
      if (e[name]) problems.push(`${name} is set but TRANSLATOR_ENDPOINT is not: set TRANSLATOR_ENDPOINT too, or remove ${name}`);
    return undefined;
  }
  const endpoint = e.TRANSLATOR_ENDPOINT.replace(/\/+$/, '');
  let host = '';
  try {
    host = new URL(endpoint).hostname;
  } catch {
    problems.push(`TRANSLATOR_ENDPOINT must be a URL such as https://<name>.cognitiveservices.azure.com/translator/text/v3.0 (it is "${e.TRANSLATOR_ENDPOINT}")`);
  }
  const local = isLoopback(endpoint);
  if (host && !local && !endpoint.startsWith('https://')) problems.push('TRANSLATOR_ENDPOINT must use https:// unless it is on this machine');
  const timeoutMs = integerFrom(e.TRANSLATOR_TIMEOUT_MS, 'TRANSLATOR_TIMEOUT_MS', { min: 500, max: 10_000, fallback: 3000, unit: 'milliseconds' }, problems);
  if (e.TRANSLATOR_KEY) {
    if (e.TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID) problems.push('set either TRANSLATOR_KEY or TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID, not both');
    if (!e.TRANSLATOR_REGION)
      problems.push('TRANSLATOR_REGION is required with TRANSLATOR_KEY: the region of the Translator resource, e.g. southafricanorth (sent as Ocp-Apim-Subscription-Region)');
    else if (!/^[a-z0-9]+$/.test(e.TRANSLATOR_REGION))
      problems.push(`TRANSLATOR_REGION must be an Azure region name in lower case, e.g. southafricanorth (it is "${e.TRANSLATOR_REGION}")`);
    return { endpoint, auth: { kind: 'key', key: e.TRANSLATOR_KEY, region: e.TRANSLATOR_REGION ?? '' }, timeoutMs };
  }
  if (local) problems.push('TRANSLATOR_KEY is required for a Translator stand-in on this machine (npm start sets it)');
  else if (host && !host.endsWith('.cognitiveservices.azure.com'))
    problems.push(
      `TRANSLATOR_ENDPOINT must be the Translator resource's custom subdomain (https://<name>.cognitiveservices.azure.com/translator/text/v3.0) for the managed identity, or set TRANSLATOR_KEY and TRANSLATOR_REGION (it is "${e.TRANSLATOR_ENDPOINT}")`,
    );
  return {
    endpoint,
    auth: { kind: 'identity', ...(e.TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID ? { managedIdentityClientId: e.TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID } : {}) },
    timeoutMs,
  };
}

/** WhatsApp and SMS (issue 18): on when WHATSAPP_CHANNEL_ID or SMS_FROM is set. */
function acsSettings(e: z.infer<typeof envSchema>, problems: string[]): AcsSettings | undefined {
  if (!e.WHATSAPP_CHANNEL_ID && !e.SMS_FROM) {
    for (const name of ['ACS_ENDPOINT', 'ACS_CONNECTION_STRING', 'ACS_MANAGED_IDENTITY_CLIENT_ID', 'WHATSAPP_EVENTS_SECRET'] as const)
      if (e[name]) problems.push(`${name} is set but neither WHATSAPP_CHANNEL_ID nor SMS_FROM is: set the channel to turn on, or remove ${name}`);
    return undefined;
  }
  let endpoint = e.ACS_ENDPOINT;
  let auth: AcsSettings['auth'] = { kind: 'identity', ...(e.ACS_MANAGED_IDENTITY_CLIENT_ID ? { managedIdentityClientId: e.ACS_MANAGED_IDENTITY_CLIENT_ID } : {}) };
  if (e.ACS_CONNECTION_STRING) {
    const parts = Object.fromEntries(e.ACS_CONNECTION_STRING.split(';').filter(Boolean).map((p) => [p.slice(0, p.indexOf('=')).trim().toLowerCase(), p.slice(p.indexOf('=') + 1).trim()]));
    if (!parts.endpoint || !parts.accesskey) problems.push('ACS_CONNECTION_STRING must look like "endpoint=https://<resource>.communication.azure.com/;accesskey=…"');
    if (e.ACS_ENDPOINT) problems.push('set either ACS_ENDPOINT (with the managed identity) or ACS_CONNECTION_STRING, not both');
    endpoint = parts.endpoint;
    auth = { kind: 'key', accessKey: parts.accesskey ?? '' };
  }
  if (!endpoint) problems.push('ACS_ENDPOINT (or ACS_CONNECTION_STRING) is required with WHATSAPP_CHANNEL_ID or SMS_FROM: the Communication Services resource');
  else if (!/^https:\/\//.test(endpoint) && !isLoopback(endpoint)) problems.push(`ACS_ENDPOINT must use https:// unless it is on this machine (it is "${endpoint}")`);
  if (e.WHATSAPP_CHANNEL_ID && !GUID.test(e.WHATSAPP_CHANNEL_ID)) problems.push(`WHATSAPP_CHANNEL_ID must be the channel registration id, a GUID (it is "${e.WHATSAPP_CHANNEL_ID}")`);
  if (!e.WHATSAPP_EVENTS_SECRET || e.WHATSAPP_EVENTS_SECRET.length < 32)
    problems.push('WHATSAPP_EVENTS_SECRET must be a random secret of at least 32 characters (Event Grid puts it in the webhook URL; events without it are refused)');
  return {
    endpoint: endpoint ?? '',
    auth,
    ...(e.WHATSAPP_CHANNEL_ID ? { whatsappChannelId: e.WHATSAPP_CHANNEL_ID } : {}),
    eventsSecret: e.WHATSAPP_EVENTS_SECRET ?? '',
    ...(e.SMS_FROM ? { smsFrom: e.SMS_FROM } : {}),
  };
}

/**
 * Email receipts (issue 19): on with ACS_EMAIL_ENDPOINT and ACS_EMAIL_SENDER; the key or the
 * managed identity, never both; each mistake named by its setting, so the service stops at start-up
 * instead of failing every receipt later.
 */
function emailSettings(e: z.infer<typeof envSchema>, problems: string[]): EmailSettings | undefined {
  const names = ['ACS_EMAIL_ENDPOINT', 'ACS_EMAIL_SENDER'] as const;
  const given = names.filter((n) => e[n]);
  if (given.length === 0) {
    for (const name of ['ACS_EMAIL_KEY', 'ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID'] as const)
      if (e[name]) problems.push(`${name} is set but ACS_EMAIL_ENDPOINT and ACS_EMAIL_SENDER are not: set them to send email receipts, or remove ${name}`);
    return undefined;
  }
  if (given.length < names.length) {
    problems.push(`email receipts need ACS_EMAIL_ENDPOINT and ACS_EMAIL_SENDER together: set ${names.filter((n) => !e[n]).join(' and ')}, or remove ${given.join(' and ')}`);
    return undefined;
  }
  const endpoint = e.ACS_EMAIL_ENDPOINT!;
  const local = isLoopback(endpoint);
  if (!/^https?:\/\/[^/]+/.test(endpoint) || (endpoint.startsWith('http://') && !local))
    problems.push(`ACS_EMAIL_ENDPOINT must be an https URL such as https://<resource>.communication.azure.com (http only on this machine) (it is "${endpoint}")`);
  if (!/^[^@\s]+@[^@\s]+$/.test(e.ACS_EMAIL_SENDER!)) problems.push(`ACS_EMAIL_SENDER must be an email address (it is "${e.ACS_EMAIL_SENDER}")`);
  const senderAddress = e.ACS_EMAIL_SENDER!;
  if (e.ACS_EMAIL_KEY) {
    if (e.ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID) problems.push('set either ACS_EMAIL_KEY or ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID, not both (in Azure: the managed identity, no key)');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(e.ACS_EMAIL_KEY)) problems.push('ACS_EMAIL_KEY must be the resource\'s access key as the portal shows it (base64): the accesskey=… part of its connection string');
    return { endpoint, auth: { kind: 'key', accessKey: e.ACS_EMAIL_KEY }, senderAddress };
  }
  if (local) problems.push('ACS_EMAIL_KEY is required for an email stand-in on this machine (npm start sets it): a managed identity has no token for it');
  if (e.ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID && !GUID.test(e.ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID))
    problems.push(`ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID must be the managed identity's client id, a GUID (it is "${e.ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID}")`);
  return {
    endpoint,
    auth: { kind: 'identity', ...(e.ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID ? { managedIdentityClientId: e.ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID } : {}) },
    senderAddress,
  };
}

function webChatSettings(e: z.infer<typeof envSchema>, problems: string[]): WebChatSettings | undefined {
  if (!e.DIRECT_LINE_SECRET) {
    if (e.WEBCHAT_FRAME_ANCESTORS) problems.push('WEBCHAT_FRAME_ANCESTORS is set but DIRECT_LINE_SECRET is not: the public chat page is off without it');
    if (e.DIRECT_LINE_ENDPOINT) problems.push('DIRECT_LINE_ENDPOINT is set but DIRECT_LINE_SECRET is not: set the Direct Line site\'s secret too, or remove DIRECT_LINE_ENDPOINT');
    return undefined;
  }
  const endpoint = (e.DIRECT_LINE_ENDPOINT ?? DIRECT_LINE_ENDPOINT).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+\/v3\/directline$/.test(endpoint))
    problems.push(`DIRECT_LINE_ENDPOINT must be a Direct Line 3.0 base URL ending in /v3/directline, e.g. ${DIRECT_LINE_ENDPOINT} (it is "${endpoint}")`);
  else if (endpoint.startsWith('http://') && !isLoopback(endpoint)) problems.push('DIRECT_LINE_ENDPOINT must use https:// unless it is on this machine');
  const frameAncestors = (e.WEBCHAT_FRAME_ANCESTORS ?? '').split(/\s+/).filter(Boolean);
  for (const origin of frameAncestors)
    if (!/^https:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?$/i.test(origin))
      problems.push(`WEBCHAT_FRAME_ANCESTORS must list https origins such as https://www.joburg.org.za, separated by spaces ("${origin.slice(0, 60)}" is not one)`);
  return { secret: e.DIRECT_LINE_SECRET, endpoint, ...(frameAncestors.length ? { frameAncestors } : {}) };
}

const M365_NAMES = ['M365_CLIENT_ID', 'M365_TENANT_ID', 'M365_AUTHORITY_HOST', 'TAB_ENDPOINT'] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function tabAuthSettings(e: z.infer<typeof envSchema>, mode: 'local' | 'azure', problems: string[]): TabAuthSettings {
  if (mode === 'local') {
    for (const name of M365_NAMES)
      if (e[name]) problems.push(`${name} is set but the service is in local mode (no BOT_ID or Azure COSMOS_ENDPOINT), where the tab uses the local sign-in: remove ${name}, or set the Azure settings too`);
    return { kind: 'local' };
  }
  for (const name of ['M365_CLIENT_ID', 'M365_TENANT_ID', 'TAB_ENDPOINT'] as const)
    if (!e[name]) problems.push(`${name} is required in Azure mode: the tab's Teams SSO tokens are checked against it`);
  if (e.M365_CLIENT_ID && !GUID.test(e.M365_CLIENT_ID))
    problems.push(`M365_CLIENT_ID must be the Entra app's client id, a GUID (it is "${e.M365_CLIENT_ID}")`);
  if (e.M365_TENANT_ID && !GUID.test(e.M365_TENANT_ID))
    problems.push(`M365_TENANT_ID must be the Entra tenant id, a GUID (it is "${e.M365_TENANT_ID}")`);
  const authorityHost = (e.M365_AUTHORITY_HOST ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  if (!/^https:\/\/[^/]+$/.test(authorityHost))
    problems.push(`M365_AUTHORITY_HOST must be an https origin such as https://login.microsoftonline.com (it is "${authorityHost}")`);
  if (e.TAB_ENDPOINT && !/^https:\/\/[^/]+\/?$/.test(e.TAB_ENDPOINT))
    problems.push(`TAB_ENDPOINT must be the service's public https origin, e.g. https://desk.example.org (it is "${e.TAB_ENDPOINT}")`);
  return {
    kind: 'entra',
    clientId: e.M365_CLIENT_ID ?? '',
    tenantId: e.M365_TENANT_ID ?? '',
    authorityHost,
    tabEndpoint: (e.TAB_ENDPOINT ?? '').replace(/\/+$/, ''),
  };
}

function botAuth(e: z.infer<typeof envSchema>, problems: string[]): BotAuth {
  if (!e.BOT_ID) {
    for (const name of ['BOT_PASSWORD', 'BOT_TYPE', 'BOT_TENANT_ID'] as const)
      if (e[name]) problems.push(`${name} is set but BOT_ID is not: set BOT_ID too, or remove ${name}`);
    return { kind: 'none' };
  }
  const type = e.BOT_TYPE ?? 'MultiTenant';
  switch (type) {
    case 'UserAssignedMsi':
      if (!e.BOT_TENANT_ID) problems.push('BOT_TENANT_ID is required when BOT_TYPE is UserAssignedMsi');
      if (e.BOT_PASSWORD) problems.push('BOT_PASSWORD must not be set when BOT_TYPE is UserAssignedMsi (the managed identity has no password)');
      return { kind: 'UserAssignedMsi', appId: e.BOT_ID, tenantId: e.BOT_TENANT_ID ?? '' };
    case 'SingleTenant':
      if (!e.BOT_TENANT_ID) problems.push('BOT_TENANT_ID is required when BOT_TYPE is SingleTenant');
    // falls through: both need the password
    case 'MultiTenant':
      if (!e.BOT_PASSWORD) problems.push(`BOT_PASSWORD is required when BOT_TYPE is ${type}`);
      return {
        kind: type,
        appId: e.BOT_ID,
        password: e.BOT_PASSWORD ?? '',
        ...(e.BOT_TENANT_ID ? { tenantId: e.BOT_TENANT_ID } : {}),
      };
    default:
      problems.push(`BOT_TYPE must be UserAssignedMsi, SingleTenant or MultiTenant (it is "${type}")`);
      return { kind: 'none' };
  }
}

function storeSettings(e: z.infer<typeof envSchema>, problems: string[]): StoreSettings {
  if (!e.COSMOS_ENDPOINT) {
    for (const name of ['COSMOS_KEY', 'COSMOS_MANAGED_IDENTITY_CLIENT_ID'] as const)
      if (e[name]) problems.push(`${name} is set but COSMOS_ENDPOINT is not: set COSMOS_ENDPOINT too, or remove ${name}`);
    return { kind: 'embedded', port: portFrom(e.EMBEDDED_COSMOS_PORT, 'EMBEDDED_COSMOS_PORT', 0, problems) };
  }
  if (!/^https?:\/\/[^/]+/.test(e.COSMOS_ENDPOINT)) {
    problems.push(`COSMOS_ENDPOINT must be a URL such as https://<account>.documents.azure.com:443/ (it is "${e.COSMOS_ENDPOINT}")`);
  }
  const local = isLoopback(e.COSMOS_ENDPOINT);
  if (!local && e.COSMOS_ENDPOINT.startsWith('http://'))
    problems.push('COSMOS_ENDPOINT must use https:// unless it is on this machine');
  if (!local && e.COSMOS_KEY && e.COSMOS_MANAGED_IDENTITY_CLIENT_ID)
    problems.push('set either COSMOS_KEY or COSMOS_MANAGED_IDENTITY_CLIENT_ID, not both');
  if (local && !e.COSMOS_KEY) problems.push('COSMOS_KEY is required for a Cosmos DB emulator on this machine');
  return {
    kind: 'cosmos',
    endpoint: e.COSMOS_ENDPOINT,
    databaseId: e.COSMOS_DATABASE ?? 'ratepayer-desk',
    local,
    ...(e.COSMOS_KEY ? { key: e.COSMOS_KEY } : {}),
    ...(e.COSMOS_MANAGED_IDENTITY_CLIENT_ID ? { managedIdentityClientId: e.COSMOS_MANAGED_IDENTITY_CLIENT_ID } : {}),
  };
}
