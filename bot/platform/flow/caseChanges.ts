/**
 * The one way a case is changed after it was read: read, decide, write with the case's ETag;
 * when someone else wrote first (412), read again and decide again. Claims, releases, cancels,
 * assignments and carry-overs all go through here, so twenty simultaneous claims give one winner
 * and nobody's change is lost.
 */
import type { Case } from '../../domain/case.js';
import { StaleCaseError, type CaseStore, type StoredCase } from '../ports/caseStore.js';

/** How a change ended. */
export type CaseChange =
  | { kind: 'saved'; before: StoredCase; saved: StoredCase }
  /** `decide` left the case as it was. */
  | { kind: 'unchanged'; current: StoredCase }
  | { kind: 'missing' };

/** The case changed under us on every attempt. */
export class CaseKeepsChangingError extends Error {
  constructor(readonly caseId: string) {
    super('The case keeps changing; try again.');
    this.name = 'CaseKeepsChangingError';
  }
}

/**
 * Changes a case. `decide` gets the current case and returns the changed one, or undefined to
 * leave it; what it throws (a rule refused, a person not allowed) passes through. `known` is a
 * copy already read, which saves the first read.
 */
export async function changeCase(
  cases: CaseStore,
  id: string,
  decide: (current: StoredCase) => Case | undefined,
  options: { known?: StoredCase; attempts?: number } = {},
): Promise<CaseChange> {
  let current = options.known ?? (await cases.get(id));
  for (let attempt = 0; attempt < (options.attempts ?? 8); attempt++) {
    if (!current) return { kind: 'missing' };
    const changed = decide(current);
    if (!changed) return { kind: 'unchanged', current };
    try {
      return { kind: 'saved', before: current, saved: await cases.replace({ ...changed, etag: current.etag }) };
    } catch (error) {
      if (!(error instanceof StaleCaseError)) throw error;
      current = await cases.get(id);
    }
  }
  throw new CaseKeepsChangingError(id);
}
