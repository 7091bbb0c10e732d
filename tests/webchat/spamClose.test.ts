/**
 * A supervisor closes a case as spam (issue 17): through the case lifecycle (state cancelled,
 * marked spam, the supervisor in the audit trail), the ratepayer told politely in their chat,
 * the queue freed; only supervisors may, and a closed case stays closed. The case comes from the
 * public web chat through the Direct Line stand-in.
 */
import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import type { LocalDirectLine } from '../../devTools/directLine.js';
import { cardOf, cardText } from '../support/activities.js';
import { freshDatabase } from '../support/cosmos.js';
import { until } from '../support/poll.js';
import { signIn } from '../support/tabApi.js';
import { openWebConversation, startWebChatDesk, type WebChatDesk } from '../support/webChat.js';

const SECRET = 'spam-close-secret';

describe('Closing a case as spam', () => {
  let desk: WebChatDesk;
  let service: RunningService;
  let directLine: LocalDirectLine;
  let cases: CosmosCaseStore;

  beforeEach(async () => {
    const db = await freshDatabase();
    cases = new CosmosCaseStore(db.cases);
    desk = await startWebChatDesk(db, { secret: SECRET });
    ({ service, directLine } = desk);
  });

  afterEach(() => desk.close());

  const senders = new Map<string, (activity: Record<string, unknown>) => Promise<Response>>();
  const chatSend = (conversationId: string, activity: Record<string, unknown>) => senders.get(conversationId)!(activity);

  async function webCase(): Promise<{ conversationId: string; reference: string }> {
    const chat = await openWebConversation(desk);
    const { send } = chat;
    senders.set(chat.conversationId, send);
    await send({ text: 'billing' });
    const intake = directLine.activities(chat.conversationId).map(cardOf).find((c) => c && /Municipal account number/.test(cardText(c)))!;
    const { category, draftId } = intake.actions[0].data;
    await send({ value: { verb: 'intake.submit', category, draftId, accountNumber: '501234567', accountHolder: 'Sam Mokoena', mobile: '082 999 0000', description: 'Test test test test.' } });
    const [opened] = await cases.listForConversation(chat.conversationId, 5);
    assert.ok(opened);
    return { conversationId: chat.conversationId, reference: opened.id };
  }

  it('closes it through the lifecycle, audited, tells the ratepayer politely, and frees the queue', async () => {
    const { conversationId, reference } = await webCase();
    const supervisor = await signIn(service, 'johan');
    const closed = await supervisor.post(`/api/supervisor/cases/${reference}/spam`);
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    const stored = await cases.get(reference);
    assert.equal(stored?.state, 'cancelled');
    assert.equal(stored?.closedAs, 'spam');
    const audit = stored!.audit.at(-1)!;
    assert.equal(audit.action, 'closed as spam');
    assert.equal(audit.by.id, 'johan');
    await until(() => directLine.activities(conversationId).some((a) => /has been closed by our team/.test(a.text ?? '')), Boolean, 'the notice in the chat', 5000);
    const told = directLine.activities(conversationId).find((a) => /has been closed by our team/.test(a.text ?? ''))!;
    assert.doesNotMatch(told.text, /spam/i, 'the ratepayer is told politely, without the word');
    const overview = await supervisor.get('/api/supervisor/overview');
    assert.equal(overview.body.queues.flatMap((q: { waiting: unknown[] }) => q.waiting).length, 0, 'the queue is free');
  });

  it('a ratepayer\'s own cancel sends nothing of the transcript again (only a spam closure writes a notice with it)', async () => {
    const { conversationId, reference } = await webCase();
    // An expert takes the case, writes, and releases it back to the queue: the transcript has their message.
    const agent = await signIn(service, 'thandi');
    assert.equal((await agent.post('/api/queue/claim-next')).status, 200);
    assert.ok((await agent.post(`/api/cases/${reference}/messages`, { text: 'Please send a photo of the meter.' })).status < 300);
    const expertSaid = () => directLine.activities(conversationId).filter((a) => /Please send a photo of the meter/.test(a.text ?? '')).length;
    await until(() => expertSaid() === 1, Boolean, "the expert's message in the chat", 5000);
    assert.ok((await agent.post(`/api/cases/${reference}/release`, {})).status < 300);
    await chatSend(conversationId, { text: 'cancel' });
    for (let i = 0; i < 100 && (await cases.get(reference))?.state !== 'cancelled'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await cases.get(reference))?.state, 'cancelled');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(expertSaid(), 1, 'the expert\'s message is not sent again');
  });

  it('only supervisors may; a closed case cannot be closed again; a case with an expert can be', async () => {
    const { reference } = await webCase();
    const agent = await signIn(service, 'thandi');
    const refused = await agent.post(`/api/supervisor/cases/${reference}/spam`);
    assert.equal(refused.status, 403);
    assert.equal((await cases.get(reference))?.state, 'waiting');
    assert.equal((await agent.post('/api/queue/claim-next')).status, 200);
    const supervisor = await signIn(service, 'johan');
    assert.equal((await supervisor.post(`/api/supervisor/cases/${reference}/spam`)).status, 200);
    const closed = await cases.get(reference);
    assert.equal(closed?.state, 'cancelled');
    assert.equal(closed?.assignedTo, undefined, 'the expert\'s desk is freed');
    assert.equal((await supervisor.post(`/api/supervisor/cases/${reference}/spam`)).status, 409);
  });
});
