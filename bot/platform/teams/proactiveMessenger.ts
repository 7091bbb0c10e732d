/**
 * Proactive messages through the Bot Framework, within Teams' limits: per conversation about
 * 7 messages a second and 1,800 an hour, per app about 50 requests a second. Each conversation
 * has its own queue, so its messages leave in order; 429 and 5xx answers are retried with
 * exponential backoff and jitter, honouring Retry-After; a message that finally fails rejects
 * with DeliveryFailedError for the caller to record — it is never dropped silently.
 *
 * Every wait is bounded: an attempt the connector does not answer within `attemptTimeoutMs` is
 * cancelled and retried like a 5xx, and close() ends everything at once (MessengerStoppedError,
 * which is not a failure: delivery recovery sends it later). The pacing state holds only the
 * conversations sent to within the last hour.
 */
import { CardFactory, MessageFactory, type Activity, type ConversationReference } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import { cardOfReply } from '../cards/render.js';
import { DeliveryFailedError, MessengerStoppedError, type Messenger, type OutboundMessage } from '../ports/messenger.js';
import type { ConversationStore } from '../ports/conversationStore.js';
import { isLoopbackUrl } from '../http/edgeGuards.js';
import { plainMessage } from './textFormat.js';
import { channelKindOf } from '../../domain/channels.js';
import { localeTag } from '../../messages/index.js';

/** The limits and retry policy; tests shorten them. */
export interface PacingOptions {
  perConversationPerSecond: number;
  perConversationPerHour: number;
  perAppPerSecond: number;
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /**
   * How long a message keeps being retried while the connector is down (429/5xx/no answer), after
   * its `maxAttempts` quick tries: attempts continue every `maxBackoffMs` (or Retry-After) until
   * this much time has passed since its first try. The conversation's later messages wait behind
   * it, so they are delivered in order when the connector returns. Unset: `maxAttempts` only.
   */
  outageBudgetMs?: number;
  /**
   * How long one attempt may wait for the connector's answer before it is abandoned and counted
   * as a failure to retry (a connector that accepts the connection and never answers would
   * otherwise hold the conversation's queue, and whatever awaits it, for ever). Default 20 s.
   */
  attemptTimeoutMs?: number;
}

/** The default attempt timeout: the connector answers in well under a second when it is well. */
const ATTEMPT_TIMEOUT_MS = 20_000;

/**
 * How often the pacing state is pruned: a conversation's windows are dropped once nothing was
 * sent to it within the longest window (an hour), so the state holds only conversations sent to
 * in the last hour, not every conversation the process ever served.
 */
const PRUNE_EVERY_MS = 60_000;

/** The service's outage budget: a Teams or Bot Framework incident of up to 15 minutes loses nothing. */
export const OUTAGE_BUDGET_MS = 15 * 60_000;

/**
 * Teams' documented limits (7/s and 1,800/h per conversation, 50/s per app), with headroom:
 * requests that leave evenly can still arrive bunched.
 */
export const TEAMS_LIMITS: PacingOptions = {
  perConversationPerSecond: 6,
  perConversationPerHour: 1700,
  perAppPerSecond: 45,
  maxAttempts: 6,
  baseBackoffMs: 500,
  maxBackoffMs: 30_000,
};

/** A sliding-window limiter: at most `limit` starts within any `windowMs`. */
class SlidingWindow {
  private readonly starts: number[] = [];
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds to wait before the next start is allowed (0 when it may go now). */
  delay(now: number): number {
    while (this.starts.length && this.starts[0]! <= now - this.windowMs) this.starts.shift();
    return this.starts.length < this.limit ? 0 : this.starts[0]! + this.windowMs - now;
  }

  record(now: number): void {
    this.starts.push(now);
  }

  /** Whether nothing started within the window: the window can be forgotten. */
  idle(now: number): boolean {
    const last = this.starts.at(-1);
    return last === undefined || last <= now - this.windowMs;
  }
}

/** Waits `ms`, or rejects at once when the signal aborts (the messenger is stopping). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settles as the promise does, or rejects with the signal's reason once it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** An attempt that got no answer within the attempt timeout. */
class AttemptTimeoutError extends Error {
  constructor(ms: number) {
    super(`the connector did not answer within ${ms} ms`);
    this.name = 'AttemptTimeoutError';
  }
}

