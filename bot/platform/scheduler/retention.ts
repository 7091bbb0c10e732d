/**
 * Retention (POPIA s14): a closed case is kept for the programme's retention period, then goes;
 * so does a ratepayer's conversation (where to reach them, their Teams name) that period after it
 * was last written. In Azure Cosmos DB their own `ttl` deletes them; a store without TTL expiry
 * (the embedded server, an emulator, a restored backup) would keep them for ever, so this sweep
 * deletes what the TTL would have. Where TTL works it finds nothing: the same path runs
 * everywhere and is tested.
 */
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';
import type { CaseStore } from '../ports/caseStore.js';
import type { ConversationStore } from '../ports/conversationStore.js';

/** Cases (and conversations) deleted per sweep, at most; the next sweep carries on. */
const BATCH = 200;

/** The retention sweep. */
export class RetentionSweep {
  private lastRun = 0;

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly conversations: ConversationStore,
    /** How often the sweep runs at most (the scheduler ticks every few seconds). */
    private readonly everyMs = 60 * 60_000,
  ) {}

  /** Deletes closed cases and personal conversations past retention; returns how many. Runs at most once per `everyMs`. */
  async sweep(now: Date, force = false): Promise<number> {
    if (!force && now.getTime() - this.lastRun < this.everyMs) return 0;
    this.lastRun = now.getTime();
    const cutoff = new Date(now.getTime() - this.definition.limits.retentionDays * 86_400_000).toISOString();
    let removed = 0;
    for (const id of await this.cases.listClosedBefore(cutoff, BATCH)) if (await this.cases.remove(id)) removed++;
    for (const id of await this.conversations.listPersonalWrittenBefore(cutoff, BATCH)) if (await this.conversations.remove(id)) removed++;
    return removed;
  }
}
