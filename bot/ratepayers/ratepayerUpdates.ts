/**
 * What the ratepayer hears when something happens to their case elsewhere: connected with an
 * expert, handed back or moved (keeping their place), resolved (summary and survey), closed as a
 * no-show, and their place improving while they wait. A listener of the changes this instance
 * saves (bot/platform/flow/caseEvents.ts, registered in bot/service.ts), so each change is told once
 * however many instances run. What concerns the ratepayer's own case goes at once; place updates
 * and honest updates wait for a burst of queue changes to settle (noteQueueChange), so a waiting
 * ratepayer gets one message for it, from the queues as they are then.
 */
import { firstName, placeTold, placeUpdateDue, waitSlip, type Case, type TranscriptEntry, type WaitSlipReason } from '../domain/case.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import { categoryName as categoryNameIn } from '../messages/programme.js';
import { describeWait } from '../messages/time.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import { systemTimers, type Clock, type Timers } from '../platform/ports/clock.js';
import type { NewQueueEvent, QueueEventKind } from '../platform/ports/queueEvents.js';
import type { CaseChangeNotice, CaseEventListener } from '../platform/flow/caseEvents.js';
import type { Place, QueueService } from './queue.js';
import { told, toldReply, type RelayService } from './relay.js';
import { errorLogger } from '../platform/log.js';
import { localeOf, t, type Locale } from '../messages/index.js';
import { moreDetailsReply } from './features/moreDetails.js';

/** How often the scheduler looks for slipped waits with the queues unchanged (checkSlips). */
export const SLIP_CHECK_EVERY_MS = 60_000;

/** Changes the ratepayer is told of in the turn that caused them, or that are not news to them. */
const NOT_NEWS: readonly QueueEventKind[] = ['case.message', 'case.noted', 'case.queued', 'case.updated'];

/**
 * How long the desk's queues must stay still (ms) before the waiting ratepayers are told their
 * place and wait: the changes of one burst (a release, two resolves, a transfer and claims within
 * a couple of seconds) are told as one message with the latest place, not one per change (tester
 * 11, finding 5: "number 2 … less than 5 minutes", "about 15 minutes, later than we told you" and
 * "You are next" within half a second, each a notification on WhatsApp or SMS).
 */
export const PLACE_UPDATE_SETTLE_MS = 2_000;

/**
 * The longest (ms) a burst holds place updates back from its first change: a desk that never
 * stays still for PLACE_UPDATE_SETTLE_MS still tells its waiting ratepayers this often at most.
 */
export const PLACE_UPDATE_HOLD_MS = 10_000;

/** Changes that are conversation, not queue: they neither start nor prolong a burst. */
const NOT_QUEUE: readonly QueueEventKind[] = ['case.message', 'case.noted'];

/** How place updates wait for a burst of changes to settle; defaults PLACE_UPDATE_SETTLE_MS, PLACE_UPDATE_HOLD_MS, the machine's timers. */
export interface PlaceUpdateTiming {
  settleMs?: number;
  holdMs?: number;
  timers?: Timers;
}

/** A burst of queue changes on this instance whose place updates are not told yet. */
interface Burst {
  /** The categories whose queue got shorter in it (the place updates' categories). */
  left: Set<string>;
  /** When its first change came (ms since the epoch, the injected clock). */
  since: number;
  /** The pending timer (Timers.set's handle). */
  timer: unknown;
}

