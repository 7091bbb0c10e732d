/**
 * When a session is about to close with ratepayers still waiting: each is told, once, and offered
 * to keep their place for the next session or to be called back at a time they choose. When it
 * closes, every case still waiting is carried over to the next session ahead of newcomers (the
 * queue opens with them first); a callback request stays on the case for the agents to honour.
 */
import { instantAt, localParts, nextSessionAfter, openSessionAt, type SessionSlot } from '../domain/calendar.js';
import { describeInstant, describeSession } from '../messages/time.js';
import { carryOver, CaseRuleError, chooseAtClosing, offerClosing, ratepayerActor, type ClosingChoice } from '../domain/case.js';
import { readCardDate, readCardTime } from '../domain/cardDateTime.js';
import { formatReference, normaliseReference } from '../domain/reference.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import { formatMobileForDisplay } from '../domain/validation.js';
import { closingOfferContent } from '../platform/cards/ratepayerCards.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import { changeCase } from '../platform/flow/caseChanges.js';
import type { Clock } from '../platform/ports/clock.js';
import type { QueueService } from './queue.js';
import { told, toldReply, type RelayService } from './relay.js';
import type { SessionEvent } from '../platform/scheduler/sessionScheduler.js';
import { errorLogger } from '../platform/log.js';
import { DEFAULT_LOCALE, localeOf, t, type Locale, type MessageKey } from '../messages/index.js';

/** The most waiting cases handled per session event. */
const LIMIT = 2000;

/** The answer to a ratepayer's choice, in their terms. */
export type ChoiceResult = { kind: 'recorded'; text: string } | { kind: 'invalid' | 'not_waiting' | 'not_found'; text: string };

