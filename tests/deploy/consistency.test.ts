/**
 * Keeps the service, infra/azure.bicep, teamsapp.yml, the env files and the Teams manifest in step.
 * No Bicep CLI can run here, so the Bicep is read as text: resource declarations, the web app's
 * app settings, params, outputs and the Cosmos DB containers. `az bicep build` in CI with Azure
 * access is the full check (docs/deploy.md).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { SETTINGS_REFERENCE } from '../../bot/platform/config/settings.js';
import { CONTAINER_DEFINITIONS } from '../../bot/platform/cosmos/database.js';
import { parseEnvFile, placeholders } from '../../scripts/package.js';
import { armContainers } from '../../scripts/infra-containers.js';
import { AZURE_SETTINGS } from '../support/settings.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

// ---------------------------------------------------------------------------------------------
// A reader for the parts of Bicep this project's template uses.

/** The text between the brace at `open` and its match (strings and comments skipped). */
function block(text: string, open: number): string {
  assert.equal(text[open], '{', 'block() starts at a brace');
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      // Bicep strings: single quotes, \' escapes; ${...} inside holds balanced braces.
      for (i++; i < text.length && text[i] !== "'"; i++) if (text[i] === '\\') i++;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error('unbalanced braces in the Bicep file');
}

interface BicepResource {
  symbol: string;
  type: string;
  apiVersion: string;
  body: string;
}

/** `name: value` pairs at the top level of an object body (nested objects and arrays kept as text). */
function properties(body: string): Map<string, string> {
  const result = new Map<string, string>();
  let depth = 0;
  let line = '';
  const lines: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "'") {
      const start = i;
      for (i++; i < body.length && body[i] !== "'"; i++) if (body[i] === '\\') i++;
      line += body.slice(start, i + 1);
      continue;
    }
    if (ch === '/' && body[i + 1] === '/') {
      while (i < body.length && body[i] !== '\n') i++;
      i--;
      continue;
    }
    if (ch === '{' || ch === '[') depth++;
    if (ch === '}' || ch === ']') depth--;
    if (ch === '\n' && depth === 0) {
      lines.push(line);
      line = '';
    } else line += ch;
  }
  lines.push(line);
  for (const l of lines) {
    const m = /^\s*'?([A-Za-z_$][\w$.-]*)'?\s*:\s*([\s\S]*?)\s*$/.exec(l);
    if (m) result.set(m[1]!, m[2]!);
  }
  return result;
}

/** Follows a path of property names through nested object bodies. */
function prop(body: string, ...names: string[]): string | undefined {
  let current: string | undefined = body;
  for (const name of names) {
    if (current === undefined) return undefined;
    const value = properties(current).get(name);
    if (value === undefined) return undefined;
    current = value.startsWith('{') ? value.slice(1, value.lastIndexOf('}')) : value;
  }
  return current?.trim();
}

class Bicep {
  readonly resources: BicepResource[] = [];
  readonly params = new Map<string, { type: string; default?: string }>();
  readonly outputs = new Map<string, string>();
  readonly vars = new Map<string, string>();

