/** A waiting case's place in its category queue and the estimated wait. */
import type { Case } from '../domain/case.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import { describeWait, estimateWait } from '../domain/waitEstimate.js';
import type { CaseStore, StoredCase } from '../ports/caseStore.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { DutyRoster } from './dutyRoster.js';

/** How many recent resolutions feed the estimate. */
const HISTORY_SAMPLES = 20;

/**
 * How long a category's recent handling times are reused. An estimate from the last twenty
 * resolutions hardly moves in half a minute, and every submission and place update needs one:
 * reading them once per category per half minute instead takes a query off each of those.
 */
export const HANDLING_TIMES_REUSE_MS = 30_000;

/** Where a case stands. */
export interface Place {
  position: number;
  waitMinutes: number;
  waitText: string;
  basis: 'history' | 'default';
  agentsOnDuty: number;
}

/** Works out places and waits from the store and the duty roster. */
export class QueueService {
  private readonly handlingTimes = new Map<string, { at: number; minutes: Promise<number[]> }>();

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly roster: DutyRoster,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Every waiting case of a category with its place and wait, from one queue read (for the
   * place updates that follow a change to the queue).
   */
  async placesIn(programmeId: string, categoryCode: string, limit = 500): Promise<{ case: StoredCase; place: Place }[]> {
    const category = categoryByCode(this.definition, categoryCode);
    const [waiting, agentsOnDuty, recent] = await Promise.all([
      this.cases.listWaiting(programmeId, [categoryCode], limit),
      this.roster.agentsOnDuty(categoryCode),
      this.recentHandlingMinutes(programmeId, categoryCode),
    ]);
    return waiting.map((c, index) => {
      const estimate = estimateWait({
        position: index + 1,
        agentsOnDuty,
        recentHandlingMinutes: recent,
        defaultHandlingMinutes: category?.defaultHandlingMinutes ?? 15,
      });
      return {
        case: c,
        place: { position: index + 1, waitMinutes: estimate.minutes, waitText: describeWait(estimate.minutes), basis: estimate.basis, agentsOnDuty },
      };
    });
  }

  /** The place of a waiting case: one more than the cases ahead of it in its category. */
  async placeOf(c: Pick<Case, 'programmeId' | 'category' | 'queueKey' | 'region'>): Promise<Place> {
    const category = categoryByCode(this.definition, c.category);
    const [ahead, agentsOnDuty, recent] = await Promise.all([
      this.cases.countWaitingAhead(c.programmeId, c.category, c.queueKey),
      this.roster.agentsOnDuty(c.category, c.region),
      this.recentHandlingMinutes(c.programmeId, c.category),
    ]);
    const position = ahead + 1;
    const estimate = estimateWait({
      position,
      agentsOnDuty,
      recentHandlingMinutes: recent,
      defaultHandlingMinutes: category?.defaultHandlingMinutes ?? 15,
    });
    return {
      position,
      waitMinutes: estimate.minutes,
      waitText: describeWait(estimate.minutes),
      basis: estimate.basis,
      agentsOnDuty,
    };
  }

  /** The category's recent handling times, read at most once per HANDLING_TIMES_REUSE_MS; a failed read is not kept. */
  private recentHandlingMinutes(programmeId: string, category: string): Promise<number[]> {
    const key = `${programmeId}\u0000${category}`;
    const now = this.clock.now().getTime();
    const kept = this.handlingTimes.get(key);
    if (kept && now - kept.at >= 0 && now - kept.at < HANDLING_TIMES_REUSE_MS) return kept.minutes;
    const minutes = this.cases.recentHandlingMinutes(programmeId, category, HISTORY_SAMPLES);
    this.handlingTimes.set(key, { at: now, minutes });
    minutes.catch(() => {
      if (this.handlingTimes.get(key)?.minutes === minutes) this.handlingTimes.delete(key);
    });
    return minutes;
  }
}
