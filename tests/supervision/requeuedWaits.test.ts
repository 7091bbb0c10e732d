/**
 * A case handed back to the queue waits again, and the supervisor's charts count that second wait
 * (tester 9): released, transferred or reopened. Over real HTTP with the embedded Cosmos DB, GET
 * /api/supervisor/overview's queue series ends at the three cases waiting now, as the table counts them, and its wait histogram has
 * each case's first wait (taken) and its second (still waiting). Before, only the first wait was
 * read: the chart said nobody was waiting and both waits counted as taken.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openSessionAt } from '../../bot/domain/calendar.js';
import { claimCase, openCase, releaseCase, resolveCase, transferCase, type Case } from '../../bot/domain/case.js';
import { reopenCase } from '../../bot/domain/followThrough.js';
import { referenceFromSeed } from '../../bot/domain/reference.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';

const definition = definitionWithAgents();
const MINUTE = 60_000;
const thandi = { kind: 'staff' as const, id: 'thandi', name: 'Thandi Mokoena' };

describe('a case handed back to the queue in the supervisor charts (tester 9)', function () {
  this.timeout(60_000);
  let service: RunningService;

  before(async () => {
    const db = await freshDatabase();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    const store = new CosmosCaseStore(db.cases);
    const session = openSessionAt(definition, new Date())!;
    const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE);
    const opened = (minutesAgo: number): Case => {
      const draftId = randomUUID();
      return openCase({
        reference: referenceFromSeed(draftId, 0),
        programmeId: definition.programme.id,
        category: 'billing',
        region: 'B',
        sessionId: session.id,
        draftId,
        ratepayer: { userId: `29:${draftId}`, displayName: 'Lerato Molefe', conversationId: `a:${draftId}`, channelId: 'msteams' },
        intake: { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', description: 'help' },
        now: ago(minutesAgo),
      });
    };
    // Joined 20 minutes ago, taken after 5, released 11 minutes ago: waiting again for 11 minutes.
    const released = releaseCase(claimCase(opened(20), ago(15), thandi), ago(11), thandi);
    // Joined 30 minutes ago, taken after 2, transferred to rates 7 minutes ago: waiting for 7.
    const transferred = transferCase(claimCase(opened(30), ago(28), thandi), ago(7), thandi, 'rates', 'A rates query.');
    // Joined 40 minutes ago, taken after 1, resolved, and reopened by the ratepayer 3 minutes ago: waiting for 3.
    const done = resolveCase(claimCase(opened(40), ago(39), thandi), ago(35), thandi, { kind: 'resolved', summary: 'Explained.' }, 365);
    const lerato = { kind: 'ratepayer' as const, id: done.ratepayer.userId, name: 'Lerato Molefe' };
    const reopened = reopenCase(done, ago(3), lerato, { reopenDays: 7 }, session.id);
    for (const c of [released, transferred, reopened]) assert.ok((await store.create(c)).created);
  });
  after(async () => {
    await service?.close();
  });

  it('the queue series ends at the three cases waiting again, and the histogram counts each one\'s first wait (taken) and second (waiting)', async () => {
    const johan = await signIn(service, 'johan');
    const overview = (await johan.get('/api/supervisor/overview')).body;
    assert.equal(overview.summary.totals.waiting, 3, 'the table: three waiting');
    const timeline = overview.timeline as { at: string; waiting: number }[];
    assert.equal(timeline.at(-1)!.waiting, 3, `the chart ends at three waiting, as the table says (${JSON.stringify(timeline)})`);
    // One more as each came back: released 11 minutes ago, transferred 7, reopened 3.
    const at = (minutesAgo: number) => timeline.filter((p) => Date.parse(p.at) <= Date.now() - minutesAgo * MINUTE).at(-1)!.waiting;
    assert.deepEqual([at(12), at(9), at(5), at(1)], [0, 1, 2, 3], `between the waits (${JSON.stringify(timeline)})`);
    const waits = Object.fromEntries((overview.waits as { label: string; served: number; notServed: number }[]).map((b) => [b.label, [b.served, b.notServed]]));
    assert.deepEqual(
      [waits['0–5 min'], waits['5–10 min'], waits['10–15 min']],
      [
        [2, 1], // the transferred case's first wait, 2 minutes, and the reopened one's, 1, taken; the reopened case's second, 3 so far
        [1, 1], // the released case's first wait, 5 minutes, taken; the transferred case's second, 7 so far
        [0, 1], // the released case's second wait, 11 minutes so far
      ],
    );
  });
});
