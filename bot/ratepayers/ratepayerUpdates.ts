/**
 * What the ratepayer hears when something happens to their case elsewhere: connected with an
 * expert, handed back or moved (keeping their place), resolved (summary and survey), closed as a
 * no-show, and their place improving while they wait. A listener of the changes this instance
 * saves (bot/platform/flow/caseEvents.ts, registered in bot/service.ts), so each change is told once
 * however many instances run.
 */
import { firstName, placeTold, placeUpdateDue, waitSlip, type Case, type TranscriptEntry, type WaitSlipReason } from '../domain/case.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import { categoryName as categoryNameIn } from '../messages/programme.js';
import { describeWait } from '../messages/time.js';
import type { CaseStore, StoredCase } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
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

/** The ratepayer updates service. */
export class RatepayerUpdates implements CaseEventListener {
  readonly name = 'ratepayer-updates';
  /** The cases whose wait had slipped at the last checkSlips. */
  private slippedLastCheck = new Set<string>();
  /** For operators: the reference and the error, never what the ratepayer was told. */
  private readonly log = errorLogger('ratepayer-updates');

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly queue: QueueService,
    private readonly relay: RelayService,
    private readonly clock: Clock,
    /** The web chat's ratepayers are texted (IntakeService.textsWebChat): the details form says so of the mobile number. */
    private readonly textsWebChat = false,
  ) {}

  /**
   * What the ratepayer is told with a change, written in the change's own write (RelayService.notice):
   * "you are now connected" with a claim (the desk's or a supervisor's assignment), the summary
   * and the survey with a resolution, how to come back with a no-show.
   */
  outbox(kind: QueueEventKind, after: Case, now: Date): TranscriptEntry[] {
    return this.relay.notice(kind, after, now);
  }

  /** Tells the ratepayer of one saved change, then updates the places it changed. */
  async changed(change: CaseChangeNotice): Promise<void> {
    const { event, before, after: c } = change;
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
    const left = this.categoryLeft(event);
    if (left) await this.updatePlaces(left);
  }

  /**
   * Looks for slipped waits in every queue of the programme, the queues being as they were: an
   * expert who leaves (their tab closed, their presence run out) or cases that run long make
   * waits slip without anyone leaving a queue, which is when updatePlaces looks. Run by the
   * scheduler (once across instances) every SLIP_CHECK_EVERY_MS; tells only slips (place updates
   * keep to their rules), each once, as updatePlaces does, and only a slip this check saw the
   * time before too: a state of the desk that lasts, not a moment between two acts of one agent
   * (a tab reloaded, a case resolved and the next not yet claimed).
   */
  async checkSlips(): Promise<void> {
    const now = this.clock.now();
    const all = this.definition.categories.map((c) => c.code);
    const seen = new Set<string>();
    for (const { case: c, place } of await this.queue.placesIn(this.definition.programme.id, all)) {
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

  /**
   * Tells the waiting ratepayers of a category whose place improved materially; and, once, those
   * whose wait slipped by more than WAIT_SLIP_MINUTES from what they were told, with the reason
   * (that message gives their place too, so it stands in for a place update due at the same time).
   * Slips are looked for in every category an agent of this one also works: an expert who takes
   * a credit-control case is not taking a billing one.
   */
  private async updatePlaces(category: string): Promise<void> {
    const now = this.clock.now();
        const shared = new Set([category]);
    for (const s of this.definition.staff) if (s.role === 'agent' && s.skills.includes(category)) for (const k of s.skills) shared.add(k);
    for (const { case: c, place } of await this.queue.placesIn(this.definition.programme.id, [...shared])) {
      const locale = localeOf(c);
      const name = categoryNameIn(this.definition, c.category, locale);
      const slip = waitSlip(c, place, now);
      if (slip) {
        await this.tellSlip(c, place, slip, now);
        continue;
      }
      // Place updates only where the queue got shorter: the rules for them are unchanged.
      if (c.category !== category) continue;
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
