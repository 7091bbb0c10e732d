/**
 * Messages to a ratepayer that lost their sender. An expert's message, or the bot's own ("you
 * are now connected", the summary card, the survey), is written on the case's transcript naming
 * the instance that delivers it; that instance sends it (paced, retried for up to 15 minutes)
 * and records the outcome. If the instance stops first — a crash, a scale-in, a deploy — nothing
 * else would ever send it. The scheduler's lease holder runs this on its ticks: a message without
 * an outcome whose sender no longer beats (see `instanceAlive`) is taken over with a conditional
 * write, so one instance only sends it again, and delivered as it was first meant to be.
 *
 * A sender that stopped after Teams accepted the message but before recording it gets it sent
 * twice: a message twice is better than "you are now connected" never.
 */
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';
import type { CaseStore } from '../ports/caseStore.js';
import type { Clock } from '../ports/clock.js';
import type { LeaseStore } from '../ports/lease.js';
import type { RelayService } from '../../ratepayers/relay.js';
import { instanceAlive } from './sessionScheduler.js';

/** How often the lease holder looks (its ticks come every 5 s). */
export const RECOVERY_EVERY_MS = 15_000;
/** A message younger than this is left to its sender, alive or not: it is most likely still being sent. */
const GRACE_MS = 10_000;
/** Closed cases are looked at for this long after their last change (their summary and survey). */
const LOOK_BACK_MS = 60 * 60_000;
/** Cases looked at in one round. */
const CASES_PER_ROUND = 500;

/** The recovery job of one instance. */
export class DeliveryRecovery {
  private lastRound: number | undefined;

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly relay: RelayService,
    private readonly leases: LeaseStore,
    private readonly clock: Clock,
    private readonly instanceId: string,
  ) {}

  /** One round (at most every RECOVERY_EVERY_MS): takes over and sends again what lost its sender; returns how many. */
  async run(now = this.clock.now()): Promise<number> {
    const t = now.getTime();
    if (this.lastRound !== undefined && t >= this.lastRound && t - this.lastRound < RECOVERY_EVERY_MS) return 0;
    this.lastRound = t;
    const changedSince = new Date(t - LOOK_BACK_MS).toISOString();
    const alive = new Map<string, Promise<boolean>>();
    const senderAlive = (id: string) => {
      let known = alive.get(id);
      if (!known) alive.set(id, (known = instanceAlive(this.leases, id, now)));
      return known;
    };
    let taken = 0;
    for (const c of await this.cases.listInConversation(this.definition.programme.id, changedSince, CASES_PER_ROUND)) {
      for (const [index, entry] of (c.transcript ?? []).entries()) {
        const sender = entry.sender;
        // The ratepayer's own words need no delivery; messages from before senders were named are left as they are.
        if (entry.from === 'ratepayer' || !sender || sender === this.instanceId || c.deliveries?.[entry.id]) continue;
        if (t - Date.parse(entry.at) < GRACE_MS || (await senderAlive(sender))) continue;
        if (!(await this.cases.takeOverDelivery(c.id, index, entry.id, sender, this.instanceId))) continue;
        taken++;
        // Paced and retried by the messenger; its outcome is recorded on the case like the first try's.
        void this.relay.redeliver(c, entry);
      }
    }
    return taken;
  }
}
