/**
 * Supervisors see waiting cases per language (issue 16): the supervisor view's summary and queue
 * rows over the API (real HTTP, the embedded Cosmos DB), and the live summary card.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { openSessionAt } from '../../bot/domain/calendar.js';
import { openCase, type Case } from '../../bot/domain/case.js';
import { referenceFromSeed } from '../../bot/domain/reference.js';
import { liveSummary, summaryFingerprint } from '../../bot/domain/sessionReport.js';
import { summaryCard } from '../../bot/platform/cards/supervisorCards.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { cardText } from '../support/activities.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';

const definition = definitionWithAgents();

describe('supervisors see waiting cases per language (issue 16)', function () {
  this.timeout(30_000);
  let service: RunningService;

  afterEach(() => service?.close());

  it('counts them in the supervisor view and shows each waiting case\'s language', async () => {
    const db = await freshDatabase();
    const store = new CosmosCaseStore(db.cases);
    const session = openSessionAt(definition, new Date())!;
    const seeded: Case[] = [];
    for (const [category, language] of [['billing', 'zu'], ['billing', undefined], ['rates', 'zu'], ['metering', 'af']] as const) {
      const draftId = randomUUID();
      const c = openCase({
        reference: referenceFromSeed(draftId, 0),
        programmeId: definition.programme.id,
        category,
        region: 'B',
        sessionId: session.id,
        draftId,
        ratepayer: { userId: `29:${draftId}`, displayName: 'R', conversationId: `a:${draftId}`, channelId: 'msteams' },
        intake: { accountNumber: '501234567', accountHolder: 'R', mobile: '+27821234567', description: 'help' },
        now: new Date(Date.now() - 5 * 60_000),
      });
      const created = await store.create({ ...c, ...(language ? { language } : {}) });
      assert.ok(created.created);
      seeded.push(created.case);
    }
    service = await startTestService(db, definition);
    const johan = await signIn(service, 'johan');
    const overview = await johan.get('/api/supervisor/overview');
    assert.equal(overview.status, 200);
    assert.deepEqual(overview.body.summary.waitingByLanguage, [
      { code: 'zu', waiting: 2 },
      { code: 'af', waiting: 1 },
      { code: 'en', waiting: 1 },
    ]);
    const billing = overview.body.queues.find((q: { code: string }) => q.code === 'billing');
    assert.deepEqual(billing.waiting.map((w: { reference: string; language: string }) => [w.reference, w.language]).sort(), [
      [seeded[0]!.id, 'zu'],
      [seeded[1]!.id, 'en'],
    ].sort());
  });

  it('puts the counts per language on the live summary card, and updates the card when they change', () => {
    const session = openSessionAt(definition, new Date())!;
    const now = new Date();
    const row = (id: string, language?: string) => ({ id, category: 'billing', sessionId: session.id, state: 'waiting' as const, queuedAt: new Date(now.getTime() - 60_000).toISOString(), ...(language ? { language } : {}) });
    const context = { categories: definition.categories, staff: definition.staff };
    const summary = liveSummary(session.id, [row('A', 'zu'), row('B'), row('C', 'zu')], context, [], now);
    const text = cardText(summaryCard({ programmeName: 'P', session, timeZone: definition.timeZone, summary, now }));
    assert.match(text, /Waiting by language: isiZulu 2 · English 1/);
    const englishOnly = liveSummary(session.id, [row('A'), row('B'), row('C')], context, [], now);
    assert.doesNotMatch(cardText(summaryCard({ programmeName: 'P', session, timeZone: definition.timeZone, summary: englishOnly, now })), /by language/, 'nothing to tell when everyone writes English');
    assert.notEqual(summaryFingerprint(summary), summaryFingerprint(englishOnly), 'the card is updated when the languages change');
  });
});
