/** Calls the tab API with the signed-in person's token; errors carry the service's message. */
import type { CaseMovedAway, CasePage, CaseSummary, LocalStaff, Me, QueueView, TabConfig } from '../../bot/platform/contract/tabApi.js';

/** An API call that did not succeed, with what the service said. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    // not JSON: keep the status
  }
  if (!res.ok) {
    const problems = Array.isArray(body.problems) ? (body.problems as { field: string; message: string }[]) : [];
    const message =
      problems.length > 0
        ? problems.map(problemInWords).join(' ')
        : typeof body.message === 'string'
          ? body.message
          : `The service answered ${res.status}.`;
    throw new ApiError(res.status, typeof body.error === 'string' ? body.error : 'http_error', message, body);
  }
  return body as T;
}

/**
 * One problem as a person reads it: a message that is already a sentence ("An account number has
 * 9 digits.") alone, never behind its field's code; a fragment ("is required") after the field's
 * name in words ("Due date is required.").
 */
function problemInWords(p: { field: string; message: string }): string {
  if (/^[A-Z"“]/.test(p.message)) return p.message;
  const field = p.field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[._]/g, ' ').toLowerCase();
  const sentence = `${field.charAt(0).toUpperCase()}${field.slice(1)} ${p.message}`;
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** Unauthenticated calls made before sign-in. */
export const publicApi = {
  config: () => fetch('/api/config').then((r) => json<TabConfig>(r)),
  localStaff: () => fetch('/api/local/staff').then((r) => json<{ staff: LocalStaff[] }>(r)),
  localToken: (staffId: string) =>
    fetch('/api/local/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ staffId }),
    }).then((r) => json<{ token: string; expiresAt: string }>(r)),
};

/** The signed-in API. */
export class Api {
  /** Gets the token for each call (the live stream and the supervisor view take it too). */
  readonly getToken: () => Promise<string>;
  private readonly heldToken: string | undefined;

  /** Signs calls with a token the tab holds (local sign-in) or with one Teams gives for each call. */
  constructor(token: string | (() => Promise<string>)) {
    this.heldToken = typeof token === 'string' ? token : undefined;
    this.getToken = typeof token === 'string' ? async () => token : token;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    // A held token is used without awaiting, so the request leaves at once, not in a later
    // microtask: at startup, microtasks wait until the whole bundle has been evaluated.
    const token = this.heldToken ?? (await this.getToken());
    const res = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return json<T>(res);
  }

  me = () => this.call<Me>('GET', '/api/me');
  queue = () => this.call<QueueView>('GET', '/api/queue');
  claimNext = () => this.call<CasePage>('POST', '/api/queue/claim-next', {});
  casePage = (ref: string) => this.call<CasePage>('GET', `/api/cases/${encodeURIComponent(ref)}`);
  claim = (ref: string) => this.call<CasePage>('POST', `/api/cases/${encodeURIComponent(ref)}/claim`, {});
  note = (ref: string, text: string) => this.call<CasePage>('POST', `/api/cases/${encodeURIComponent(ref)}/notes`, { text });
  release = (ref: string, note?: string) =>
    this.call<CasePage>('POST', `/api/cases/${encodeURIComponent(ref)}/release`, note ? { note } : {});
  transfer = (ref: string, toCategory: string, note: string) =>
    this.call<CasePage | CaseMovedAway>('POST', `/api/cases/${encodeURIComponent(ref)}/transfer`, { toCategory, note });
  resolve = (ref: string, body: { outcome: string; summary: string; dueDate?: string }) =>
    this.call<CasePage>('POST', `/api/cases/${encodeURIComponent(ref)}/resolve`, body);
  sendMessage = (ref: string, text: string) => this.call<CasePage>('POST', `/api/cases/${encodeURIComponent(ref)}/messages`, { text });
  /** Issue 20: lodge a dispute, record an arrangement or an ESP registration (amounts in cents). */
  rule = (ref: string, kind: 'dispute' | 'arrangement' | 'esp-registration', body: Record<string, unknown>) =>
    kind === 'dispute'
      ? this.call<CasePage>('POST', `/api/cases/${encodeURIComponent(ref)}/dispute`, body)
      : kind === 'arrangement'
        ? this.call<CasePage>('POST', `/api/cases/${encodeURIComponent(ref)}/arrangement`, body)
        : this.call<CasePage>('POST', `/api/cases/${encodeURIComponent(ref)}/esp-registration`, body);
  noShow = (ref: string) => this.call<CasePage>('POST', `/api/cases/${encodeURIComponent(ref)}/no-show`, {});
  /** Machine translation off (a bilingual expert) or on for the case (issue 16). */
  translation = (ref: string, on: boolean) => this.call<CasePage>('POST', `/api/cases/${encodeURIComponent(ref)}/translation`, { on });
  search = (query: { reference: string } | { account: string }) =>
    // POST: what is searched for (an account number) stays out of URLs, logs and telemetry.
    this.call<{ results: CaseSummary[] }>('POST', '/api/search', query);
}