/** A message as the activity Teams shows: a reply of the core is its view's card (bot/platform/cards/render.ts). */
function toActivity(message: OutboundMessage): Partial<Activity> {
  // The language of its words as the activity's `locale` (see inLanguage, bot/platform/teams/context.ts).
  const locale = message.locale ? { locale: localeTag(message.locale) } : {};
  if ('text' in message) return { ...plainMessage(message.text), ...locale };
  const card = 'reply' in message ? cardOfReply(message.reply) : message.card;
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = message.fallback;
  return { ...activity, ...locale };
}

/** The part of the connector client's HTTP pipeline (@azure/core-rest-pipeline) used here. */
interface Pipeline {
  removePolicy(policy: { name: string }): unknown;
  addPolicy(policy: {
    name: string;
    sendRequest(request: { abortSignal?: AbortSignal; timeout: number }, next: (request: unknown) => Promise<unknown>): Promise<unknown>;
  }): void;
}

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const candidate of [e?.statusCode, e?.status, e?.response?.status]) if (typeof candidate === 'number') return candidate;
  return undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: { get?(name: string): string | undefined } } })?.response?.headers;
  const value = headers?.get?.('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** The Bot Framework implementation of the messenger port. */
export class ProactiveMessenger implements Messenger {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly perSecond = new Map<string, SlidingWindow>();
  private readonly perHour = new Map<string, SlidingWindow>();
  private readonly app: SlidingWindow;
  /** Aborted by close(): every wait and every attempt under way ends at once. */
  private readonly stopping = new AbortController();
  private lastPrune: number;

  constructor(
    private readonly adapter: TeamsAdapter,
    private readonly botAppId: string,
    private readonly conversations: ConversationStore,
    private readonly limits: PacingOptions = TEAMS_LIMITS,
    /** Milliseconds now; tests move it to see the pacing state pruned. */
    private readonly now: () => number = Date.now,
  ) {
    this.app = new SlidingWindow(limits.perAppPerSecond, 1000);
    this.lastPrune = now();
  }

  send(conversationId: string, message: OutboundMessage): Promise<{ activityId?: string }> {
    return this.enqueue(conversationId, async (reference, signal) => {
      let activityId: string | undefined;
      await this.inTurn(reference, signal, async (context) => {
        activityId = (await context.sendActivity(toActivity(message)))?.id;
      });
      return { ...(activityId ? { activityId } : {}) };
    });
  }

  update(conversationId: string, activityId: string, message: OutboundMessage): Promise<void> {
    return this.enqueue(conversationId, async (reference, signal) => {
      await this.inTurn(reference, signal, async (context) => {
        await context.updateActivity({ ...toActivity(message), id: activityId });
      });
    });
  }

  /**
   * Stops at once: attempts under way are aborted (their HTTP requests cancelled), waits end,
   * and every message not yet delivered rejects with MessengerStoppedError, which its sender
   * does not record, leaving it to delivery recovery. Later sends reject at once.
   */
  close(): void {
    this.stopping.abort(new MessengerStoppedError('(stopping)'));
    this.perSecond.clear();
    this.perHour.clear();
  }

  /** Conversations whose pacing windows are held now (bounded: those sent to within the last hour). */
  get pacedConversations(): number {
    return new Set([...this.perSecond.keys(), ...this.perHour.keys()]).size;
  }

  /** Runs one delivery after the conversation's earlier ones, paced and retried. */
  private enqueue<T>(
    conversationId: string,
    deliver: (reference: Partial<ConversationReference>, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const stopped = () => new MessengerStoppedError(conversationId);
    if (this.stopping.signal.aborted) return Promise.reject(stopped());
    const previous = this.chains.get(conversationId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      const signal = this.stopping.signal;
      try {
        if (signal.aborted) throw stopped();
        const stored = await untilAborted(this.conversations.get(conversationId), signal);
        if (!stored) throw new DeliveryFailedError(conversationId, 'the bot has no reference for this conversation', 0);
        // Local mode (no app id): nothing binds a stored serviceUrl to the Bot Framework, so only loopback ones are used.
        if (!this.botAppId && !isLoopbackUrl(String(stored.reference.serviceUrl ?? '')))
          throw new DeliveryFailedError(conversationId, 'in local mode the bot sends only to loopback addresses', 0);
        return await this.withRetries(conversationId, signal, () => deliver(stored.reference as Partial<ConversationReference>, signal));
      } catch (error) {
        // Whatever was under way when the messenger stopped is left to delivery recovery.
        if (signal.aborted) throw stopped();
        throw error;
      }
    });
    this.chains.set(conversationId, next);
    // Forget finished chains so the map does not grow with every conversation ever served.
    void next.finally(() => {
      if (this.chains.get(conversationId) === next) this.chains.delete(conversationId);
    }).catch(() => undefined);
    return next;
  }

  private async withRetries<T>(conversationId: string, signal: AbortSignal, attempt: () => Promise<T>): Promise<T> {
    const firstTry = Date.now();
    const timeoutMs = this.limits.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS;
    for (let n = 1; ; n++) {
      await this.waitForSlot(conversationId, signal);
      try {
        return await this.bounded(attempt, timeoutMs, signal);
      } catch (error) {
        if (signal.aborted) throw error;
        const status = statusOf(error);
        const retryable = status === undefined || status === 429 || status >= 500;
        const withinBudget = Date.now() - firstTry < (this.limits.outageBudgetMs ?? 0);
        if (!retryable || (n >= this.limits.maxAttempts && !withinBudget)) {
          throw new DeliveryFailedError(conversationId, (error as Error).message ?? String(error), n, status);
        }
        const backoff = Math.min(this.limits.maxBackoffMs, this.limits.baseBackoffMs * 2 ** (n - 1));
        const jittered = backoff / 2 + Math.random() * (backoff / 2);
        await sleep(Math.max(jittered, retryAfterMs(error) ?? 0), signal);
      }
    }
  }

  /**
   * One attempt, given up after `timeoutMs` or when the messenger stops. The attempt's own HTTP
   * request is cancelled too (inTurn hands the signal to the connector client's pipeline).
   */
  private async bounded<T>(attempt: () => Promise<T>, timeoutMs: number, stopping: AbortSignal): Promise<T> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new AttemptTimeoutError(timeoutMs)), timeoutMs);
    try {
      return await untilAborted(untilAborted(attempt(), stopping), timeout.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private async waitForSlot(conversationId: string, signal: AbortSignal): Promise<void> {
    this.prune();
    const second = this.window(this.perSecond, conversationId, this.limits.perConversationPerSecond, 1000);
    const hour = this.window(this.perHour, conversationId, this.limits.perConversationPerHour, 3_600_000);
    for (;;) {
      const now = this.now();
      const wait = Math.max(second.delay(now), hour.delay(now), this.app.delay(now));
      if (wait <= 0) break;
      await sleep(wait, signal);
    }
    const now = this.now();
    second.record(now);
    hour.record(now);
    this.app.record(now);
  }

  /** Forgets the windows of conversations nothing was sent to within them (at most every minute). */
  private prune(): void {
    const now = this.now();
    if (now >= this.lastPrune && now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    for (const map of [this.perSecond, this.perHour])
      for (const [key, window] of map) if (window.idle(now)) map.delete(key);
  }

  private window(map: Map<string, SlidingWindow>, key: string, limit: number, windowMs: number): SlidingWindow {
    let w = map.get(key);
    if (!w) map.set(key, (w = new SlidingWindow(limit, windowMs)));
    return w;
  }

  /**
   * Runs logic in a proactive turn. Errors are carried out of the turn by hand: left to the
   * adapter, they would reach onTurnError, which apologises into the very conversation we could
   * not reach.
   */
  private async inTurn(
    reference: Partial<ConversationReference>,
    signal: AbortSignal,
    logic: (context: import('botbuilder').TurnContext) => Promise<void>,
  ): Promise<void> {
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      // A proactive message answers no activity, but Bot Framework marks it a reply to the turn's
      // own continuation event (replyToId: a random id no client has seen), and Web Chat holds a
      // message that replies to one it has not shown for up to 5 seconds before showing it: an
      // expert's words reached the public page 5 s late. Teams threads by the conversation id, not
      // replyToId, so only the web channels are changed.
      if (channelKindOf(reference.channelId) === 'web')
        context.onSendActivities(async (_context, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
      try {
        // One retry policy, ours: the connector client's own would nest its backoff inside ours
        // and hide the attempts from the pacing. The client is made for this turn alone.
        const connector = context.turnState.get(this.adapter.ConnectorClientKey) as { client?: { pipeline?: Pipeline } } | undefined;
        const pipeline = connector?.client?.pipeline;
        pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
        // A stop or the attempt timeout cancels the request itself, so no socket waits on after it.
        pipeline?.addPolicy({
          name: 'ratepayerDeskCancel',
          sendRequest: (request, next) => {
            request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal, signal]) : signal;
            request.timeout = this.limits.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS;
            return next(request);
          },
        });
        await logic(context);
      } catch (error) {
        failure = error;
      }
    });
    if (failure) throw failure;
  }
}
