/**
 * Offering the intake form is on every ratepayer's first turn, so what it reads matters: a form
 * starts with the answers of the chat's latest case (IntakeService.carriedAnswers), found from the
 * cases noted on the conversation (ConversationCases.latestOf) — not by a query of the chat's
 * cases, which Cosmos DB runs on every partition (two requests, and the most costly kind).
 * Over the Bot Framework protocol, cases in the embedded Cosmos.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, inputOf, messageFrom, postActivity } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, startTestService } from '../support/tabApi.js';

describe('offering the intake form', function () {
  this.timeout(60_000);
  const sandbox = sinon.createSandbox();
  let connector: LocalConnector;
  let service: RunningService;

  beforeEach(async () => {
    connector = await startLocalConnector();
    service = await startTestService(await freshDatabase(), definitionWithAgents(0));
  });
  afterEach(async () => {
    sandbox.restore();
    await service?.close();
    await connector?.close();
  });

  it('in a new chat reads no case, and in a chat with a case reads that case, never by a query; the second form starts with the answers the two share', async () => {
    const queries = sandbox.spy(CosmosCaseStore.prototype, 'listForConversation');
    const reads = sandbox.spy(CosmosCaseStore.prototype, 'get');
    const user = aRatepayer('Lerato Molefe');
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { text: 'I have a billing query' })), 200);
    const first = cardOf((await connector.waitFor(user.conversationId, 1))[0]!.body);
    assert.ok(inputOf(first, 'accountNumber'), 'the billing form');
    assert.equal(inputOf(first, 'accountNumber')?.value ?? '', '', 'nothing to carry in a new chat');
    assert.equal(queries.callCount, 0, 'no query of the chat\'s cases');
    assert.equal(reads.callCount, 0, 'and no case read: the chat has none noted');

    const submitted = { verb: 'intake.submit', category: 'billing', draftId: first!.actions[0].data.draftId, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '082 123 4567', email: '', description: 'My bill doubled in March.' };
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { value: submitted })), 200);
    const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
    queries.resetHistory();
    reads.resetHistory();
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { text: 'And a property rates query' })), 200);
    const second = connector.sent.filter((s) => s.conversationId === user.conversationId).slice(before).map((s) => cardOf(s.body)).find((c) => inputOf(c, 'erfNumber'));
    assert.ok(second, 'the rates form');
    assert.equal(inputOf(second, 'accountNumber')?.value, '501234567', 'carried from the queued case');
    assert.equal(inputOf(second, 'accountHolder')?.value, 'Lerato Molefe');
    assert.equal(queries.callCount, 0, 'still no query of the chat\'s cases');
    assert.ok(reads.callCount >= 1, 'the noted case read by its id');
  });
});
