/**
 * Gives up a case's open-case claim (bot/platform/ports/openCaseClaims.ts) when the case is saved
 * closed, whatever closed it (resolved, cancelled, no-show, closed as spam, the session's end):
 * every change to a case is saved through CaseStore.replace, so wrapping it catches them all.
 * Best effort: a claim left behind (a failed release, a crash) is taken over by the next form
 * for that number once the store shows its case is not open (IntakeService).
 */
import { limitsApplyTo } from '../../domain/openCaseLimits.js';
import type { CaseStore, StoredCase } from '../ports/caseStore.js';
import type { OpenCaseClaims } from '../ports/openCaseClaims.js';

const OPEN = new Set(['waiting', 'in_progress']);

/** The store, with `replace` giving up the case's claim when it saves the case closed; `report` hears a failed release. */
export function releasingOpenCaseClaims(store: CaseStore, claims: OpenCaseClaims, report: (error: unknown) => void): CaseStore {
  const replace = store.replace.bind(store);
  const wrapped = Object.create(store) as CaseStore;
  wrapped.replace = async (c: StoredCase): Promise<StoredCase> => {
    const saved = await replace(c);
    if (!OPEN.has(saved.state) && saved.mobile && saved.draftId && limitsApplyTo(saved.ratepayer.channelId))
      await claims.release({ programmeId: saved.programmeId, category: saved.category, mobile: saved.mobile }, saved.draftId).catch(report);
    return saved;
  };
  return wrapped;
}