/** The session-close service. */
export class SessionCloseService {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly queue: QueueService,
    private readonly relay: RelayService,
    private readonly clock: Clock,
    private readonly log: (message: string, error: unknown) => void = errorLogger('session-close'),
  ) {}

  /** Handles a scheduler event; safe to repeat (the offer is recorded before it is sent). */
  async handle(event: SessionEvent): Promise<void> {
    if (event.kind === 'closingSoon') await this.offer(event.session);
    if (event.kind === 'closed') await this.carry(event.session);
  }

  private async waitingIn(session: SessionSlot): Promise<StoredCase[]> {
    const categories = this.definition.categories.map((c) => c.code);
    const waiting = await this.cases.listWaiting(this.definition.programme.id, categories, LIMIT);
    return waiting.filter((c) => c.sessionId === session.id);
  }

  private async offer(session: SessionSlot): Promise<void> {
    const now = this.clock.now();
    const next = followingSession(this.definition, session);
    // The next session opens as this one closes (a calendar open around the clock, `local.json`):
    // nothing closes for the ratepayer, so nothing to warn of or choose.
    if (next && opensAsItCloses(session, next)) return;
    for (const c of await this.waitingIn(session)) {
      try {
        if (!(await this.recordOffer(c, session.id))) continue;
        const { position } = await this.queue.placeOf(c);
        const locale = localeOf(c);
        // The offer in the ratepayer's language; staff read the same card from the catalogue in theirs.
        const offer = toldReply(locale, (l) => ({
          kind: 'form',
          view: 'closingOffer',
          content: closingOfferContent(this.definition, { c, session, position, next, now }, l),
          summary: t(l, 'closing.offerFallback', { position }),
        }));
        await this.relay.tellRatepayer(c, { ...offer, notice: 'closing' });
      } catch (error) {
        this.log(`closing offer for ${c.id}`, error);
      }
    }
  }

  /**
   * Records the warning on the case (offerClosing, with the case's ETag) before it is sent:
   * false when the case was already warned of this session, or stopped waiting.
   */
  private async recordOffer(c: StoredCase, sessionId: string): Promise<boolean> {
    const result = await changeCase(
      this.cases,
      c.id,
      (current) => {
        try {
          return offerClosing(current, this.clock.now(), sessionId);
        } catch (error) {
          if (error instanceof CaseRuleError) return undefined;
          throw error;
        }
      },
      { known: c, attempts: 5 },
    );
    return result.kind === 'saved';
  }

  private async carry(session: SessionSlot): Promise<void> {
    const next = followingSession(this.definition, session);
    for (const c of await this.waitingIn(session)) {
      const locale = localeOf(c);
      try {
        if (!next) {
          await this.relay.tellRatepayer(c, told(locale, (l) => t(l, 'closing.noMoreSessions', { reference: formatReference(c.id) })));
          continue;
        }
        const moved = await this.moveToNext(c, next.id);
        // Moved to a session that opens as this one closes: the queue goes on, nothing to tell.
        if (!moved || opensAsItCloses(session, next)) continue;
        const reference = formatReference(c.id);
        const callbackAt = moved.closingChoice?.choice === 'callback' ? moved.closingChoice.callbackAt : undefined;
        const words = told(locale, (l) => {
          const when = describeSession(next, this.definition.timeZone, l);
          return callbackAt
            ? t(l, 'closing.carriedWithCallback', { callback: describeInstant(new Date(callbackAt), this.definition.timeZone, l), reference, when })
            : t(l, 'closing.carried', { reference, when });
        });
        await this.relay.tellRatepayer(moved, { ...words, notice: 'nextSession' });
      } catch (error) {
        this.log(`carrying over ${c.id}`, error);
      }
    }
  }

  private async moveToNext(c: StoredCase, nextSessionId: string): Promise<StoredCase | undefined> {
    const result = await changeCase(
      this.cases,
      c.id,
      (current) => (current.state === 'waiting' && current.sessionId !== nextSessionId ? carryOver(current, this.clock.now(), nextSessionId) : undefined),
      { known: c, attempts: 5 },
    );
    return result.kind === 'saved' ? result.saved : undefined;
  }

  /** Records what the ratepayer chose on the closing card. */
  async choose(
    conversationId: string,
    raw: { reference?: unknown; choice?: unknown; callbackDate?: unknown; callbackTime?: unknown },
    locale: Locale = DEFAULT_LOCALE,
  ): Promise<ChoiceResult> {
    const id = typeof raw.reference === 'string' ? normaliseReference(raw.reference) : undefined;
    if (!id) return { kind: 'not_found', text: t(locale, 'closing.notYours') };
    const now = this.clock.now();
    let choice: ClosingChoice;
    if (raw.choice === 'next_session') {
      choice = { choice: 'next_session', decidedAt: now.toISOString() };
    } else if (raw.choice === 'callback') {
      const at = this.callbackInstant(raw.callbackDate, raw.callbackTime, now);
      if (typeof at === 'string') return { kind: 'invalid', text: at === 'closing.unreadableDay' ? t(locale, at, { today: localParts(now, this.definition.timeZone).date }) : t(locale, at) };
      choice = { choice: 'callback', callbackAt: at.toISOString(), decidedAt: now.toISOString() };
    } else {
      return { kind: 'invalid', text: t(locale, 'closing.chooseOne') };
    }
    const result = await this.recordChoice(id, conversationId, choice, now);
    if (result === 'not_found') return { kind: 'not_found', text: t(locale, 'closing.notYours') };
    if (result === 'not_waiting') return { kind: 'not_waiting', text: t(locale, 'closing.notWaiting') };
    if (choice.choice === 'next_session') {
      const next = nextSessionAfter(this.definition, now);
      return {
        kind: 'recorded',
        text: next
          ? t(locale, 'closing.keptNext', { when: describeSession(next, this.definition.timeZone, locale) })
          : t(locale, 'closing.kept'),
      };
    }
    const c = await this.cases.get(id);
    const when = describeInstant(new Date(choice.callbackAt!), this.definition.timeZone, locale);
    const text =
      typeof c?.intake.mobile === 'string'
        ? t(locale, 'closing.callbackOn', { mobile: formatMobileForDisplay(c.intake.mobile), when })
        : t(locale, 'closing.callback', { when });
    return { kind: 'recorded', text };
  }

  /**
   * Records the choice through the lifecycle (chooseAtClosing), written with the case's ETag: a
   * claim that lands between the read and the write makes the choice decided again, and refused.
   * Only the conversation the case came from may choose: to anyone else it does not exist.
   */
  private async recordChoice(id: string, conversationId: string, choice: ClosingChoice, now: Date): Promise<'recorded' | 'not_waiting' | 'not_found'> {
    try {
      const result = await changeCase(this.cases, id, (current) => {
        if (current.ratepayer.conversationId !== conversationId) throw new ChoiceRefused('not_found');
        try {
          return chooseAtClosing(current, now, ratepayerActor(current.ratepayer), choice);
        } catch (error) {
          if (error instanceof CaseRuleError) throw new ChoiceRefused('not_waiting');
          throw error;
        }
      });
      return result.kind === 'saved' ? 'recorded' : 'not_found';
    } catch (error) {
      if (error instanceof ChoiceRefused) return error.kind;
      throw error;
    }
  }

  /**
   * The callback instant, or what is wrong with it (a catalogue key). Dates and times are
   * read in every form clients send (bot/domain/cardDateTime.ts); one that still cannot be read
   * is answered with what to send.
   */
  private callbackInstant(rawDate: unknown, rawTime: unknown, now: Date): Date | MessageKey {
    const empty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
    if (empty(rawDate)) return 'closing.chooseDay';
    const date = readCardDate(rawDate);
    if (!date) return 'closing.unreadableDay';
    if (empty(rawTime)) return 'closing.chooseTime';
    const time = readCardTime(rawTime, this.definition.timeZone);
    if (!time) return 'closing.unreadableTime';
    if (time < '07:00' || time > '20:00') return 'closing.hours';
    const at = instantAt(date, time, this.definition.timeZone);
    if (!Number.isFinite(at.getTime())) return 'closing.chooseDay';
    if (at.getTime() < now.getTime() + 15 * 60_000) return 'closing.tooSoon';
    if (at.getTime() > now.getTime() + 30 * 86_400_000) return 'closing.tooFar';
    return at;
  }
}

/** Why a choice is not recorded, thrown out of the decision so nothing is written. */
class ChoiceRefused extends Error {
  constructor(readonly kind: 'not_found' | 'not_waiting') {
    super(kind);
  }
}

/** Whether `next` opens the moment `session` closes (or before): back-to-back sessions, no gap for the ratepayer to wait through. */
function opensAsItCloses(session: SessionSlot, next: SessionSlot): boolean {
  return next.opensAt.getTime() <= session.closesAt.getTime();
}

/**
 * The session after `session`: the one open at the instant it closes (back to back), else the next
 * to open. nextSessionAfter alone skips a session opening exactly at the close, so at midnight a
 * calendar open around the clock moved waiting cases to the day after tomorrow.
 */
function followingSession(definition: ServiceDefinition, session: SessionSlot): SessionSlot | undefined {
  return openSessionAt(definition, session.closesAt) ?? nextSessionAfter(definition, session.closesAt);
}