  constructor(readonly text: string) {
    for (const m of text.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s*=\s*(\[for\s[^:]+:\s*)?\{/gm)) {
      const open = m.index! + m[0].length - 1;
      this.resources.push({ symbol: m[1]!, type: m[2]!, apiVersion: m[3]!, body: block(text, open) });
    }
    for (const m of text.matchAll(/^param\s+(\w+)\s+(\w+)(?:\s*=\s*(.+))?$/gm))
      this.params.set(m[1]!, { type: m[2]!, ...(m[3] !== undefined ? { default: m[3].trim() } : {}) });
    for (const m of text.matchAll(/^output\s+(\w+)\s+\w+\s*=\s*(.+)$/gm)) this.outputs.set(m[1]!, m[2]!.trim());
    for (const m of text.matchAll(/^var\s+(\w+)\s*=\s*(.+)$/gm)) this.vars.set(m[1]!, m[2]!.trim());
  }

  one(type: string, name?: string): BicepResource {
    const found = this.resources.filter((r) => r.type === type && (name === undefined || prop(r.body, 'name') === `'${name}'`));
    assert.equal(found.length, 1, `infra/azure.bicep declares one ${type}${name ? ` named ${name}` : ''} (found ${found.length})`);
    return found[0]!;
  }
}

const bicep = new Bicep(read('infra/azure.bicep'));
const appSettingsResource = bicep.one('Microsoft.Web/sites/config', 'appsettings');
const appSettings = properties(prop(appSettingsResource.body, 'properties')!.replace(/^\{|\}$/g, ''));

/** App settings the platform reads (App Service, Application Insights), not the service. */
const PLATFORM_SETTINGS = new Set([
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'ApplicationInsightsAgent_EXTENSION_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
]);

/**
 * The tab's SSO settings, whose names were agreed with the tab work (M365_* as Teams Toolkit names
 * them). They count as known while SETTINGS_REFERENCE does not list them yet; once it does, its
 * entries rule (required, optional or local-only) and this list changes nothing.
 */
const AGREED_TAB_SETTINGS = new Set(['M365_CLIENT_ID', 'M365_TENANT_ID', 'M365_AUTHORITY_HOST', 'TAB_ENDPOINT']);

describe('infra/azure.bicep and the service settings (SETTINGS_REFERENCE)', () => {
  it('SETTINGS_REFERENCE lists every environment variable the service reads', () => {
    const read_: string[] = [];
    const settings = read('bot/platform/config/settings.ts');
    const schema = /const envSchema = z\.object\(\{([\s\S]*?)\}\);/.exec(settings);
    assert.ok(schema, 'bot/platform/config/settings.ts declares envSchema');
    for (const m of schema[1]!.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*:/gm)) read_.push(m[1]!);
    const walk = (dir: string): string[] =>
      readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
      );
    for (const file of walk('bot'))
      for (const m of read(file).matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)) read_.push(m[1] ?? m[2]!);
    assert.ok(read_.includes('BOT_ID') && read_.includes('COSMOS_ENDPOINT'), 'the reader found the settings');
    const listed = new Set(SETTINGS_REFERENCE.map((s) => s.name));
    const unlisted = [...new Set(read_)].filter((name) => !listed.has(name));
    assert.deepEqual(unlisted, [], `add to SETTINGS_REFERENCE in bot/platform/config/settings.ts (and decide whether Azure needs them): ${unlisted.join(', ')}`);
  });

  it('sets every setting the service requires in Azure', () => {
    const missing = SETTINGS_REFERENCE.filter((s) => s.azure === 'required' && !appSettings.has(s.name)).map((s) => s.name);
    assert.deepEqual(missing, [], `add to the web app's app settings in infra/azure.bicep: ${missing.join(', ')}`);
  });

  it('sets no local-only setting, no secret and nothing the service does not read', () => {
    const known = new Map(SETTINGS_REFERENCE.map((s) => [s.name, s.azure]));
    for (const name of appSettings.keys()) {
      if (PLATFORM_SETTINGS.has(name)) continue;
      if (AGREED_TAB_SETTINGS.has(name) && !known.has(name)) continue;
      assert.ok(known.has(name), `app setting ${name} is not in SETTINGS_REFERENCE (bot/platform/config/settings.ts): add it there or remove it`);
      assert.notEqual(known.get(name), 'local-only', `${name} is local-only and must not be set in Azure`);
    }
    for (const secret of ['COSMOS_KEY', 'BOT_PASSWORD', 'TRANSLATOR_KEY']) assert.ok(!appSettings.has(secret), `${secret} must not be in app settings`);
    assert.doesNotMatch(bicep.text, /listKeys\(|primaryMasterKey|listConnectionStrings/, 'no Cosmos DB keys are read');
  });

  it('makes the bot identity the user-assigned managed identity, also used for Cosmos DB', () => {
    assert.equal(appSettings.get('BOT_TYPE'), "'UserAssignedMsi'");
    const identity = bicep.one('Microsoft.ManagedIdentity/userAssignedIdentities');
    assert.equal(appSettings.get('BOT_ID'), `${identity.symbol}.properties.clientId`);
    assert.equal(appSettings.get('BOT_TENANT_ID'), `${identity.symbol}.properties.tenantId`);
    assert.equal(appSettings.get('COSMOS_MANAGED_IDENTITY_CLIENT_ID'), `${identity.symbol}.properties.clientId`);
    const webApp = bicep.one('Microsoft.Web/sites');
    assert.match(prop(webApp.body, 'identity', 'type')!, /'UserAssigned'/);
    assert.match(prop(webApp.body, 'identity', 'userAssignedIdentities')!, new RegExp(`${identity.symbol}\\.id`));
    const bot = bicep.one('Microsoft.BotService/botServices');
    assert.equal(prop(bot.body, 'properties', 'msaAppType'), "'UserAssignedMSI'");
    assert.equal(prop(bot.body, 'properties', 'msaAppId'), `${identity.symbol}.properties.clientId`);
    assert.equal(prop(bot.body, 'properties', 'msaAppMSIResourceId'), `${identity.symbol}.id`);
    assert.equal(prop(bot.body, 'properties', 'msaAppTenantId'), `${identity.symbol}.properties.tenantId`);
    assert.match(prop(bot.body, 'properties', 'endpoint')!, /^'https:\/\/\$\{webApp\.properties\.defaultHostName\}\/api\/messages'$/);
    bicep.one('Microsoft.BotService/botServices/channels', 'MsTeamsChannel');
  });

  it('enables the Direct Line channel (3.0 only, enhanced authentication, the service\'s origin trusted) and gives the service its secret', () => {
    const bot = bicep.one('Microsoft.BotService/botServices');
    const channel = bicep.one('Microsoft.BotService/botServices/channels', 'DirectLineChannel');
    assert.equal(prop(channel.body, 'parent'), bot.symbol);
    assert.equal(prop(channel.body, 'properties', 'channelName'), "'DirectLineChannel'");
    assert.match(channel.body, /isV3Enabled: true/);
    assert.match(channel.body, /isV1Enabled: false/);
    assert.match(channel.body, /isSecureSiteEnabled: true/);
    assert.match(channel.body, /'https:\/\/\$\{webApp\.properties\.defaultHostName\}'/);
    assert.equal(appSettings.get('DIRECT_LINE_SECRET'), `${channel.symbol}.listChannelWithKeys().properties.properties.sites[0].key`);
    assert.ok(SETTINGS_REFERENCE.some((s) => s.name === 'DIRECT_LINE_SECRET'));
  });

  it('runs Node 24 LTS over HTTPS only, always on, with the health check the service answers', () => {
    const webApp = bicep.one('Microsoft.Web/sites');
    assert.equal(prop(webApp.body, 'properties', 'httpsOnly'), 'true');
    assert.equal(prop(webApp.body, 'properties', 'siteConfig', 'linuxFxVersion'), "'NODE|24-lts'");
    // The runtime App Service runs is the one the project declares and CI tests on.
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; devDependencies: Record<string, string> };
    assert.equal(pkg.engines.node, '>=24 <25');
    assert.match(pkg.devDependencies['@types/node'] ?? '', /^24\./);
    assert.match(read('scripts/use-node.sh'), /RATEPAYER_NODE_VERSION:-24\./);
    assert.match(read('.ci/run'), /scripts\/use-node\.sh/);
    assert.equal(prop(webApp.body, 'properties', 'siteConfig', 'alwaysOn'), 'true');
    assert.equal(prop(webApp.body, 'properties', 'siteConfig', 'healthCheckPath'), "'/health'");
    assert.match(read('bot/platform/http/server.ts'), /get\('\/health'/);
    // The start command runs the compiled entry point that scripts/build-service.ts produces.
    assert.equal(prop(webApp.body, 'properties', 'siteConfig', 'appCommandLine'), "'node bot/main.js'");
    assert.ok(existsSync(path.join(root, 'bot/main.ts')));
    const plan = bicep.one('Microsoft.Web/serverfarms');
    assert.equal(prop(plan.body, 'properties', 'reserved'), 'true', 'a Linux plan');
  });

  it('points SERVICE_DEFINITION at a definition that ships', () => {
    assert.equal(appSettings.get('SERVICE_DEFINITION'), 'serviceDefinition');
    const fallback = bicep.params.get('serviceDefinition')?.default?.replace(/^'|'$/g, '');
    assert.ok(fallback && existsSync(path.join(root, fallback)), `the default ${fallback} exists`);
    const dev = parseEnvFile(read('env/.env.dev'));
    assert.ok(dev.SERVICE_DEFINITION && existsSync(path.join(root, dev.SERVICE_DEFINITION)), `env/.env.dev SERVICE_DEFINITION ${dev.SERVICE_DEFINITION} exists`);
  });

  it('keeps personal data in South Africa North by default (POPIA s72)', () => {
    assert.equal(bicep.params.get('location')?.default, "'southafricanorth'");
    assert.equal(parseEnvFile(read('env/.env.dev')).AZURE_LOCATION, 'southafricanorth');
  });

  it('gives the identity the Cosmos DB Built-in Data Contributor role and turns account keys off', () => {
    const account = bicep.one('Microsoft.DocumentDB/databaseAccounts');
    assert.equal(prop(account.body, 'properties', 'disableLocalAuth'), 'true');
    const role = bicep.one('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments');
    assert.equal(bicep.vars.get('cosmosDataContributorRoleId'), "'00000000-0000-0000-0000-000000000002'");
    assert.match(prop(role.body, 'properties', 'roleDefinitionId')!, /sqlRoleDefinitions\/\$\{cosmosDataContributorRoleId\}/);
    assert.equal(prop(role.body, 'properties', 'principalId'), 'identity.properties.principalId');
    assert.equal(appSettings.get('COSMOS_ENDPOINT'), `${account.symbol}.properties.documentEndpoint`);
    bicep.one('Microsoft.Insights/components');
    assert.equal(appSettings.get('APPLICATIONINSIGHTS_CONNECTION_STRING'), 'appInsights.properties.ConnectionString');
  });
});

