import assert from 'node:assert/strict';
import { CosmosLeaseStore } from '../../bot/platform/cosmos/leaseStore.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import type { Clock } from '../../bot/platform/ports/clock.js';
import { SessionScheduler, type SessionEvent } from '../../bot/platform/scheduler/sessionScheduler.js';
import { freshDatabase } from '../support/cosmos.js';
import { ManualClock } from '../support/manualClock.js';

const pilot: ServiceDefinition = loadDefinition('bot/definitions/joburg-region-b-pilot.json');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the session scheduler (one lease in Cosmos DB, many instances)', function () {
  this.timeout(20_000);

  async function pair(clock: Clock, options: { leaseDurationMs?: number; tickIntervalMs?: number } = {}) {
    const db = await freshDatabase();
    const make = (name: string) => {
      const s = new SessionScheduler(pilot, new CosmosLeaseStore(db.leases), clock, {
        instanceId: name,
        leaseDurationMs: options.leaseDurationMs ?? 30_000,
        tickIntervalMs: options.tickIntervalMs ?? 5_000,
        closingSoonMinutes: 15,
        onError: (e) => {
          throw e;
        },
      });
      const seen: string[] = [];
      s.onSessionEvent((e: SessionEvent) => void seen.push(`${e.kind} ${e.session.id}`));
      let ticks = 0;
      s.onTick(() => void ticks++);
      return { s, seen, ticks: () => ticks };
    };
    return { db, a: make('instance-a'), b: make('instance-b') };
  }

  it('runs a whole pilot session once across two instances: opened, closing soon at 19:45, closed at 20:00', async () => {
    const clock = new ManualClock(new Date('2022-08-01T14:50:00Z')); // 16:50 in Johannesburg
    const { a, b } = await pair(clock);
    // Before the session: both tick, one holds the lease, nothing happens.
    await Promise.all([a.s.tick(), b.s.tick()]);
    assert.equal([a.s.isHolder, b.s.isHolder].filter(Boolean).length, 1, 'exactly one instance holds the lease');
    assert.deepEqual([...a.seen, ...b.seen], []);
    // Walk through the evening a minute at a time, both instances ticking each minute (and renewing).
    for (let minute = 0; minute < 200; minute++) {
      clock.advance(60_000);
      await Promise.all([a.s.tick(), b.s.tick()]);
    }
    const all = [...a.seen, ...b.seen];
    assert.deepEqual(all, ['opened 2022-08-01T17:00', 'closingSoon 2022-08-01T17:00', 'closed 2022-08-01T17:00']);
    assert.ok(a.seen.length === 0 || b.seen.length === 0, 'all of it by one instance');
    assert.equal(Math.min(a.ticks(), b.ticks()), 0, 'tick jobs ran on one instance only');
    assert.equal(Math.max(a.ticks(), b.ticks()), 201);
  });

  it('the closing-soon event comes at the configured lead time', async () => {
    const clock = new ManualClock(new Date('2022-08-02T15:00:00Z')); // 17:00
    const db = await freshDatabase();
    const s = new SessionScheduler(pilot, new CosmosLeaseStore(db.leases), clock, { closingSoonMinutes: 10 });
    const seen: string[] = [];
    s.onSessionEvent((e) => void seen.push(`${e.kind}@${e.at.toISOString().slice(11, 16)}`));
    for (let minute = 0; minute <= 180; minute += 5) {
      await s.tick();
      clock.advance(5 * 60_000);
    }
    assert.deepEqual(seen, ['opened@15:00', 'closingSoon@17:50', 'closed@18:00']);
  });

  it('when the holder dies, the other instance takes over after the lease expires and does not repeat finished events', async () => {
    const clock = new ManualClock(new Date('2022-08-03T15:05:00Z')); // 17:05, session open
    const { a, b } = await pair(clock, { leaseDurationMs: 30_000 });
    await a.s.tick();
    await b.s.tick();
    assert.deepEqual(a.seen, ['opened 2022-08-03T17:00']);
    assert.equal(b.s.isHolder, false);
    // a crashes (stops without giving the lease up).
    await a.s.stop({ release: false });
    clock.advance(20_000);
    await b.s.tick();
    assert.equal(b.s.isHolder, false, 'the lease has not expired yet');
    clock.advance(11_000);
    await b.s.tick();
    assert.equal(b.s.isHolder, true, 'taken over once the lease expired');
    assert.deepEqual(b.seen, [], 'the opening is not handled twice');
    clock.set('2022-08-03T17:50:00Z'); // 19:50
    await b.s.tick();
    clock.set('2022-08-03T18:00:00Z'); // 20:00
    await b.s.tick();
    assert.deepEqual(b.seen, ['closingSoon 2022-08-03T17:00', 'closed 2022-08-03T17:00']);
  });

  it('on real timers: exactly one acts; kill it and the other takes over within the lease time', async () => {
    const clock: Clock = { now: () => new Date() };
    const { a, b } = await pair(clock, { leaseDurationMs: 600, tickIntervalMs: 100 });
    a.s.start();
    b.s.start();
    await sleep(500);
    const holder = a.s.isHolder ? a : b;
    const other = holder === a ? b : a;
    assert.equal(holder.s.isHolder && !other.s.isHolder, true, 'exactly one holder');
    assert.equal(other.ticks(), 0, 'the other instance did nothing');
    const killedAt = Date.now();
    await holder.s.stop({ release: false });
    while (!other.s.isHolder && Date.now() - killedAt < 3000) await sleep(20);
    const took = Date.now() - killedAt;
    assert.ok(other.s.isHolder, 'the other instance took over');
    assert.ok(took <= 600 + 100 + 150, `took over after ${took} ms (lease 600 ms, tick 100 ms)`);
    console.log(`      took over ${took} ms after the holder died (lease 600 ms, ticks every 100 ms)`);
    // A clean stop hands over at once.
    const beforeRelease = Date.now();
    await other.s.stop();
    holder.s.start();
    while (!holder.s.isHolder && Date.now() - beforeRelease < 3000) await sleep(10);
    assert.ok(Date.now() - beforeRelease < 400, 'a released lease is taken at the next tick');
    await holder.s.stop();
  });
});
