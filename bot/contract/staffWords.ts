/**
 * The words staff read for the codes the tab API and the supervisors' cards carry: written once,
 * for the tab (tab/src/format.ts) and the supervisors' channel (bot/cards/supervisorCards.ts).
 * What a ratepayer is told about an outcome is the ratepayer's wording, kept with their messages.
 */
import type { CaseState, Outcome } from '../domain/case.js';

/** An outcome as staff read it (the resolve dialog, the case page, search, the session report). */
export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = {
  resolved: 'Resolved',
  arrangement_made: 'Arrangement made',
  referred_back_office: 'Referred to the back office',
  not_resolved: 'Not resolved',
};

/** A case's state as staff read it. */
export const STATE_LABELS: Readonly<Record<CaseState, string>> = {
  waiting: 'Waiting',
  in_progress: 'In progress',
  resolved: 'Resolved',
  cancelled: 'Cancelled',
  no_show: 'No show',
};
