/**
 * `npm run package [-- <env>]`: builds appPackage/build/appPackage.<env>.zip, the Teams app
 * package, the way Teams Toolkit's zipAppPackage does, and refuses a package Teams would refuse.
 *
 * - `${{VAR}}` placeholders in appPackage/manifest.json are filled from env/.env.<env>, then
 *   env/.env.<env>.user, then the process environment (which wins). A placeholder without a value
 *   stops the build, naming the variable and where to set it.
 * - The bot's command menu (`bots[0].commandLists`) is made from the service definition the
 *   environment names (SERVICE_DEFINITION: its categories) and the bot's own commands
 *   (bot/platform/teams/commandMenu.ts), whatever the manifest holds. The manifest keeps a copy for
 *   env/.env.dev's definition only because the toolkit's own zipAppPackage (teamsapp.yml) reads the
 *   file as it is: `npm run manifest:commands` writes it (scripts/manifest-commands.ts), and
 *   `npm test` fails while it differs.
 * - The filled manifest is validated offline against the Teams JSON schema of its own
 *   manifestVersion (shipped by @microsoft/app-manifest), with the JSON-schema draft the schema
 *   declares.
 * - The filled manifest is then validated by the Microsoft 365 Agents Toolkit CLI itself
 *   (`atk validate --manifest-file`, the devDependency @microsoft/m365agentstoolkit-cli), offline:
 *   the toolkit's own copy of the schema and its typed manifest parser, the check `atk provision`
 *   and `atk publish` make before they upload. Its findings are listed with ours, marked
 *   "Agents Toolkit". (Validating a whole package against the Developer Portal's rules needs a
 *   Microsoft 365 sign-in, so it stays with provision/publish.)
 * - The icons are checked: PNG files, color 192×192, outline 32×32 (read from the IHDR chunk).
 * - The zip holds manifest.json and the two icons at its root.
 *
 * The environment comes from the argument, else TEAMSAPP_ENV, else TEAMSFX_ENV, else "dev".
 */
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { zipSync } from 'fflate';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { DefinitionError, loadDefinition } from '../bot/platform/config/definition.js';
import { commandLists, type CommandList } from '../bot/platform/teams/commandMenu.js';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Everything wrong with a package, one line per problem. */
export class PackageError extends Error {
  constructor(readonly problems: string[]) {
    super(`The Teams app package was not built:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackageError';
  }
}

export interface PackageOptions {
  /** Environment name: env/.env.<env> and appPackage.<env>.zip. */
  env: string;
  /** The app package folder (manifest.json and the icons). Default appPackage/. */
  appPackageDir?: string;
  /** Folder of the .env files. Default env/. */
  envDir?: string;
  /** Where the zip and the filled manifest go. Default <appPackageDir>/build. */
  outDir?: string;
  /** Variables that win over the env files (the process environment when run from the CLI). */
  overrides?: Record<string, string | undefined>;
  /** Also run the Agents Toolkit's `atk validate` on the filled manifest (about 2 s). Default true. */
  agentsToolkit?: boolean;
}

export interface PackageResult {
  zipPath: string;
  manifestPath: string;
  manifest: Record<string, unknown>;
}

/** Required icon sizes (Teams: color 192×192 full colour, outline 32×32 white on transparent). */
export const ICON_SIZES = { color: 192, outline: 32 } as const;

/** Placeholders as Teams Toolkit writes them: ${{NAME}}, spaces allowed inside the braces. */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The names of the placeholders in a text, in order of first appearance. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * Parses a .env file with Node's own dotenv rules (`util.parseEnv`, Node ≥ 21.7), which agree
 * with the Agents Toolkit's own reader (its DotenvUtil) on what the env files hold: `KEY=value`
 * lines, LF or CRLF; an unquoted value ends at `#` (the rest is a comment: quote a value that
 * contains one, as the toolkit does when it writes one); single, double and backtick quotes keep
 * what is inside them; an `export ` prefix is dropped; lines without `=` are ignored. (Node also
 * reads a quoted value over several lines, which the toolkit does not: do not write one.)
 * Our own parser used to keep inline comments in values and turn `export X=…` into a key named
 * "export X". Returns the variables by name (a later line wins).
 */
export function parseEnvFile(text: string): Record<string, string> {
  return { ...parseEnv(text) } as Record<string, string>;
}

/** The variables of an environment: env file, then its .user file, then the overrides. */
export function loadEnvironment(envDir: string, env: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const file of [`.env.${env}`, `.env.${env}.user`]) {
    const full = path.join(envDir, file);
    if (existsSync(full)) Object.assign(values, parseEnvFile(readFileSync(full, 'utf8')));
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined && value !== '') values[key] = value;
  return values;
}

/** Fills the placeholders; lists every one without a value (undefined or empty). */
export function fillPlaceholders(text: string, values: Record<string, string>, where: string): { text: string; missing: string[] } {
  const missing = placeholders(text).filter((name) => !values[name]);
  if (missing.length) return { text, missing: missing.map((name) => `${where} uses \${{${name}}} but it has no value`) };
  // JSON-escape the value: it lands inside a JSON string.
  return { text: text.replace(PLACEHOLDER, (_m, name: string) => JSON.stringify(values[name]).slice(1, -1)), missing: [] };
}

/** Width and height of a PNG, from its IHDR chunk; undefined when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const schemaCache = new Map<string, ValidateFunction>();

/** The validator of the Teams manifest schema for a manifestVersion, from @microsoft/app-manifest. */
export function manifestValidator(manifestVersion: string): ValidateFunction {
  const cached = schemaCache.get(manifestVersion);
  if (cached) return cached;
  const schemaPath = `@microsoft/app-manifest/build/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`;
  let schema: { $schema?: string };
  try {
    schema = require(schemaPath) as { $schema?: string };
  } catch {
    throw new PackageError([`manifestVersion "${manifestVersion}" has no Teams schema in @microsoft/app-manifest (it ships v1.5 to v1.29)`]);
  }
  const draft = schema.$schema ?? '';
  // The Teams schemas declare draft-04; later drafts go to Ajv's default (draft-07) class.
  const AjvClass = (draft.includes('draft-04') ? require('ajv-draft-04') : require('ajv')) as { default?: unknown } & (new (o: object) => { compile(s: object): ValidateFunction });
  const Ctor = ((AjvClass as { default?: unknown }).default ?? AjvClass) as new (o: object) => { compile(s: object): ValidateFunction };
  const ajv = new Ctor({ allErrors: true, strict: false });
  const addFormats = require('ajv-formats') as ((a: unknown) => void) & { default?: (a: unknown) => void };
  (addFormats.default ?? addFormats)(ajv);
  const validate = ajv.compile(schema);
  schemaCache.set(manifestVersion, validate);
  return validate;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  if (error.keyword === 'additionalProperties')
    return `${where}: unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  if (error.keyword === 'enum') return `${where} ${error.message}: ${(error.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`;
  return `${where} ${error.message}`;
}

/** Validates a filled manifest against the schema of its manifestVersion; returns the problems. */
export function validateManifest(manifest: Record<string, unknown>): string[] {
  const version = manifest.manifestVersion;
  if (typeof version !== 'string') return ['manifest.json has no manifestVersion'];
  const validate = manifestValidator(version);
  if (validate(manifest)) return [];
  // anyOf/oneOf failures repeat their branches' errors; keep each message once.
  return [...new Set((validate.errors ?? []).map((e) => `manifest.json (Teams schema v${version}) ${describe(e)}`))];
}

/** The Agents Toolkit CLI's entry script (`atk`), from the devDependency; undefined when not installed. */
export function agentsToolkitCli(): string | undefined {
  try {
    const pkgPath = require.resolve('@microsoft/m365agentstoolkit-cli/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { bin: Record<string, string> };
    return path.join(path.dirname(pkgPath), pkg.bin.atk!);
  } catch {
    return undefined;
  }
}

/**
 * Runs `atk validate --manifest-file <file> --env <env>` (offline; no telemetry, never interactive)
 * and returns its findings, one line each, marked "Agents Toolkit"; [] when it passes.
 * Its findings are the lines it prints as `(×) Error: …` (else its `(✖) Error: …` lines, else
 * the end of its output).
 */
export function validateWithAgentsToolkit(manifestFile: string, env: string): string[] {
  const cli = agentsToolkitCli();
  if (!cli) return ['Agents Toolkit: @microsoft/m365agentstoolkit-cli is not installed (npm install)'];
  const run = spawnSync(process.execPath, [cli, 'validate', '--manifest-file', manifestFile, '--env', env, '--telemetry', 'false', '--interactive', 'false'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    // No colours in what we parse (telemetry is off by the flag above).
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  if (run.error) return [`Agents Toolkit: atk validate could not run: ${run.error.message}`];
  if (run.status === 0) return [];
  const output = `${run.stdout}\n${run.stderr}`;
  // One "(×) Error:" line per finding, then a "(✖) Error:" summary; a manifest it cannot read at all gets only the latter.
  const findings = [...output.matchAll(/^\s*\(×\) Error: (.+)$/gm)].map((m) => `Agents Toolkit: ${m[1]!.trim()}`);
  if (findings.length) return findings;
  const fatal = [...output.matchAll(/^\s*\(✖\) Error: (.+)$/gm)].map((m) => `Agents Toolkit: ${m[1]!.trim()}`);
  if (fatal.length) return fatal;
  const last = output.split('\n').map((l) => l.trim()).filter(Boolean).slice(-3).join(' ');
  return [`Agents Toolkit: atk validate failed (exit ${String(run.status)}): ${last}`];
}

/**
 * The command menu for an environment's variables: made from the definition at SERVICE_DEFINITION
 * (a path from the repository's root, as the service reads it). Returns it, or the problems (no
 * SERVICE_DEFINITION, a definition that cannot be used).
 */
export function commandMenuOf(values: Record<string, string>, env: string): { lists: CommandList[] } | { problems: string[] } {
  const file = values.SERVICE_DEFINITION;
  if (!file) return { problems: [`SERVICE_DEFINITION has no value: set it in env/.env.${env} (the command menu lists the definition's categories)`] };
  try {
    return { lists: commandLists(loadDefinition(path.resolve(root, file))) };
  } catch (error) {
    if (error instanceof DefinitionError) return { problems: [`the command menu's definition: ${error.message}`] };
    throw error;
  }
}

/** Where the JSON value starting at `start` (an opening bracket or brace) ends, strings skipped. */
function endOfValue(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (ch === '[' || ch === '{') depth++;
    else if ((ch === ']' || ch === '}') && --depth === 0) return i + 1;
  }
  throw new Error('unbalanced brackets in manifest.json');
}

/**
 * The manifest's text with its `"commandLists"` replaced by `lists`, in the file's own layout (one
 * command a line); the rest of the text is kept as it is. Throws when the manifest has none.
 */
export function withCommandLists(text: string, lists: CommandList[]): string {
  const key = /^( *)"commandLists": /m.exec(text);
  if (!key) throw new Error('manifest.json has no "commandLists" under bots[0] to write the command menu into');
  const i = key[1]!;
  const start = key.index + key[0].length;
  const written = lists
    .map((l) =>
      [
        `${i}  {`,
        `${i}    "scopes": [${l.scopes.map((s) => JSON.stringify(s)).join(', ')}],`,
        `${i}    "commands": [`,
        l.commands.map((c) => `${i}      { "title": ${JSON.stringify(c.title)}, "description": ${JSON.stringify(c.description)} }`).join(',\n'),
        `${i}    ]`,
        `${i}  }`,
      ].join('\n'),
    )
    .join(',\n');
  return `${text.slice(0, start)}[\n${written}\n${i}]${text.slice(endOfValue(text, start))}`;
}

/** Checks the icons the manifest names: present, PNG, the required size. */
export function checkIcons(manifest: Record<string, unknown>, appPackageDir: string): { problems: string[]; files: Record<string, Uint8Array> } {
  const problems: string[] = [];
  const files: Record<string, Uint8Array> = {};
  const icons = (manifest.icons ?? {}) as Record<string, unknown>;
  for (const [kind, size] of Object.entries(ICON_SIZES)) {
    const name = icons[kind];
    if (typeof name !== 'string') {
      problems.push(`manifest.json icons.${kind} is missing`);
      continue;
    }
    const full = path.join(appPackageDir, name);
    if (!existsSync(full)) {
      problems.push(`icons.${kind}: ${name} is not in ${appPackageDir}`);
      continue;
    }
    const bytes = readFileSync(full);
    const found = pngSize(bytes);
    if (!found) problems.push(`icons.${kind}: ${name} is not a PNG file`);
    else if (found.width !== size || found.height !== size)
      problems.push(`icons.${kind}: ${name} is ${found.width}×${found.height}; Teams requires ${size}×${size}`);
    else files[name] = new Uint8Array(bytes);
  }
  return { problems, files };
}

/** Builds and validates the package; throws PackageError listing every problem found. */
export function buildAppPackage(options: PackageOptions): PackageResult {
  const appPackageDir = path.resolve(options.appPackageDir ?? path.join(root, 'appPackage'));
  const envDir = path.resolve(options.envDir ?? path.join(root, 'env'));
  const outDir = path.resolve(options.outDir ?? path.join(appPackageDir, 'build'));
  const envFile = path.join(envDir, `.env.${options.env}`);
  const problems: string[] = [];
  if (!existsSync(envFile)) problems.push(`no environment file ${path.relative(root, envFile) || envFile}: create it, or name another environment`);

  const values = loadEnvironment(envDir, options.env, options.overrides ?? {});
  const template = readFileSync(path.join(appPackageDir, 'manifest.json'), 'utf8');
  const filled = fillPlaceholders(template, values, 'manifest.json');
  if (filled.missing.length) {
    problems.push(...filled.missing.map((m) => `${m}: set it in env/.env.${options.env} (or provision the environment, which writes it)`));
    throw new PackageError(problems);
  }

  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(filled.text) as Record<string, unknown>;
  } catch (error) {
    throw new PackageError([...problems, `manifest.json is not valid JSON once filled: ${(error as Error).message}`]);
  }
  // The $schema URL must name the same version the manifest declares.
  const schemaUrl = typeof manifest.$schema === 'string' ? manifest.$schema : '';
  if (schemaUrl && typeof manifest.manifestVersion === 'string' && !schemaUrl.includes(`/v${manifest.manifestVersion}/`))
    problems.push(`manifest.json $schema (${schemaUrl}) does not match manifestVersion ${manifest.manifestVersion}`);
  const menu = commandMenuOf(values, options.env);
  const bot = (manifest.bots as Record<string, unknown>[] | undefined)?.[0];
  if ('problems' in menu) problems.push(...menu.problems);
  else if (bot) bot.commandLists = menu.lists;
  problems.push(...validateManifest(manifest));
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  if (options.agentsToolkit ?? true) {
    // The toolkit reads the filled manifest from a file: a private temporary one, so a refused
    // manifest never lands in the build folder.
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'atk-validate-'));
    try {
      const file = path.join(scratch, 'manifest.json');
      writeFileSync(file, manifestText);
      problems.push(...validateWithAgentsToolkit(file, options.env));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const icons = checkIcons(manifest, appPackageDir);
  problems.push(...icons.problems);
  if (problems.length) throw new PackageError(problems);

  mkdirSync(outDir, { recursive: true });
  const manifestPath = path.join(outDir, `manifest.${options.env}.json`);
  writeFileSync(manifestPath, manifestText);
  const zip = zipSync({ 'manifest.json': new TextEncoder().encode(manifestText), ...icons.files }, { level: 9, mtime: new Date('2022-08-01T17:00:00Z') });
  const zipPath = path.join(outDir, `appPackage.${options.env}.zip`);
  writeFileSync(zipPath, zip);
  return { zipPath, manifestPath, manifest };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const env = process.argv[2] ?? process.env.TEAMSAPP_ENV ?? process.env.TEAMSFX_ENV ?? 'dev';
  try {
    const result = buildAppPackage({ env, overrides: process.env });
    console.log(`Built ${path.relative(root, result.zipPath)} (manifest v${String(result.manifest.manifestVersion)}, validated against the Teams schema and by the Agents Toolkit; icons checked).`);
  } catch (error) {
    console.error(error instanceof PackageError ? error.message : String(error));
    process.exit(1);
  }
}
