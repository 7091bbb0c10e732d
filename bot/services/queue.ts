/** A waiting case's place in its category queue and the estimated wait. */
import type { Case } from '../domain/case.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import { describeWait, estimateWait } from '../domain/waitEstimate.js';
import type { CaseStore, StoredCase } from '../ports/caseStore.js';
import type { DutyRoster } from './dutyRoster.js';

/** How many recent resolutions feed the estimate. */
const HISTORY_SAMPLES = 20;

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
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly roster: DutyRoster,
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
      this.cases.recentHandlingMinutes(programmeId, categoryCode, HISTORY_SAMPLES),
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
      this.cases.recentHandlingMinutes(c.programmeId, c.category, HISTORY_SAMPLES),
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
}
