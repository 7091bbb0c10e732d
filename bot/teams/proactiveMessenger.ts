/**
 * Proactive messages through the Bot Framework, within Teams' limits: per conversation about
 * 7 messages a second and 1,800 an hour, per app about 50 requests a second. Each conversation
 * has its own queue, so its messages leave in order; 429 and 5xx answers are retried with
 * exponential backoff and jitter, honouring Retry-After; a message that finally fails rejects
 * with DeliveryFailedError for the caller to record — it is never dropped silently.
 */
import { CardFactory, MessageFactory, type Activity, type ConversationReference } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import { DeliveryFailedError, type Messenger, type OutboundMessage } from '../ports/messenger.js';
import type { ConversationStore } from '../ports/conversationStore.js';
import { isLoopbackUrl } from '../http/edgeGuards.js';

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
}

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
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function toActivity(message: OutboundMessage): Partial<Activity> {
  if ('text' in message) return MessageFactory.text(message.text);
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(message.card));
  activity.summary = message.fallback;
  return activity;
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

  constructor(
    private readonly adapter: TeamsAdapter,
    private readonly botAppId: string,
    private readonly conversations: ConversationStore,
    private readonly limits: PacingOptions = TEAMS_LIMITS,
  ) {
    this.app = new SlidingWindow(limits.perAppPerSecond, 1000);
  }

  send(conversationId: string, message: OutboundMessage): Promise<{ activityId?: string }> {
    return this.enqueue(conversationId, async (reference) => {
      let activityId: string | undefined;
      await this.inTurn(reference, async (context) => {
        activityId = (await context.sendActivity(toActivity(message)))?.id;
      });
      return { ...(activityId ? { activityId } : {}) };
    });
  }

  update(conversationId: string, activityId: string, message: OutboundMessage): Promise<void> {
    return this.enqueue(conversationId, async (reference) => {
      await this.inTurn(reference, async (context) => {
        await context.updateActivity({ ...toActivity(message), id: activityId });
      });
    });
  }

  /** Runs one delivery after the conversation's earlier ones, paced and retried. */
  private enqueue<T>(conversationId: string, deliver: (reference: Partial<ConversationReference>) => Promise<T>): Promise<T> {
    const previous = this.chains.get(conversationId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      const stored = await this.conversations.get(conversationId);
      if (!stored) throw new DeliveryFailedError(conversationId, 'the bot has no reference for this conversation', 0);
      // Local mode (no app id): nothing binds a stored serviceUrl to the Bot Framework, so only loopback ones are used.
      if (!this.botAppId && !isLoopbackUrl(String(stored.reference.serviceUrl ?? '')))
        throw new DeliveryFailedError(conversationId, 'in local mode the bot sends only to loopback addresses', 0);
      return this.withRetries(conversationId, () => deliver(stored.reference as Partial<ConversationReference>));
    });
    this.chains.set(conversationId, next);
    // Forget finished chains so the map does not grow with every conversation ever served.
    void next.finally(() => {
      if (this.chains.get(conversationId) === next) this.chains.delete(conversationId);
    }).catch(() => undefined);
    return next;
  }

  private async withRetries<T>(conversationId: string, attempt: () => Promise<T>): Promise<T> {
    const firstTry = Date.now();
    for (let n = 1; ; n++) {
      await this.waitForSlot(conversationId);
      try {
        return await attempt();
      } catch (error) {
        const status = statusOf(error);
        const retryable = status === undefined || status === 429 || status >= 500;
        const withinBudget = Date.now() - firstTry < (this.limits.outageBudgetMs ?? 0);
        if (!retryable || (n >= this.limits.maxAttempts && !withinBudget)) {
          throw new DeliveryFailedError(conversationId, (error as Error).message ?? String(error), n, status);
        }
        const backoff = Math.min(this.limits.maxBackoffMs, this.limits.baseBackoffMs * 2 ** (n - 1));
        const jittered = backoff / 2 + Math.random() * (backoff / 2);
        await sleep(Math.max(jittered, retryAfterMs(error) ?? 0));
      }
    }
  }

  private async waitForSlot(conversationId: string): Promise<void> {
    const second = this.window(this.perSecond, conversationId, this.limits.perConversationPerSecond, 1000);
    const hour = this.window(this.perHour, conversationId, this.limits.perConversationPerHour, 3_600_000);
    for (;;) {
      const now = Date.now();
      const wait = Math.max(second.delay(now), hour.delay(now), this.app.delay(now));
      if (wait <= 0) break;
      await sleep(wait);
    }
    const now = Date.now();
    second.record(now);
    hour.record(now);
    this.app.record(now);
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
    logic: (context: import('botbuilder').TurnContext) => Promise<void>,
  ): Promise<void> {
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        // One retry policy, ours: the connector client's own would nest its backoff inside ours
        // and hide the attempts from the pacing. The client is made for this turn alone.
        const connector = context.turnState.get(this.adapter.ConnectorClientKey) as
          | { client?: { pipeline?: { removePolicy(policy: { name: string }): unknown } } }
          | undefined;
        connector?.client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
        await logic(context);
      } catch (error) {
        failure = error;
      }
    });
    if (failure) throw failure;
  }
}
