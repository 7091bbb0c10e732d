/**
 * Test support for what passes between a ratepayer and an expert in a Teams chat: a test service
 * on the local definition whose replies reach a local Bot Framework connector (paced for many
 * messages to one chat: 50 a second), Thandi signed in to the tab API, and a billing case queued
 * from a chat and claimed by her.
 */
import assert from 'node:assert/strict';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from './activities.js';
import { startLocalConnector, type LocalConnector } from './connector.js';
import { freshDatabase } from './cosmos.js';
import { until } from './poll.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from './tabApi.js';

export interface ExpertChat {
  connector: LocalConnector;
  db: CosmosContainers;
  service: RunningService;
  thandi: ApiClient;
}

/**
 * Registers the calling suite's `before` (it all started) and `after` (stopped). Call it in the
 * `describe` body; the returned object's fields are set once `before` has run.
 */
export function useExpertChat(): ExpertChat {
  const desk = {} as ExpertChat;
  before(async () => {
    desk.connector = await startLocalConnector();
    desk.db = await freshDatabase();
    desk.service = await startTestService(desk.db, definitionWithAgents(0), { pacing: { ...TEAMS_LIMITS, perConversationPerSecond: 50, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 } });
    desk.thandi = await signIn(desk.service, 'thandi');
  });
  after(async () => {
    await desk.service.close();
    await desk.connector.close();
  });
  return desk;
}

const billing = { accountNumber: '501234567', accountHolder: 'Test Ratepayer', mobile: '082 123 4567', description: 'My bill doubled in March.' };

/** A new ratepayer, "Test Ratepayer", sends the billing form; resolves once the queued card gives the reference (8 s at most), with the case id ("K7M3PQ"). */
export async function billingCase(desk: ExpertChat): Promise<{ user: TestUser; reference: string }> {
  const { service, connector } = desk;
  const user = aRatepayer('Test Ratepayer');
  const sent = () => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${user.aadObjectId}`, ...billing } })), 200);
  const card = await until(() => sent().find((a) => /Your case reference/.test(cardText(cardOf(a) ?? {}))), Boolean, 'the queued card');
  return { user, reference: /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(cardOf(card!)))![1]!.replace('-', '') };
}

/** billingCase, then Thandi claims it; resolves once the ratepayer's chat says they are connected with her. */
export async function billingCaseWithThandi(desk: ExpertChat): Promise<{ user: TestUser; reference: string }> {
  const q = await billingCase(desk);
  assert.equal((await desk.thandi.post(`/api/cases/${q.reference}/claim`)).status, 200);
  const texts = () => desk.connector.sent.filter((s) => s.conversationId === q.user.conversationId).map((s) => `${s.body.text ?? ''}\n${cardText(cardOf(s.body) ?? {})}`);
  await until(() => texts().some((t) => /connected with Thandi/.test(t)), Boolean, '"connected"');
  return q;
}