describe('Azure AI Translator: infra/azure.bicep and the TRANSLATOR_* settings (issue 16)', () => {
  it('creates a Text Translation resource with Entra ID only, at its custom subdomain, in the deployment\'s region by default', () => {
    const translator = bicep.one('Microsoft.CognitiveServices/accounts');
    assert.equal(prop(translator.body, 'kind'), "'TextTranslation'");
    assert.equal(prop(translator.body, 'location'), 'translatorLocation');
    assert.equal(bicep.params.get('translatorLocation')?.default, 'location', 'the same region as the rest (southafricanorth) unless a deployment says otherwise');
    assert.equal(prop(translator.body, 'properties', 'disableLocalAuth'), 'true', 'no keys');
    assert.equal(prop(translator.body, 'properties', 'customSubDomainName'), 'translatorName', 'Entra ID needs the custom subdomain endpoint');
    assert.match(prop(translator.body, 'sku', 'name')!, /^translatorSku$/);
  });

  it('gives the managed identity the Cognitive Services User role on it, and points the service at its custom subdomain with that identity', () => {
    const translator = bicep.one('Microsoft.CognitiveServices/accounts');
    const role = bicep.one('Microsoft.Authorization/roleAssignments');
    assert.equal(prop(role.body, 'scope'), translator.symbol);
    assert.equal(bicep.vars.get('cognitiveServicesUserRoleId'), "'a97b65f3-24c7-4388-baec-2e87135dc908'");
    assert.match(prop(role.body, 'properties', 'roleDefinitionId')!, /roleDefinitions', cognitiveServicesUserRoleId\)$/);
    assert.equal(prop(role.body, 'properties', 'principalId'), 'identity.properties.principalId');
    assert.equal(appSettings.get('TRANSLATOR_ENDPOINT'), `'https://\${${translator.symbol}.properties.customSubDomainName}.cognitiveservices.azure.com/translator/text/v3.0'`);
    const identity = bicep.one('Microsoft.ManagedIdentity/userAssignedIdentities');
    assert.equal(appSettings.get('TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID'), `${identity.symbol}.properties.clientId`);
    assert.ok(!appSettings.has('TRANSLATOR_REGION'), 'no region: that goes with a key');
  });

  it('the app settings it gives are settings the service accepts in Azure mode', async () => {
    const { loadSettings } = await import('../../bot/platform/config/settings.js');
    const settings = loadSettings({
      ...AZURE_SETTINGS,
      TRANSLATOR_ENDPOINT: 'https://rpdesk-translator.cognitiveservices.azure.com/translator/text/v3.0',
      TRANSLATOR_MANAGED_IDENTITY_CLIENT_ID: '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c',
    });
    assert.deepEqual(settings.translator?.auth, { kind: 'identity', managedIdentityClientId: '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c' });
    assert.equal(parseEnvFile(read('env/.env.dev')).TRANSLATOR_LOCATION, 'southafricanorth');
  });
});

describe('Email receipts: infra/azure.bicep and the ACS_EMAIL_* settings (issue 19)', () => {
  /** A resource declared with a condition (`= if (…) {`), which the reader above leaves out: its type, condition and body. */
  const conditional = (symbol: string): { type: string; condition: string; body: string } => {
    const m = new RegExp(`^resource\\s+${symbol}\\s+'([^'@]+)@[^']+'\\s*=\\s*if\\s*\\((.+?)\\)\\s*\\{`, 'm').exec(bicep.text);
    assert.ok(m, `infra/azure.bicep declares ${symbol} with a condition`);
    return { type: m[1]!, condition: m[2]!, body: block(bicep.text, m.index + m[0].length - 1) };
  };

  it('creates an Email service with an Azure-managed domain, tracking off, linked to the Communication Services resource, all in Africa, when emailReceipts is on', () => {
    assert.equal(bicep.params.get('enableEmailReceipts')?.default, "'false'", 'off unless a deployment turns it on');
    assert.equal(bicep.vars.get('emailReceipts'), "enableEmailReceipts == 'true'");
    const email = conditional('emailService');
    const domain = conditional('emailDomain');
    const acs = conditional('acs');
    assert.equal(email.type, 'Microsoft.Communication/emailServices');
    assert.equal(domain.type, 'Microsoft.Communication/emailServices/domains');
    assert.equal(email.condition, 'emailReceipts');
    assert.equal(domain.condition, 'emailReceipts');
    assert.equal(prop(domain.body, 'parent'), 'emailService');
    assert.equal(prop(domain.body, 'properties', 'domainManagement'), "'AzureManaged'");
    assert.equal(prop(domain.body, 'properties', 'userEngagementTracking'), "'Disabled'", 'no open or click tracking (POPIA)');
    assert.equal(prop(email.body, 'properties', 'dataLocation'), prop(acs.body, 'properties', 'dataLocation'), 'ACS links only a domain of its own data location');
    assert.equal(prop(acs.body, 'properties', 'dataLocation'), "'Africa'");
    assert.match(prop(acs.body, 'properties', 'linkedDomains')!, /^emailReceipts \? \[\s*emailDomain\.id\s*\] : \[\]$/);
    assert.match(acs.condition, /emailReceipts|acsResourceOn/);
    assert.equal(bicep.vars.get('acsResourceOn'), 'acsOn || emailReceipts');
  });

  it('points the service at that resource and sender with the managed identity, which has its role there; no key in app settings', () => {
    assert.equal(appSettings.get('ACS_EMAIL_ENDPOINT'), "emailReceipts ? 'https://${acs.properties.hostName}' : ''");
    assert.equal(appSettings.get('ACS_EMAIL_SENDER'), "emailReceipts ? 'DoNotReply@${emailDomain.properties.mailFromSenderDomain}' : ''");
    const identity = bicep.one('Microsoft.ManagedIdentity/userAssignedIdentities');
    assert.equal(appSettings.get('ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID'), `emailReceipts ? ${identity.symbol}.properties.clientId : ''`);
    assert.ok(!appSettings.has('ACS_EMAIL_KEY'), 'no access key: the managed identity');
    const role = conditional('acsRole');
    assert.equal(role.condition, 'acsResourceOn', 'the role also when only email is on');
    assert.equal(prop(role.body, 'scope'), 'acs');
    assert.equal(prop(role.body, 'properties', 'principalId'), `${identity.symbol}.properties.principalId`);
  });

  it('the app settings it gives are settings the service accepts in Azure mode', async () => {
    const { loadSettings } = await import('../../bot/platform/config/settings.js');
    const settings = loadSettings({
      ...AZURE_SETTINGS,
      ACS_EMAIL_ENDPOINT: 'https://rpdesk-acs.africa.communication.azure.com',
      ACS_EMAIL_SENDER: 'DoNotReply@0a1b2c3d-1111-2222-3333-444455556666.azurecomm.net',
      ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID: '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c',
    });
    assert.deepEqual(settings.email?.auth, { kind: 'identity', managedIdentityClientId: '6f3c2a1e-8b4d-4c2e-9a7f-1d2e3f4a5b6c' });
    // With email off, the conditional settings are empty strings: no email, and no complaint.
    const off = loadSettings({ ACS_EMAIL_ENDPOINT: '', ACS_EMAIL_SENDER: '', ACS_EMAIL_MANAGED_IDENTITY_CLIENT_ID: '' });
    assert.equal(off.email, undefined);
  });
});

describe('Cosmos DB containers: infra/azure.bicep and CONTAINER_DEFINITIONS', () => {
  const generated = JSON.parse(read('infra/cosmos-containers.json')) as ReturnType<typeof armContainers>;

  it('creates every container of infra/cosmos-containers.json, as it is', () => {
    assert.equal(bicep.vars.get('cosmosContainers'), "loadJsonContent('cosmos-containers.json')");
    const containers = bicep.one('Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers');
    assert.match(bicep.text, /resource cosmosContainerResources '[^']+' = \[for container in cosmosContainers: \{/);
    assert.equal(prop(containers.body, 'name'), 'container.id');
    assert.equal(prop(containers.body, 'properties', 'resource'), 'container');
    assert.equal(prop(containers.body, 'parent'), bicep.one('Microsoft.DocumentDB/databaseAccounts/sqlDatabases').symbol);
  });

  it('infra/cosmos-containers.json matches CONTAINER_DEFINITIONS (else: npm run infra:containers)', () => {
    assert.deepEqual(generated, armContainers(), 'infra/cosmos-containers.json is out of date with CONTAINER_DEFINITIONS: run npm run infra:containers and commit infra/cosmos-containers.json with the change');
  });

  it('has each container the service creates, with its partition key, indexing policy and TTL', () => {
    const definitions = Object.values(CONTAINER_DEFINITIONS) as { id: string; partitionKey: { paths: string[] }; indexingPolicy?: unknown; defaultTtl?: number }[];
    assert.deepEqual(generated.map((c) => c.id).sort(), definitions.map((d) => d.id).sort());
    for (const definition of definitions) {
      const container = generated.find((c) => c.id === definition.id)!;
      assert.deepEqual(container.partitionKey.paths, definition.partitionKey.paths, `${definition.id}: partition key`);
      assert.equal(container.partitionKey.kind, 'Hash');
      assert.deepEqual(container.indexingPolicy, definition.indexingPolicy, `${definition.id}: indexing policy`);
      assert.equal(container.defaultTtl, definition.defaultTtl, `${definition.id}: TTL`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// teamsapp.yml, the env files and every file with ${{...}} placeholders.

interface Step {
  uses: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}

const lifecycle = parseYaml(read('teamsapp.yml')) as { version: string; environmentFolderPath: string; provision: Step[]; deploy: Step[]; publish: Step[] };

/** Teams Toolkit's own variables: set by the tool, or asked for when empty. */
const BUILT_IN = new Set(['TEAMSFX_ENV', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME', 'RESOURCE_SUFFIX']);

/** The files a step reads whose placeholders Teams Toolkit fills. */
function filesOf(step: Step): string[] {
  const w = step.with ?? {};
  const files: string[] = [];
  if (typeof w.manifestPath === 'string') files.push(w.manifestPath);
  for (const template of (w.templates as { path: string; parameters?: string }[] | undefined) ?? []) {
    files.push(template.path);
    if (template.parameters) files.push(template.parameters);
  }
  return files.map((f) => path.normalize(f));
}

/** What a step writes to the env file. */
function outputsOf(step: Step): string[] {
  const outputs = Object.values(step.writeToEnvironmentFile ?? {});
  if (step.uses === 'arm/deploy') {
    for (const template of (step.with?.templates as { path: string }[]) ?? []) {
      assert.equal(path.normalize(template.path), path.normalize('infra/azure.bicep'));
      outputs.push(...[...bicep.outputs.keys()].map((k) => k.toUpperCase()));
    }
  }
  // aadApp/update generates the scope id when its manifest uses it and it is empty.
  if (step.uses === 'aadApp/update') outputs.push('AAD_APP_ACCESS_AS_USER_PERMISSION_ID');
  return outputs;
}

/**
 * Documented Teams Toolkit actions this file may use, with the `with` parameters and the
 * `writeToEnvironmentFile` keys each requires (yaml schema v1.x).
 */
const ACTIONS: Record<string, { with: string[]; writes?: string[] }> = {
  'teamsApp/create': { with: ['name'], writes: ['teamsAppId'] },
  'teamsApp/update': { with: ['appPackagePath'] },
  'teamsApp/validateManifest': { with: ['manifestPath'] },
  'teamsApp/validateAppPackage': { with: ['appPackagePath'] },
  'teamsApp/zipAppPackage': { with: ['manifestPath', 'outputZipPath', 'outputFolder'] },
  'teamsApp/publishAppPackage': { with: ['appPackagePath'], writes: ['publishedAppId'] },
  'aadApp/create': { with: ['name', 'generateClientSecret', 'signInAudience'], writes: ['clientId', 'objectId'] },
  'aadApp/update': { with: ['manifestPath', 'outputFilePath'] },
  'arm/deploy': { with: ['subscriptionId', 'resourceGroupName', 'templates'] },
  'cli/runNpmCommand': { with: ['args'] },
  'azureAppService/zipDeploy': { with: ['artifactFolder', 'resourceId'] },
};

describe('teamsapp.yml', () => {
  it('has the provision, deploy and publish stages with the expected actions', () => {
    assert.match(lifecycle.version, /^v1\.\d+$/);
    assert.equal(lifecycle.environmentFolderPath, './env');
    const uses = (stage: Step[]) => stage.map((s) => s.uses);
    for (const step of [...lifecycle.provision, ...lifecycle.deploy, ...lifecycle.publish]) {
      const action = ACTIONS[step.uses];
      assert.ok(action, `unknown action ${step.uses}`);
      for (const key of action.with) assert.ok(step.with?.[key] !== undefined, `${step.uses} needs with.${key}`);
      for (const key of action.writes ?? []) assert.ok(step.writeToEnvironmentFile?.[key], `${step.uses} needs writeToEnvironmentFile.${key}`);
    }
    assert.deepEqual(uses(lifecycle.provision), [
      'teamsApp/create',
      'aadApp/create',
      'arm/deploy',
      'aadApp/update',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    assert.ok(uses(lifecycle.deploy).includes('azureAppService/zipDeploy'));
    assert.ok(uses(lifecycle.publish).includes('teamsApp/publishAppPackage'));
    const aadCreate = lifecycle.provision.find((s) => s.uses === 'aadApp/create')!;
    assert.equal(aadCreate.with?.generateClientSecret, false, 'the tab SSO needs no client secret');
  });

  it('pins a current Bicep compiler (v0.47.16 or later), and docs/deploy.md names the same one', () => {
    const armDeploy = lifecycle.provision.find((s) => s.uses === 'arm/deploy')!;
    const pinned = String(armDeploy.with?.bicepCliVersion ?? '');
    // The toolkit compares `bicep --version` with this as "v<major>.<minor>.<patch>" and downloads that release tag.
    const parts = /^v(\d+)\.(\d+)\.(\d+)$/.exec(pinned);
    assert.ok(parts, `bicepCliVersion "${pinned}" is a release tag such as v0.47.16`);
    const [major, minor, patch] = parts.slice(1).map(Number) as [number, number, number];
    assert.ok(major > 0 || minor > 47 || (minor === 47 && patch >= 16), `bicepCliVersion ${pinned} is older than v0.47.16 (the 2022 compiler was v0.9.1)`);
    assert.ok(read('docs/deploy.md').includes(`\`bicepCliVersion: ${pinned}\``), `docs/deploy.md names bicepCliVersion: ${pinned}`);
  });

  it('refers to files that exist, and deploys the folder scripts/build-service.ts builds', () => {
    for (const step of [...lifecycle.provision, ...lifecycle.publish])
      for (const file of filesOf(step)) assert.ok(existsSync(path.join(root, file)), `${step.uses}: ${file} exists`);
    const zipDeploy = lifecycle.deploy.find((s) => s.uses === 'azureAppService/zipDeploy')!;
    assert.equal(zipDeploy.with?.artifactFolder, './dist/service');
    assert.match(read('scripts/build-service.ts'), /'dist\/service'/);
    const npmSteps = lifecycle.deploy.filter((s) => s.uses === 'cli/runNpmCommand').map((s) => s.with?.args);
    assert.deepEqual(npmSteps, ['ci', 'run build:service', 'ci --omit=dev --ignore-scripts']);
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    assert.ok(pkg.scripts['build:service'], 'package.json has the build:service script');
  });

  for (const env of ['dev']) {
    it(`defines every \${{...}} before it is used, from env/.env.${env} or an earlier step (${env})`, () => {
      const envValues = parseEnvFile(read(`env/.env.${env}`));
      // Secrets (SECRET_…) come from env/.env.<env>.user, which git ignores: defined when
      // docs/deploy.md tells the deployer to put them there.
      const secrets = [...read('docs/deploy.md').matchAll(/`(SECRET_[A-Z0-9_]+)=/g)].map((m) => m[1]!);
      const defined = new Set([...BUILT_IN, ...secrets, ...Object.entries(envValues).filter(([, v]) => v !== '').map(([k]) => k)]);
      const problems: string[] = [];
      const stages: [string, Step[]][] = [
        ['provision', lifecycle.provision],
        ['deploy', lifecycle.deploy],
        ['publish', lifecycle.publish],
      ];
      let usedSomewhere = 0;
      for (const [stage, steps] of stages) {
        steps.forEach((step, index) => {
          // aadApp/update generates the scope id for the manifest it applies.
          if (step.uses === 'aadApp/update') defined.add('AAD_APP_ACCESS_AS_USER_PERMISSION_ID');
          const sources: [string, string][] = [[`teamsapp.yml ${stage} step ${index + 1} (${step.uses})`, JSON.stringify(step.with ?? {})]];
          for (const file of filesOf(step)) sources.push([file, read(file)]);
          for (const [where, text] of sources)
            for (const name of placeholders(text)) {
              usedSomewhere++;
              if (!defined.has(name))
                problems.push(`${where} uses \${{${name}}}, which neither env/.env.${env} nor an earlier step defines`);
            }
          for (const output of outputsOf(step)) defined.add(output);
        });
      }
      assert.deepEqual(problems, []);
      assert.ok(usedSomewhere > 20, 'the placeholders were found');
    });
  }

  it('lists in the env files every variable provision writes, as Teams Toolkit templates do', () => {
    const dev = parseEnvFile(read('env/.env.dev'));
    const written = lifecycle.provision.flatMap(outputsOf);
    const unlisted = written.filter((name) => !(name in dev));
    assert.deepEqual(unlisted, [], `add to env/.env.dev (empty): ${unlisted.join(', ')}`);
  });

  it('env/.env.local names every variable the Teams manifest needs, for a hand-made local package', () => {
    const local = parseEnvFile(read('env/.env.local'));
    const missing = placeholders(read('appPackage/manifest.json')).filter((name) => !(name in local));
    assert.deepEqual(missing, []);
  });

  it('passes only declared parameters to the Bicep, and every parameter without a default', () => {
    const parameters = JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, unknown> };
    const given = Object.keys(parameters.parameters);
    for (const name of given) assert.ok(bicep.params.has(name), `infra/azure.parameters.json passes ${name}, which infra/azure.bicep does not declare`);
    for (const [name, param] of bicep.params)
      if (param.default === undefined) assert.ok(given.includes(name), `infra/azure.bicep parameter ${name} has no default and no value in infra/azure.parameters.json`);
  });

  it('passes every optional feature through the toolkit: the WhatsApp secret from a SECRET_ variable, the rest from env/.env.dev (tester 10, finding 13)', () => {
    const parameters = (JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, { value: unknown }> }).parameters;
    const dev = parseEnvFile(read('env/.env.dev'));
    const optional = { whatsappChannelId: 'WHATSAPP_CHANNEL_ID', smsFrom: 'SMS_FROM', enableEventSubscription: 'CREATE_EVENT_SUBSCRIPTION', enableEmailReceipts: 'EMAIL_RECEIPTS' } as const;
    for (const [param, variable] of Object.entries(optional)) {
      assert.ok(bicep.params.has(param), `infra/azure.bicep declares ${param}`);
      assert.equal(parameters[param]?.value, `\${{${variable}}}`, `infra/azure.parameters.json passes ${param} from ${variable}`);
      assert.ok(dev[variable], `env/.env.dev gives ${variable} a value (the toolkit needs one; 'off' or 'false' is off)`);
    }
    assert.equal(dev.WHATSAPP_CHANNEL_ID, 'off');
    assert.equal(dev.CREATE_EVENT_SUBSCRIPTION, 'false');
    assert.equal(dev.EMAIL_RECEIPTS, 'false');
    // A secure parameter is given only from a SECRET_ variable, which lives in the ignored .user file.
    for (const m of bicep.text.matchAll(/@secure\(\)[^\n]*\n(?:@[^\n]*\n)*param\s+(\w+)/g)) {
      const given = parameters[m[1]!]?.value;
      assert.match(String(given), /^\$\{\{SECRET_[A-Z0-9_]+\}\}$/, `the secure parameter ${m[1]} comes from a SECRET_ variable`);
      assert.ok(!(String(given).slice(3, -2) in dev), 'and is not in the committed env/.env.dev');
    }
    assert.match(read('docs/deploy.md'), /`SECRET_WHATSAPP_EVENTS_SECRET=/, 'docs/deploy.md says where the secret goes');
  });

  it('has no committed secrets in the env files', () => {
    for (const file of ['env/.env.dev', 'env/.env.local']) {
      const values = parseEnvFile(read(file));
      for (const [key, value] of Object.entries(values))
        if (/SECRET|PASSWORD|KEY$/.test(key)) assert.equal(value, '', `${file}: ${key} must stay empty (secrets go in .env.*.user)`);
    }
    assert.match(read('env/.gitignore'), /^\.env\.\*\.user$/m);
  });
});
