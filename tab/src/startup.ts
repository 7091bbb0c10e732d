/**
 * The requests the tab can make before React starts. main.tsx imports this module first, so they
 * leave while the rest of the bundle is still being evaluated, instead of one after another once
 * the desk has rendered (config, then the person, then the live stream, then the queue). Outside
 * Teams with a saved local sign-in, that includes the person and their queue, and the first
 * render can be the desk with its queue.
 */
import { Api, publicApi } from './api.js';
import { mayBeTeams } from './host.js';
import type { Me, QueueView, TabConfig } from '../../bot/platform/contract/tabApi.js';
import { showTimesIn } from './format.js';

/** Where the local sign-in keeps its token for the browser tab's life. */
export const TOKEN_KEY = 'ratepayer-desk.token';

/** What the desk needs before it can show anything: who is signed in and their queue. */
export interface DeskStart {
  me: Promise<Me>;
  queue: Promise<QueueView>;
}

/** Asks for the person and the queue at once (they do not depend on each other). */
export function startDesk(api: Api): DeskStart {
  return { me: api.me(), queue: api.queue() };
}

/** A promise whose rejection is handled by whoever takes it later, not reported as unhandled now. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** GET /api/config, asked for at once: every start needs it. */
export const configRequest: Promise<TabConfig> = quiet(
  publicApi.config().then((config) => {
    // Every time in the tab in the programme's zone, whatever the browser's.
    showTimesIn(config.programme.timeZone);
    return config;
  }),
);

function savedToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    // storage blocked (e.g. a sandboxed frame): no saved sign-in
    return undefined;
  }
}

// Inside Teams the token comes from teams-js, which is not loaded yet: only a top-level page can start early.
const earlyToken = mayBeTeams() ? undefined : savedToken();
let early: { token: string; api: Api; requests: DeskStart } | undefined;
if (earlyToken) {
  const api = new Api(earlyToken);
  const requests = startDesk(api);
  early = { token: earlyToken, api, requests: { me: quiet(requests.me), queue: quiet(requests.queue) } };
}

/**
 * The desk's requests started before React for this token, once: a later sign-in (or a token
 * that has changed since) starts its own.
 */
export function takeEarlyDesk(token: string): { api: Api; requests: DeskStart } | undefined {
  const taken = early?.token === token ? early : undefined;
  early = undefined;
  return taken;
}

/** The desk's first answers: who is signed in and their queue. */
export interface DeskAnswers {
  me: Me;
  queue: QueueView;
}

/** A local sign-in whose desk has answered before the first render. */
export interface ReadyDesk {
  config: TabConfig;
  api: Api;
  answers: DeskAnswers;
}

/**
 * Waits up to `waitMs` for the early requests, so the first render can be the desk with its
 * queue rather than two spinners in turn. They were sent while the bundle was evaluated, so they
 * are usually in by the time it has been; if not (or one failed), the tab starts as usual and
 * the desk takes them over when they arrive.
 */
export async function readyDesk(waitMs: number): Promise<ReadyDesk | undefined> {
  const started = early;
  if (!started) return undefined;
  const answers = Promise.all([configRequest, started.requests.me, started.requests.queue]).catch(() => undefined);
  let timer: number | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = window.setTimeout(resolve, waitMs)));
  const answered = await Promise.race([answers, timeout]);
  window.clearTimeout(timer);
  if (!answered || answered[0].signIn !== 'local') return undefined;
  early = undefined;
  const [config, me, queue] = answered;
  return { config, api: started.api, answers: { me, queue } };
}