/** The ratepayer updates service. */
export class RatepayerUpdates implements CaseEventListener {
  readonly name = 'ratepayer-updates';
  /** The cases whose wait had slipped at the last checkSlips. */
  private slippedLastCheck = new Set<string>();
  /** For operators: the reference and the error, never what the ratepayer was told. */
  private readonly log = errorLogger('ratepayer-updates');
  /** The burst being waited out, if any (in this instance's memory: see settle). */
  private burst?: Burst;
  /** The place updates of the last burst told, while they are being told (for tests and stop). */
  private telling: Promise<void> = Promise.resolve();
  private readonly settleMs: number;
  private readonly holdMs: number;
  private readonly timers: Timers;

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly queue: QueueService,
    private readonly relay: RelayService,
    private readonly clock: Clock,
    /** The web chat's ratepayers are texted (IntakeService.textsWebChat): the details form says so of the mobile number. */
    private readonly textsWebChat = false,
    timing: PlaceUpdateTiming = {},
  ) {
    this.settleMs = timing.settleMs ?? PLACE_UPDATE_SETTLE_MS;
    this.holdMs = timing.holdMs ?? PLACE_UPDATE_HOLD_MS;
    this.timers = timing.timers ?? systemTimers;
  }

  /**
   * What the ratepayer is told with a change, written in the change's own write (RelayService.notice):
   * "you are now connected" with a claim (the desk's or a supervisor's assignment), the summary
   * and the survey with a resolution, how to come back with a no-show.
   */
  outbox(kind: QueueEventKind, after: Case, now: Date): TranscriptEntry[] {
    return this.relay.notice(kind, after, now);
  }

  /**
   * Tells the ratepayer of one saved change (connected, handed back, moved, resolved: at once),
   * then has the places it changed told once the burst it belongs to settles (noteQueueChange).
   */
  async changed(change: CaseChangeNotice): Promise<void> {
    const { event, before, after: c } = change;
    // Noted before anything is awaited: a change prolongs the burst from the moment it is heard.
    if (!NOT_QUEUE.includes(event.kind)) this.noteQueueChange(this.categoryLeft(event));
    if (NOT_NEWS.includes(event.kind)) return;
    const locale = localeOf(c);
    const expertIn = (l: Locale) => (event.by.kind === 'staff' ? firstName(event.by.name) : t(l, 'updates.theExpert'));
    switch (event.kind) {
      case 'case.claimed':
      case 'case.resolved':
      case 'case.no_show': {
        // Written with the change itself (outbox): delivered, in order, now it is saved.
        const known = new Set((before?.transcript ?? []).map((e) => e.id));
        for (const entry of c.transcript ?? []) if (!known.has(entry.id)) await this.relay.redeliver(c, entry);
        break;
      }
      case 'case.cancelled': {
        // Only a supervisor's spam closure writes a notice with it (RelayService.notice), and it
        // always publishes `before`; a ratepayer's own cancel writes none (and publishes no `before`).
        if (c.closedAs !== 'spam' || !before) break;
        const known = new Set((before.transcript ?? []).map((e) => e.id));
        for (const entry of c.transcript ?? []) if (!known.has(entry.id)) await this.relay.redeliver(c, entry);
        break;
      }
      case 'case.released': {
        const place = await this.queue.placeOf(c);
        await this.toldAnew(c, place);
        await this.relay.tellRatepayer(
          c,
          told(locale, (l) => t(l, 'updates.released', { expert: expertIn(l), position: place.position, wait: describeWait(place.waitMinutes, l) })),
        );
        break;
      }
      case 'case.transferred': {
        const place = await this.queue.placeOf(c);
        await this.toldAnew(c, place);
        await this.relay.tellRatepayer(
          c,
          told(locale, (l) =>
            t(l, 'updates.transferred', { expert: expertIn(l), category: categoryNameIn(this.definition, c.category, l), position: place.position, wait: describeWait(place.waitMinutes, l) }),
          ),
        );
        // The new category's required details the intake lacks (transferCase recorded them): asked
        // of the ratepayer now, in their language and channel, kept on the transcript like any reply.
        // Staff read the same form from the catalogue in their language (its questions and choices).
        if (c.detailsAsked?.fields.length) {
          await this.relay.tellRatepayer(c, toldReply(locale, (l) => moreDetailsReply(this.definition, c, l, { smsNotices: this.textsWebChat })));
        }
        break;
      }
      default:
        break;
    }
  }

  /**
   * A change to the queues: a queue got shorter (`left`: a burst starts, or grows), or a case
   * came back, was queued, taken or finished (a burst under way waits on; none starts). The
   * burst is told when the queues have been still for settleMs, or holdMs after its first change
   * at the latest: one place update or slip per ratepayer, from the queues as they are then.
   *
   * In this instance's memory: a burst whose changes are published on two instances (each
   * change is heard by the instance that saved it) settles on each of them, so a ratepayer may
   * hear twice, once per instance, but never the same news twice (the conditional patches of
   * updatePlaces); a burst pending when the instance stops is not told (the next change is, and
   * "status" tells the place at any time).
   */
  private noteQueueChange(left: string | undefined): void {
    const now = this.clock.now().getTime();
    if (!this.burst) {
      if (!left) return;
      this.burst = { left: new Set([left]), since: now, timer: undefined };
    } else {
      if (left) this.burst.left.add(left);
      this.timers.clear(this.burst.timer);
    }
    const burst = this.burst;
    const wait = Math.max(0, Math.min(this.settleMs, burst.since + this.holdMs - now));
    burst.timer = this.timers.set(() => this.settle(burst), wait);
  }

  /** Tells the places of a burst that has settled (once; a later change starts a new burst). */
  private settle(burst: Burst): void {
    if (this.burst !== burst) return;
    this.burst = undefined;
    const run = this.updatePlaces(burst.left).catch((error: unknown) => this.log('could not tell the place updates of a burst of changes', error));
    this.telling = Promise.all([this.telling, run]).then(() => undefined);
  }

  /**
   * Forgets a burst not yet told (the service stops: see noteQueueChange) and settles when the
   * place updates being told are sent.
   */
  async stop(): Promise<void> {
    if (this.burst) this.timers.clear(this.burst.timer);
    this.burst = undefined;
    await this.telling;
  }

  /**
   * Looks for slipped waits in every queue of the programme, the queues being as they were: an
   * expert who leaves (their tab closed, their presence run out) or cases that run long make
   * waits slip without anyone leaving a queue, which is when updatePlaces looks. Run by the
   * scheduler (once across instances) every SLIP_CHECK_EVERY_MS; tells only slips (place updates
   * keep to their rules), each once, as updatePlaces does, and only a slip this check saw the
   * time before too: a state of the desk that lasts, not a moment between two acts of one agent
   * (a tab reloaded, a case resolved and the next not yet claimed). The categories of a burst under
   * way are left to its settling (updatePlaces), which looks at their slips from the settled queues.
   */
  async checkSlips(): Promise<void> {
    const now = this.clock.now();
    const all = this.definition.categories.map((c) => c.code);
    const seen = new Set<string>();
    // The queues of a burst under way are looked at when it settles: not between two of its changes.
    const settling = this.burst ? this.sharedWith(this.burst.left) : new Set<string>();
    for (const { case: c, place } of await this.queue.placesIn(this.definition.programme.id, all)) {
      if (settling.has(c.category)) {
        if (this.slippedLastCheck.has(c.id)) seen.add(c.id);
        continue;
      }
      const slip = waitSlip(c, place, now);
      if (!slip) continue;
      seen.add(c.id);
      if (this.slippedLastCheck.has(c.id)) await this.tellSlip(c, place, slip, now);
    }
    this.slippedLastCheck = seen;
  }

  /**
   * Records the place and wait a released or transferred case's ratepayer is about to be told as
   * the baseline for place updates and slips, in its (new) category: the lifecycle dropped the old
   * one (releaseCase, transferCase), so the condition is that none is recorded yet. Until it is,
   * waitSlip finds no baseline and tells nothing.
   */
  private async toldAnew(c: Case, place: Place): Promise<void> {
    await this.cases.recordPlaceNotified(c.id, placeTold(place, this.clock.now(), c.category), undefined).catch((error) => {
      // The message still goes out; without a baseline the case is told no slip, only its place.
      this.log(`could not record the wait told with a release or transfer on ${c.id}`, error);
    });
  }

  /** Tells a waiting ratepayer, once (recorded first, conditionally), that their wait slipped and why. */
  private async tellSlip(c: StoredCase, place: Place, slip: WaitSlipReason, now: Date): Promise<void> {
    const toldNow = placeTold(place, now, c.category);
    const mine = await this.cases.recordWaitSlip(c.id, { at: toldNow.at, reason: slip, expectedAt: toldNow.expectedAt! }, toldNow);
    if (!mine) return;
    const locale = localeOf(c);
    const words = (l: Locale) =>
      t(l, 'updates.waitSlipped', { wait: describeWait(place.waitMinutes, l), why: t(l, `updates.slipReason.${slip}`), position: place.position, category: categoryNameIn(this.definition, c.category, l) });
    // Kept on the transcript, unlike place updates (news the next one replaces): it changes the
    // wait the ratepayer was promised, which the expert who takes the case should read (tester 7,
    // finding 13: the expert's transcript lacked it).
    await this.relay.tellRatepayer(c, { ...told(locale, words), notice: 'place' }).catch((error: unknown) => this.log(`could not tell the wait slip on ${c.id}`, error));
  }

  /** The category whose queue got shorter with this event, if any. */
  private categoryLeft(event: NewQueueEvent): string | undefined {
    if (event.kind === 'case.claimed' || event.kind === 'case.cancelled') return event.category;
    if (event.kind === 'case.transferred') return event.previousCategory;
    return undefined;
  }

  /** The categories `left` and every category an agent of one of them also works. */
  private sharedWith(left: ReadonlySet<string>): Set<string> {
    const shared = new Set(left);
    for (const s of this.definition.staff) if (s.role === 'agent' && s.skills.some((k) => left.has(k))) for (const k of s.skills) shared.add(k);
    return shared;
  }

  /**
   * Tells the waiting ratepayers of the categories whose queue got shorter (`left`, a settled
   * burst's) whose place improved materially; and, once, those whose wait slipped by more than
   * WAIT_SLIP_MINUTES from what they were told, with the reason (that message gives their place
   * too, so it stands in for a place update due at the same time). One read of the queues, so one
   * message at most per ratepayer. Slips are looked for in every category an agent of these also
   * works: an expert who takes a credit-control case is not taking a billing one.
   */
  private async updatePlaces(left: ReadonlySet<string>): Promise<void> {
    const now = this.clock.now();
    for (const { case: c, place } of await this.queue.placesIn(this.definition.programme.id, [...this.sharedWith(left)])) {
      const locale = localeOf(c);
      const name = categoryNameIn(this.definition, c.category, locale);
      const slip = waitSlip(c, place, now);
      if (slip) {
        await this.tellSlip(c, place, slip, now);
        continue;
      }
      // Place updates only where the queue got shorter: the rules for them are unchanged.
      if (!left.has(c.category)) continue;
      if (!placeUpdateDue(c.notified, place.position, now)) continue;
      // Recorded first, conditionally: two instances handling two changes at once tell it once.
      const mine = await this.cases.recordPlaceNotified(c.id, placeTold(place, now, c.category), c.notified?.position);
      if (!mine) continue;
      const text =
        place.position === 1
          ? t(locale, 'updates.next', { category: name })
          : t(locale, 'updates.closer', { position: place.position, category: name, wait: describeWait(place.waitMinutes, locale) });
      await this.relay.notify(c, { text }, 'place').catch(() => undefined);
    }
  }
}
