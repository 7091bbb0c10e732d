/** Reads the service definition file and checks it, naming every mistake. */
import { readFileSync } from 'node:fs';
import { checkServiceDefinition, type ServiceDefinition } from '../domain/serviceDefinition.js';

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

/** Loads and validates the definition at the path. */
export function loadDefinition(file: string): ServiceDefinition {
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
  const result = checkServiceDefinition(raw);
  if (!result.ok) throw new DefinitionError(file, result.problems);
  return result.definition;
}
