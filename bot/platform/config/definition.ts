/**
 * Reads the service definition file and checks it, naming every mistake.
 *
 * A definition may be written as changes to another one: `"extends": "<file>.json"` (a path
 * relative to this file) names the definition it starts from, and the rest of the file is a JSON
 * Merge Patch of it (RFC 7396: objects are merged key by key, any other value — arrays included —
 * replaces the one it starts from, and null removes a key). The merged whole is then checked as
 * any definition is. bot/definitions/local.json is the pilot's definition with another calendar.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkServiceDefinition, type ServiceDefinition } from '../../domain/serviceDefinition.js';
import { LANGUAGES } from '../../messages/index.js';

/** The page's static files (web/public) and its build (web/dist), where a definition's own logo lives. */
const WEB_STATIC = ['public', 'dist'].map((dir) => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web', dir));

/** A definition file that cannot be used, with one message per mistake. */
export class DefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`The service definition ${file} has ${problems.length} mistake(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DefinitionError';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7396 MergePatch(target, patch): the target with the patch applied (neither is changed). */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** The file's JSON with whatever it extends applied; `seen`: the files already on the way (a loop is a mistake). */
function readDefinitionJson(file: string, seen: readonly string[]): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DefinitionError(file, [`cannot be read: ${(error as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DefinitionError(file, [`is not valid JSON: ${(error as Error).message}`]);
  }
  if (!isObject(raw) || !('extends' in raw)) return raw;
  const { extends: base, ...changes } = raw;
  if (typeof base !== 'string' || !base.endsWith('.json'))
    throw new DefinitionError(file, ['extends: must name the definition file this one changes, such as "joburg-region-b-pilot.json"']);
  const baseFile = path.resolve(path.dirname(file), base);
  if ([...seen, path.resolve(file)].includes(baseFile))
    throw new DefinitionError(file, [`extends: "${base}" leads back to a file on its own way (${[...seen, file].map((f) => path.basename(f)).join(' → ')} → ${path.basename(baseFile)})`]);
  return mergePatch(readDefinitionJson(baseFile, [...seen, path.resolve(file)]), changes);
}

/** Loads and validates the definition at the path (and the one it extends, if any). Throws DefinitionError. */
export function loadDefinition(file: string): ServiceDefinition {
  const raw = readDefinitionJson(file, []);
  const result = checkServiceDefinition(raw);
  if (!result.ok) throw new DefinitionError(file, result.problems);
  // A language can be served only when the message catalogue has it (bot/messages/<code>.json).
  const missing = result.definition.programme.languages.filter((lang) => !(LANGUAGES as readonly string[]).includes(lang));
  if (missing.length > 0)
    throw new DefinitionError(
      file,
      missing.map((lang) => `programme.languages: "${lang}" has no message catalogue (bot/messages/${lang}.json); the catalogue has ${LANGUAGES.join(', ')}`),
    );
  // A logo of our own must be there to be served: in web/public (the source) or web/dist (the build,
  // all a deployment has).
  const logo = result.definition.programme.logo;
  if (logo && !logo.startsWith('https://') && !WEB_STATIC.some((dir) => existsSync(path.join(dir, logo))))
    throw new DefinitionError(file, [`programme.logo: "${logo}" is not in web/public (put the image at web/public/${logo}, or give an https URL)`]);
  return result.definition;
}
