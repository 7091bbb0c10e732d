/**
 * Claims on "one open case per mobile number and category" (issue 17, abuse on an open door):
 * one small document per programme, category and mobile number, created when a form from an open
 * door opens a case and given up when that case closes. Creating it is the check: the store
 * refuses a second document with the same id, so of two forms sent at the same moment only one
 * gets the claim, whichever instance each reaches (a query before saving cannot promise that).
 *
 * The claim names its holder by the form's draft id (a resend of the same form is the same
 * claim). A claim whose case closed without giving it up (a crash in between) is taken over,
 * conditionally on its version, once it is older than a form takes to save.
 */

/** What a claim is about: the programme, the form's category and the mobile number (E.164). */
export interface OpenCaseKey {
  programmeId: string;
  category: string;
  mobile: string;
}

/** A claim as the store holds it. */
export interface OpenCaseClaim {
  /** The draft id of the form that holds it. */
  holder: string;
  /** When it was claimed (ISO instant, service clock). */
  claimedAt: string;
  /** The version read: a take-over is conditional on it. */
  etag: string;
}

/** Where claims live (Cosmos: the `leases` container, by a hash of the key: no number in the id). */
export interface OpenCaseClaims {
  /** Claims the key for `holder`; when another holds it, that claim. */
  claim(key: OpenCaseKey, holder: string, now: Date): Promise<{ claimed: true } | { claimed: false; current: OpenCaseClaim }>;
  /** Gives the claim to `holder` only if it is still `current` (its version); false when it changed meanwhile. */
  takeOver(key: OpenCaseKey, holder: string, now: Date, current: OpenCaseClaim): Promise<boolean>;
  /** Gives up the claim if `holder` still holds it (nothing happens otherwise). */
  release(key: OpenCaseKey, holder: string): Promise<void>;
}
