/**
 * The Teams app package: `npm run package` builds a valid zip, and refuses a broken manifest
 * (schema violation, placeholder without a value, wrong icons) with a message naming the problem.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { buildAppPackage, PackageError, parseEnvFile, placeholders, pngSize, validateWithAgentsToolkit, withCommandLists } from '../../scripts/package.js';
import { decodePng } from './png.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { commandLists } from '../../bot/platform/teams/commandMenu.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const appPackage = path.join(root, 'appPackage');
const manifestTemplate = JSON.parse(readFileSync(path.join(appPackage, 'manifest.json'), 'utf8')) as Record<string, any>;

/** Values a provisioned "dev" environment would have. */
const PROVISIONED = {
  TEAMS_APP_ID: '0f4b6a43-1c55-4b8e-9a77-2f0d2c1f5e01',
  BOT_ID: '6a1d3c2e-8b7f-4e29-a1f0-3c9e5d7b2a10',
  AAD_APP_CLIENT_ID: 'c7e2a9d4-5f31-4b6c-8e0d-91a2b3c4d5e6',
  TAB_DOMAIN: 'rpdeskab12cd.azurewebsites.net',
  TAB_ENDPOINT: 'https://rpdeskab12cd.azurewebsites.net',
};

function expectRefusal(run: () => unknown, ...fragments: RegExp[]): PackageError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PackageError, `expected a PackageError, got ${String(error)}`);
    for (const fragment of fragments) assert.match(error.message, fragment);
    return error;
  }
  assert.fail('the package was built, but it should have been refused');
}

