/**
 * A scheduler job that waits on the network (a supervisors' channel whose connector never
 * answers) never holds up the scheduler's other work (issue 12 item 12): the other jobs run, the
 * lease is renewed, the stuck job is not started twice, a session event is recorded only once
 * every job has run it, and a stop does not wait for the stuck job.
 */
import assert from 'node:assert/strict';
import { CosmosLeaseStore } from '../../bot/platform/cosmos/leaseStore.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import { SessionScheduler, type SessionEvent } from '../../bot/platform/scheduler/sessionScheduler.js';
import { freshDatabase } from '../support/cosmos.js';
import { ManualClock } from '../support/manualClock.js';

const pilot: ServiceDefinition = loadDefinition('bot/definitions/joburg-region-b-pilot.json');

/** A job that waits until released, counting its starts. */
function stuckJob() {
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));
  const job = {
    starts: 0,
    run: async () => {
      job.starts++;
      await gate;
    },
    release: () => {
      release();
      gate = new Promise<void>((resolve) => (release = resolve));
    },
  };
  return job;
}

/** The tick, or "held up" if it has not finished within `ms`. */
async function within<T>(ms: number, work: Promise<T>): Promise<T | 'held up'> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([work, new Promise<'held up'>((resolve) => (timer = setTimeout(() => resolve('held up'), ms)))]);
  clearTimeout(timer);
  return result;
}

describe('the scheduler\'s jobs: one waiting on the network holds up nothing else', function () {
  this.timeout(20_000);

  async function scheduler(clock: ManualClock, name = 'instance-a', db?: Awaited<ReturnType<typeof freshDatabase>>) {
    const database = db ?? (await freshDatabase());
    const s = new SessionScheduler(pilot, new CosmosLeaseStore(database.leases), clock, {
      instanceId: name,
      leaseDurationMs: 30_000,
      jobWaitMs: 200,
      stopWaitMs: 300,
      onError: () => undefined,
    });
    return { s, db: database };
  }

  it('a tick job that never answers: the tick returns, the other jobs run every tick, and it is not started again while it runs', async () => {
    const clock = new ManualClock(new Date('2022-08-01T15:30:00Z')); // 17:30, a session open
    const { s } = await scheduler(clock);
    const stuck = stuckJob();
    let others = 0;
    s.onTick(() => stuck.run());
    s.onTick(() => void others++);
    for (let i = 1; i <= 3; i++) {
      clock.advance(5_000);
      const result = await within(2_000, s.tick());
      assert.notEqual(result, 'held up', `tick ${i} was held up by the stuck job`);
      assert.equal(others, i, 'the other job ran on every tick');
    }
    assert.equal(stuck.starts, 1, 'the stuck job was not started again while it ran');
    stuck.release();
    await new Promise((r) => setTimeout(r, 10));
    await s.tick();
    assert.equal(stuck.starts, 2, 'once finished it runs again at the next tick');
    stuck.release();
  });

  it('keeps the lease while a job is stuck: another instance never takes it over', async () => {
    const clock = new ManualClock(new Date('2022-08-01T15:30:00Z'));
    const { s: a, db } = await scheduler(clock, 'instance-a');
    const { s: b } = await scheduler(clock, 'instance-b', db);
    const stuck = stuckJob();
    a.onTick(() => stuck.run());
    await a.tick();
    for (let i = 0; i < 10; i++) {
      clock.advance(10_000); // 100 s in all: three lease lifetimes
      assert.notEqual(await within(2_000, a.tick()), 'held up');
      await b.tick();
      assert.equal(a.isHolder, true);
      assert.equal(b.isHolder, false);
    }
    stuck.release();
  });

  it('a session event is recorded only when every job has run it; the jobs that ran it do not run it again', async () => {
    const clock = new ManualClock(new Date('2022-08-01T14:59:00Z')); // 16:59, before the pilot's first session
    const { s } = await scheduler(clock);
    const stuck = stuckJob();
    const seen: string[] = [];
    s.onSessionEvent((e: SessionEvent) => (e.kind === 'opened' ? stuck.run() : undefined));
    s.onSessionEvent((e: SessionEvent) => void seen.push(e.kind));
    await s.tick();
    clock.set('2022-08-01T15:00:30Z'); // 17:00:30: the session opens
    const first = await within(2_000, s.tick());
    assert.notEqual(first, 'held up');
    assert.deepEqual(seen, ['opened'], 'the other job ran the opening at once');
    assert.deepEqual((first as { events: SessionEvent[] }).events, [], 'not recorded while a job has not run it');
    clock.advance(5_000);
    assert.deepEqual((await s.tick()).events, [], 'still not recorded');
    assert.deepEqual(seen, ['opened'], 'and not run again by the job that ran it');
    stuck.release();
    await new Promise((r) => setTimeout(r, 10));
    clock.advance(5_000);
    assert.deepEqual((await s.tick()).events.map((e) => e.kind), ['opened'], 'recorded once the stuck job finished');
    assert.deepEqual(seen, ['opened']);
    assert.equal(stuck.starts, 1);
  });

  it('stop() does not wait for a stuck job, and gives the lease up so another instance takes over at once', async () => {
    const clock = new ManualClock(new Date('2022-08-01T15:30:00Z'));
    const { s: a, db } = await scheduler(clock, 'instance-a');
    const { s: b } = await scheduler(clock, 'instance-b', db);
    const stuck = stuckJob();
    a.onTick(() => stuck.run());
    const ticking = a.tick();
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    assert.notEqual(await within(2_000, a.stop()), 'held up');
    assert.ok(Date.now() - started < 1_000, `stopped in ${Date.now() - started} ms`);
    await ticking;
    await b.tick();
    assert.equal(b.isHolder, true, 'the other instance took the lease at its next tick');
    stuck.release();
  });
});
