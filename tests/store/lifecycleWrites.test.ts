/**
 * Survey answers, closing offers and closing choices are changes of the case lifecycle
 * (bot/domain/case.ts), written through the store's one read-decide-write path with the case's
 * ETag: each is on the case's audit trail, and the once-only rules hold when two writers race
 * (two answers sent at once; two instances warning of the same closing).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { openSessionAt, type SessionSlot } from '../../bot/domain/calendar.js';
import { claimCase, openCase, resolveCase, type Case } from '../../bot/domain/case.js';
import { referenceFromSeed } from '../../bot/domain/reference.js';
import { noQueueEvents } from '../../bot/platform/ports/queueEvents.js';
import { CaseEvents } from '../../bot/platform/flow/caseEvents.js';
import { ConversationCases } from '../../bot/ratepayers/conversationCases.js';
import { DefinitionDutyRoster } from '../../bot/agents/dutyRoster.js';
import { FeedbackService } from '../../bot/ratepayers/feedback.js';
import { QueueService } from '../../bot/ratepayers/queue.js';
import { RelayService } from '../../bot/ratepayers/relay.js';
import { SessionCloseService } from '../../bot/ratepayers/sessionClose.js';
import { createAdapter } from '../../bot/platform/teams/adapter.js';
import { ProactiveMessenger, TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { personalConversation } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents } from '../support/tabApi.js';

const definition = definitionWithAgents();
const outerDefinition = definition;
const thandi = { kind: 'staff' as const, id: 'thandi', name: 'Thandi Mokoena' };

describe('survey, closing offer and closing choice go through the case lifecycle', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let cases: CosmosCaseStore;
  let conversations: CosmosConversationStore;
  const now = new Date();
  const clock = { now: () => now };
  const session = openSessionAt(definition, now) as SessionSlot;

  before(async () => {
    connector = await startLocalConnector();
  });
  after(async () => connector.close());

  beforeEach(async () => {
    db = await freshDatabase();
    cases = new CosmosCaseStore(db.cases);
    conversations = new CosmosConversationStore(db.conversations);
  });

  /** A waiting case of this session, its ratepayer reachable through the local connector. */
  async function waitingCase(): Promise<Case> {
    const draftId = randomUUID();
    const c = openCase({
      reference: referenceFromSeed(draftId, 0),
      programmeId: definition.programme.id,
      category: 'billing',
      region: 'B',
      sessionId: session.id,
      draftId,
      ratepayer: { userId: `29:${draftId}`, displayName: 'Lerato M', conversationId: `a:${draftId}`, channelId: 'msteams' },
      intake: { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', description: 'My bill doubled in March.' },
      now: new Date(now.getTime() - 60_000),
    });
    const created = await cases.create(c);
    assert.ok(created.created);
    await conversations.save(personalConversation(c.ratepayer.conversationId, connector.serviceUrl));
    return created.case;
  }

  async function resolvedCase(): Promise<Case> {
    const c = await waitingCase();
    const claimed = claimCase(c, new Date(now.getTime() - 30_000), thandi);
    const resolved = resolveCase(claimed, now, thandi, { kind: 'resolved', summary: 'Reading corrected' }, definition.limits.retentionDays);
    await cases.replace({ ...resolved, etag: (await cases.get(c.id))!.etag });
    return resolved;
  }

  /**
   * One instance's session-close service, with its own relay and messenger. Its calendar opens
   * today only (00:00–24:00 in Johannesburg), so today's session closes with a gap after it and
   * ratepayers are warned; the local calendar's back-to-back days warn nobody (sessionClose.ts).
   */
  function sessionClose(instanceId: string): SessionCloseService {
    const today = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: outerDefinition.timeZone }).format(now).toLowerCase().slice(0, 3) as 'mon';
    const definition: typeof outerDefinition = { ...outerDefinition, calendar: { ...outerDefinition.calendar, sessions: [], weekly: [{ days: [today], start: '00:00', end: '24:00' }] } };
    const messenger = new ProactiveMessenger(createAdapter({ kind: 'none' }), '', conversations, { ...TEAMS_LIMITS, maxAttempts: 2, baseBackoffMs: 50, maxBackoffMs: 100, outageBudgetMs: 2000 });
    const relay = new RelayService(definition, cases, new ConversationCases(conversations, cases, clock), messenger, new CaseEvents(definition, noQueueEvents), clock, instanceId);
    const queue = new QueueService(definition, cases, new DefinitionDutyRoster(definition), clock);
    return new SessionCloseService(definition, cases, queue, relay, clock);
  }

  const actions = async (id: string) => (await cases.get(id))!.audit.map((e) => `${e.by.kind}:${e.action}${e.detail ? ` (${e.detail})` : ''}`);

  it('records a survey answer once, on the audit trail as the ratepayer with the rating, when two answers arrive at once', async () => {
    const c = await resolvedCase();
    const feedback = new FeedbackService(cases, clock);
    const conversation = c.ratepayer.conversationId;
    const results = await Promise.all([
      feedback.recordSurvey(conversation, { reference: c.id, rating: '4', comment: 'Quick and clear' }),
      feedback.recordSurvey(conversation, { reference: c.id, rating: '2' }),
    ]);
    assert.deepEqual(results.map((r) => r.kind).sort(), ['already_answered', 'recorded']);
    const kept = results.find((r) => r.kind === 'recorded') as { kind: 'recorded'; rating: number };
    const stored = (await cases.get(c.id))!;
    assert.equal(stored.survey?.rating, kept.rating);
    const answered = (await actions(c.id)).filter((a) => a.includes('survey answered'));
    assert.deepEqual(answered, [`ratepayer:survey answered (rating ${kept.rating})`]);
    assert.ok(!JSON.stringify(stored.audit).includes('Quick and clear'), 'the comment is not on the audit trail');
    assert.deepEqual(await feedback.recordSurvey('a:someone-else', { reference: c.id, rating: '5' }), { kind: 'not_found' });
  });

  it('warns of a closing once when two instances handle "closing soon" at once, on the audit trail', async () => {
    const [first, second] = [await waitingCase(), await waitingCase()];
    await Promise.all([sessionClose('instance-a').handle({ kind: 'closingSoon', session, at: now }), sessionClose('instance-b').handle({ kind: 'closingSoon', session, at: now })]);
    for (const c of [first, second]) {
      await connector.waitFor(c.ratepayer.conversationId, 1);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(connector.sent.filter((s) => s.conversationId === c.ratepayer.conversationId).length, 1, `${c.id} warned once`);
      assert.equal((await cases.get(c.id))!.transcript?.filter((e) => /closes soon/.test(e.text)).length, 1);
      assert.deepEqual((await actions(c.id)).filter((a) => a.includes('closing offered')), [`system:closing offered (${session.id})`]);
      assert.equal((await cases.get(c.id))!.closingOffered, session.id);
    }
  });

  it('records a closing choice on the audit trail as the ratepayer, and refuses one once an expert has the case', async () => {
    const c = await waitingCase();
    const close = sessionClose('instance-a');
    const chosen = await close.choose(c.ratepayer.conversationId, { reference: c.id, choice: 'next_session' });
    assert.equal(chosen.kind, 'recorded');
    assert.deepEqual((await actions(c.id)).filter((a) => a.includes('closing choice')), ['ratepayer:closing choice (keep place for the next session)']);
    assert.equal((await close.choose('a:someone-else', { reference: c.id, choice: 'next_session' })).kind, 'not_found');
    const current = (await cases.get(c.id))!;
    await cases.replace({ ...claimCase(current, now, thandi), etag: current.etag });
    assert.equal((await close.choose(c.ratepayer.conversationId, { reference: c.id, choice: 'next_session' })).kind, 'not_waiting');
    assert.equal((await cases.get(c.id))!.closingChoice?.choice, 'next_session', 'the earlier choice stays');
  });
});
