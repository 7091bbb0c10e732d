/**
 * What the ratepayer hears when something happens to their case elsewhere: connected with an
 * expert, handed back or moved (keeping their place), resolved (summary and survey), closed as a
 * no-show, and their place improving while they wait. A listener of the changes this instance
 * saves (bot/platform/flow/caseEvents.ts, registered in bot/service.ts), so each change is told once
 * however many instances run.
 */
import { firstName, placeTold, placeUpdateDue, waitSlip, type Case, type TranscriptEntry } from '../domain/case.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import type { CaseStore } from '../platform/ports/caseStore.js';
import type { Clock } from '../platform/ports/clock.js';
import type { NewQueueEvent, QueueEventKind } from '../platform/ports/queueEvents.js';
import type { CaseChangeNotice, CaseEventListener } from '../platform/flow/caseEvents.js';
import type { QueueService } from './queue.js';
import type { RelayService } from './relay.js';
import { errorLogger } from '../platform/log.js';
import { localeOf, t } from '../messages/index.js';

/** Changes the ratepayer is told of in the turn that caused them, or that are not news to them. */
const NOT_NEWS: readonly QueueEventKind[] = ['case.message', 'case.noted', 'case.queued', 'case.updated'];

/** The ratepayer updates service. */
export class RatepayerUpdates implements CaseEventListener {
  readonly name = 'ratepayer-updates';

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly queue: QueueService,
    private readonly relay: RelayService,
    private readonly clock: Clock,
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
    const expert = event.by.kind === 'staff' ? firstName(event.by.name) : t(locale, 'updates.theExpert');
    const categoryName = (code: string) => categoryByCode(this.definition, code)?.name ?? code;
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
        await this.relay.tellRatepayer(c, {
          text: t(locale, 'updates.released', { expert, position: place.position, wait: place.waitText }),
        });
        break;
      }
      case 'case.transferred': {
        const place = await this.queue.placeOf(c);
        await this.relay.tellRatepayer(c, {
          text: t(locale, 'updates.transferred', { expert, category: categoryName(c.category), position: place.position, wait: place.waitText }),
        });
        break;
      }
      default:
        break;
    }
    const left = this.categoryLeft(event);
    if (left) await this.updatePlaces(left);
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
    const nameOf = (code: string) => categoryByCode(this.definition, code)?.name ?? code;
    const shared = new Set([category]);
    for (const s of this.definition.staff) if (s.role === 'agent' && s.skills.includes(category)) for (const k of s.skills) shared.add(k);
    for (const { case: c, place } of await this.queue.placesIn(this.definition.programme.id, [...shared])) {
      const name = nameOf(c.category);
      const locale = localeOf(c);
      const slip = waitSlip(c, place, now);
      if (slip) {
        const told = placeTold(place, now);
        const mine = await this.cases.recordWaitSlip(c.id, { at: told.at, reason: slip, expectedAt: told.expectedAt! }, told);
        if (!mine) continue;
        const why = t(locale, `updates.slipReason.${slip}`);
        const text = t(locale, 'updates.waitSlipped', { wait: place.waitText, why, position: place.position, category: name });
        await this.relay.notify(c, { text }).catch(() => undefined);
        continue;
      }
      // Place updates only where the queue got shorter: the rules for them are unchanged.
      if (c.category !== category) continue;
      if (!placeUpdateDue(c.notified, place.position, now)) continue;
      // Recorded first, conditionally: two instances handling two changes at once tell it once.
      const mine = await this.cases.recordPlaceNotified(c.id, placeTold(place, now), c.notified?.position);
      if (!mine) continue;
      const text =
        place.position === 1
          ? t(locale, 'updates.next', { category: name })
          : t(locale, 'updates.closer', { position: place.position, category: name, wait: place.waitText });
      await this.relay.notify(c, { text }).catch(() => undefined);
    }
  }
}