describe('Teams app package (npm run package)', () => {
  let work: string;
  let pkgDir: string;
  let envDir: string;

  beforeEach(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'app-package-'));
    pkgDir = path.join(work, 'appPackage');
    envDir = path.join(work, 'env');
    cpSync(appPackage, pkgDir, { recursive: true, filter: (source) => !source.includes(`${path.sep}build`) });
    cpSync(path.join(root, 'env'), envDir, { recursive: true });
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  // The Agents Toolkit's check takes about 2 s a run: the tests about it ask for it.
  const build = (overrides: Record<string, string | undefined> = PROVISIONED, env = 'dev', agentsToolkit = false) =>
    buildAppPackage({ env, appPackageDir: pkgDir, envDir, outDir: path.join(work, 'out'), overrides, agentsToolkit });

  it('builds appPackage.<env>.zip with the filled, schema-valid manifest and both icons', () => {
    const result = build();
    assert.equal(path.basename(result.zipPath), 'appPackage.dev.zip');
    const files = unzipSync(new Uint8Array(readFileSync(result.zipPath)));
    assert.deepEqual(Object.keys(files).sort(), ['color.png', 'manifest.json', 'outline.png']);
    const text = new TextDecoder().decode(files['manifest.json']);
    assert.doesNotMatch(text, /\$\{\{/);
    const manifest = JSON.parse(text);
    assert.equal(manifest.id, PROVISIONED.TEAMS_APP_ID);
    assert.equal(manifest.bots[0].botId, PROVISIONED.BOT_ID);
    assert.equal(manifest.webApplicationInfo.resource, `api://${PROVISIONED.TAB_DOMAIN}/botid-${PROVISIONED.BOT_ID}`);
    assert.equal(manifest.webApplicationInfo.id, PROVISIONED.AAD_APP_CLIENT_ID);
    assert.deepEqual(manifest.validDomains, [PROVISIONED.TAB_DOMAIN]);
    // Values from env/.env.dev.
    assert.equal(manifest.version, parseEnvFile(readFileSync(path.join(root, 'env/.env.dev'), 'utf8')).APP_VERSION);
  });

  it('takes values from env/.env.<env>.user too (where Teams Toolkit keeps secrets)', () => {
    const { BOT_ID, ...rest } = PROVISIONED;
    writeFileSync(path.join(envDir, '.env.dev.user'), `BOT_ID=${BOT_ID}\n`);
    assert.equal((build(rest).manifest.bots as { botId: string }[])[0]!.botId, BOT_ID);
  });

  it('reads env files by the toolkit\'s rules: inline comments, export, quotes and CRLF', () => {
    const text = [
      '# a comment line',
      'APP_DISPLAY_NAME=Ratepayer Desk # pilot',
      'export BOT_ID=6a1d3c2e-8b7f-4e29-a1f0-3c9e5d7b2a10',
      'APP_DEVELOPER_NAME="City of Johannesburg # Revenue"',
      "APP_WEBSITE_URL='https://www.joburg.org.za'",
      '  APP_VERSION = 1.0.3  ',
      'EMPTY=',
      'not a setting',
      '',
    ];
    for (const eol of ['\n', '\r\n']) {
      assert.deepEqual(
        parseEnvFile(text.join(eol)),
        {
          APP_DISPLAY_NAME: 'Ratepayer Desk',
          BOT_ID: '6a1d3c2e-8b7f-4e29-a1f0-3c9e5d7b2a10',
          APP_DEVELOPER_NAME: 'City of Johannesburg # Revenue',
          APP_WEBSITE_URL: 'https://www.joburg.org.za',
          APP_VERSION: '1.0.3',
          EMPTY: '',
        },
        `line ends ${JSON.stringify(eol)}`,
      );
    }
    // And so in the package: the comment is not part of the app's name; the exported id is the bot's.
    const { BOT_ID: _fromFile, ...rest } = PROVISIONED;
    const dev = readFileSync(path.join(envDir, '.env.dev'), 'utf8').replace(/^APP_DISPLAY_NAME=.*$/m, '');
    writeFileSync(path.join(envDir, '.env.dev'), `${dev}\r\nAPP_DISPLAY_NAME=Ratepayer Desk # pilot\r\nexport BOT_ID=${PROVISIONED.BOT_ID}\r\n`);
    const manifest = build(rest).manifest as { name: { short: string }; bots: { botId: string }[] };
    assert.equal(manifest.name.short, 'Ratepayer Desk');
    assert.equal(manifest.bots[0]!.botId, PROVISIONED.BOT_ID);
  });

  it('refuses a placeholder without a value, naming it and the env file', () => {
    const { BOT_ID: _dropped, TAB_DOMAIN: _also, ...rest } = PROVISIONED;
    const error = expectRefusal(() => build(rest), /\$\{\{BOT_ID\}\} but it has no value/, /\$\{\{TAB_DOMAIN\}\}/, /env\/\.env\.dev/);
    assert.equal(error.problems.length, 2);
  });

  it('refuses an environment without its env file', () => {
    expectRefusal(() => build(PROVISIONED, 'staging'), /no environment file .*\.env\.staging/);
  });

  it('refuses a manifest that breaks the Teams schema of its manifestVersion', () => {
    const broken = structuredClone(manifestTemplate);
    broken.accentColor = 'blue';
    // On the bot itself: the package writes the command lists afresh (bot/platform/teams/commandMenu.ts).
    broken.bots[0].shortcut = 'b';
    delete broken.developer;
    writeFileSync(path.join(pkgDir, 'manifest.json'), JSON.stringify(broken, null, 2));
    expectRefusal(
      () => build(),
      /Teams schema v1\.22/,
      /\/accentColor must match pattern/,
      /unknown property "shortcut"/,
      /must have required property 'developer'/,
    );
  });

  it('makes the command menu from the definition the environment names (SERVICE_DEFINITION), not from the manifest', () => {
    type Lists = { scopes: string[]; commands: { title: string; description: string }[] }[];
    const personal = (manifest: Record<string, unknown>) =>
      ((manifest.bots as { commandLists: Lists }[])[0]!.commandLists.find((l) => l.scopes.includes('personal'))!.commands);
    // The manifest's own copy is not what the package takes: an empty list there changes nothing.
    const emptied = structuredClone(manifestTemplate);
    emptied.bots[0].commandLists = [];
    writeFileSync(path.join(pkgDir, 'manifest.json'), JSON.stringify(emptied, null, 2));
    const pilotMenu = personal(build().manifest);
    assert.deepEqual(pilotMenu.slice(0, 5).map((c) => c.title), ['billing', 'credit-control', 'rates', 'metering', 'indigent']);
    assert.equal(pilotMenu[0]!.description, 'Account and billing queries', "a category's description is its name in the definition");
    const walkabouts = personal(build({ ...PROVISIONED, SERVICE_DEFINITION: 'bot/definitions/seven-to-eleven.json' }).manifest);
    const categories = loadDefinition(path.join(root, 'bot/definitions/seven-to-eleven.json')).categories.map((c) => c.code);
    assert.deepEqual(walkabouts.map((c) => c.title), [...categories, 'status', 'my cases', 'cancel', 'my data']);

    expectRefusal(() => build({ ...PROVISIONED, SERVICE_DEFINITION: 'bot/definitions/nowhere.json' }), /the command menu's definition: .*nowhere\.json.*\n.*cannot be read/);
    const dev = readFileSync(path.join(envDir, '.env.dev'), 'utf8').replace(/^SERVICE_DEFINITION=.*$/m, '');
    writeFileSync(path.join(envDir, '.env.dev'), dev);
    expectRefusal(() => build(), /SERVICE_DEFINITION has no value: set it in env\/\.env\.dev/);
  });

  it('refuses a manifest whose values break the schema once filled (e.g. a bot id that is not a GUID)', () => {
    expectRefusal(() => build({ ...PROVISIONED, BOT_ID: 'my-bot' }), /\/bots\/0\/botId must match pattern/);
  });

  it('refuses a manifestVersion it has no schema for, and a $schema of another version', () => {
    writeFileSync(path.join(pkgDir, 'manifest.json'), JSON.stringify({ ...manifestTemplate, manifestVersion: '0.9' }));
    expectRefusal(() => build(), /manifestVersion "0\.9" has no Teams schema/);
    writeFileSync(path.join(pkgDir, 'manifest.json'), JSON.stringify({ ...manifestTemplate, manifestVersion: '1.21' }));
    expectRefusal(() => build(), /\$schema .* does not match manifestVersion 1\.21/);
  });

  it('has the package checked by the Agents Toolkit itself (atk validate, offline): ours passes', function () {
    this.timeout(60_000);
    const result = build(PROVISIONED, 'dev', true);
    assert.deepEqual(validateWithAgentsToolkit(result.manifestPath, 'dev'), []);
  });

  it('lists the Agents Toolkit\'s findings with the schema\'s, marked as its own, and builds nothing', function () {
    this.timeout(60_000);
    const broken = structuredClone(manifestTemplate);
    broken.staticTabs.push(structuredClone(broken.staticTabs[0]));
    writeFileSync(path.join(pkgDir, 'manifest.json'), JSON.stringify(broken, null, 2));
    const error = expectRefusal(() => build(PROVISIONED, 'dev', true), /Agents Toolkit: \/staticTabs must NOT have duplicate items/);
    assert.ok(error.problems.some((p) => p.startsWith('manifest.json (Teams schema v1.22)')), 'the schema check ran too');
    assert.equal(existsSync(path.join(work, 'out')), false, 'no zip, no filled manifest');
    // A manifest the toolkit cannot read at all is reported too, not taken for a pass.
    const unreadable = path.join(work, 'unreadable.json');
    writeFileSync(unreadable, '{ "manifestVersion": "1.22" ');
    assert.match(validateWithAgentsToolkit(unreadable, 'dev').join('\n'), /^Agents Toolkit: .+/);
  });

  it('refuses icons of the wrong size or format', () => {
    cpSync(path.join(pkgDir, 'color.png'), path.join(pkgDir, 'outline.png'));
    expectRefusal(() => build(), /icons\.outline: outline\.png is 192×192; Teams requires 32×32/);
    writeFileSync(path.join(pkgDir, 'color.png'), '<svg/>');
    expectRefusal(() => build(), /icons\.color: color\.png is not a PNG file/);
    rmSync(path.join(pkgDir, 'color.png'));
    expectRefusal(() => build(), /icons\.color: color\.png is not in/);
  });

  it('says so on the command line and exits 1', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/package.ts'), 'no-such-env'], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /The Teams app package was not built/);
    assert.match(run.stderr, /no environment file env\/\.env\.no-such-env/);
  });
});

describe('Teams app manifest content', () => {
  const pilot = JSON.parse(readFileSync(path.join(root, 'bot/definitions/joburg-region-b-pilot.json'), 'utf8')) as { categories: { code: string }[] };
  const bot = manifestTemplate.bots[0];
  const commands = (scope: string) =>
    (bot.commandLists as { scopes: string[]; commands: { title: string }[] }[]).find((l) => l.scopes.includes(scope))!.commands.map((c) => c.title);

  it('offers the bot in personal and team scopes with the command list', () => {
    assert.deepEqual(bot.scopes, ['personal', 'team']);
    // The categories come first, in the pilot's order; what each command does is tested against the
    // bot itself in tests/teams/manifestCommands.test.ts.
    assert.deepEqual(commands('personal').slice(0, pilot.categories.length), pilot.categories.map((c) => c.code));
    assert.ok(commands('team').includes('monitor'));
  });

  it('keeps in the manifest the command menu made from env/.env.dev\'s definition (npm run manifest:commands), which the toolkit packages as it is', () => {
    const dev = parseEnvFile(readFileSync(path.join(root, 'env/.env.dev'), 'utf8'));
    const lists = commandLists(loadDefinition(path.join(root, dev.SERVICE_DEFINITION!)));
    assert.deepEqual(bot.commandLists, lists, 'run npm run manifest:commands and commit appPackage/manifest.json');
    const text = readFileSync(path.join(appPackage, 'manifest.json'), 'utf8');
    assert.equal(withCommandLists(text, lists), text, 'writing the menu again changes nothing, layout included');
  });

  it('has the agents\' queue as a static tab and the supervisors\' view as a channel tab, both served under /tab', () => {
    const queue = manifestTemplate.staticTabs.find((t: { entityId: string }) => t.entityId === 'queue');
    assert.equal(queue.name, 'My queue');
    assert.deepEqual(queue.scopes, ['personal']);
    assert.match(queue.contentUrl, /^\$\{\{TAB_ENDPOINT\}\}\/tab\//);
    const [channelTab] = manifestTemplate.configurableTabs;
    assert.equal(channelTab.configurationUrl, '${{TAB_ENDPOINT}}/tab/config');
    assert.deepEqual(channelTab.scopes, ['team']);
  });

  it('declares SSO for the tab (webApplicationInfo) matching the Entra app\'s identifier URI', () => {
    const aad = JSON.parse(readFileSync(path.join(root, 'infra/entra/aad.manifest.json'), 'utf8'));
    assert.equal(manifestTemplate.webApplicationInfo.resource, 'api://${{TAB_DOMAIN}}/botid-${{BOT_ID}}');
    assert.deepEqual(aad.identifierUris, [manifestTemplate.webApplicationInfo.resource]);
    assert.equal(manifestTemplate.webApplicationInfo.id, aad.appId);
    assert.ok(manifestTemplate.validDomains.includes('${{TAB_DOMAIN}}'));
  });

  it('has an Entra app with access_as_user pre-authorised for Teams and the Agent and Supervisor app roles', () => {
    const aad = JSON.parse(readFileSync(path.join(root, 'infra/entra/aad.manifest.json'), 'utf8'));
    assert.equal(aad.accessTokenAcceptedVersion, 2);
    assert.equal(aad.signInAudience, 'AzureADMyOrg');
    const scope = aad.oauth2Permissions.find((p: { value: string }) => p.value === 'access_as_user');
    assert.ok(scope, 'access_as_user scope');
    const teamsClients = ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346'];
    for (const client of teamsClients) {
      const pre = aad.preAuthorizedApplications.find((a: { appId: string }) => a.appId === client);
      assert.deepEqual(pre?.permissionIds, [scope.id], `Teams client ${client} pre-authorised`);
    }
    const roles = aad.appRoles as { value: string; id: string; allowedMemberTypes: string[]; isEnabled: boolean }[];
    assert.deepEqual(roles.map((r) => r.value), ['Agent', 'Supervisor']);
    for (const role of roles) {
      assert.match(role.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.deepEqual(role.allowedMemberTypes, ['User']);
      assert.equal(role.isEnabled, true);
    }
    assert.notEqual(roles[0]!.id, roles[1]!.id);
    assert.ok(placeholders(JSON.stringify(aad)).includes('AAD_APP_OBJECT_ID'));
  });

  it('ships a full-colour 192×192 color icon and a white-on-transparent 32×32 outline icon', () => {
    const color = decodePng(readFileSync(path.join(appPackage, 'color.png')));
    assert.deepEqual([color.width, color.height], [192, 192]);
    const colours = new Set<string>();
    for (let i = 0; i < color.rgba.length; i += 4) {
      assert.equal(color.rgba[i + 3], 255, 'the color icon is opaque');
      colours.add(`${color.rgba[i]},${color.rgba[i + 1]},${color.rgba[i + 2]}`);
    }
    assert.ok(colours.size > 3, 'the color icon is in colour');

    const outline = decodePng(readFileSync(path.join(appPackage, 'outline.png')));
    assert.deepEqual(pngSize(readFileSync(path.join(appPackage, 'outline.png'))), { width: 32, height: 32 });
    let drawn = 0;
    for (let i = 0; i < outline.rgba.length; i += 4) {
      const alpha = outline.rgba[i + 3]!;
      if (alpha === 0) continue;
      drawn += 1;
      assert.deepEqual([...outline.rgba.subarray(i, i + 3)], [255, 255, 255], `pixel ${i / 4} of the outline icon is white`);
    }
    assert.ok(drawn > 100 && drawn < 32 * 32 * 0.8, `the outline icon draws something on a transparent ground (${drawn} pixels)`);
  });
});
