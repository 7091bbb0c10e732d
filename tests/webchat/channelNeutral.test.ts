/**
 * Channel-neutral words on the public web chat, and staff seeing where a case came from: a
 * conversation through the Direct Line stand-in (channelId "directline") against the real service.
 */
import assert from 'node:assert/strict';
import type { RunningService } from '../../bot/service.js';
import type { LocalDirectLine } from '../../devTools/directLine.js';
import { cardOf, cardText } from '../support/activities.js';
import { freshDatabase } from '../support/cosmos.js';
import { signIn } from '../support/tabApi.js';
import { openWebConversation, startWebChatDesk, type WebChatDesk } from '../support/webChat.js';

const SECRET = 'channel-neutral-secret';

describe('Public web chat: channel-neutral words, and the channel shown to staff', () => {
  let desk: WebChatDesk;
  let service: RunningService;
  let directLine: LocalDirectLine;

  beforeEach(async () => {
    desk = await startWebChatDesk(await freshDatabase(), { secret: SECRET });
    ({ service, directLine } = desk);
  });

  afterEach(() => desk.close());

  /** A web conversation: token from the service, conversation started, a way to send (that the stand-in took it), what the bot sent. */
  async function webChat() {
    const chat = await openWebConversation(desk);
    const send = async (activity: Record<string, unknown>) => {
      const response = await chat.send(activity);
      assert.equal(response.status, 200, await response.text());
    };
    return { ...chat, send, fromBot: () => directLine.activities(chat.conversationId).filter((a) => a.from?.role === 'bot') };
  }

  it('nothing the web ratepayer reads names Teams or OneDrive; the notice says who carries the chat', async () => {
    const chat = await webChat();
    await chat.send({ text: 'billing' });
    const intake = chat.fromBot().map(cardOf).find((c) => c && /Municipal account number/.test(cardText(c)))!;
    assert.ok(intake, 'the intake card');
    assert.match(cardText(intake), /Azure Bot Service, which may process messages outside South Africa/);
    const { category, draftId } = intake.actions[0].data;
    await chat.send({ value: { verb: 'intake.submit', category, draftId, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '082 123 4567', description: 'My bill doubled.' } });
    await chat.send({ text: 'status' });
    await chat.send({ text: 'my data' });
    const everything = chat.fromBot().map((a) => `${a.text ?? ''}\n${cardOf(a) ? cardText(cardOf(a)) : ''}`).join('\n');
    assert.match(everything, /What we hold about you/, 'my data was answered');
    assert.match(everything, /a random number your browser holds/);
    assert.doesNotMatch(everything, /Teams|OneDrive/);
  });

  it('the case page and the supervisor view say the case came through the web chat', async () => {
    const chat = await webChat();
    await chat.send({ text: 'billing' });
    const intake = chat.fromBot().map(cardOf).find((c) => c && /Municipal account number/.test(cardText(c)))!;
    const { category, draftId } = intake.actions[0].data;
    await chat.send({ value: { verb: 'intake.submit', category, draftId, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '082 123 4567', description: 'My bill doubled.' } });
    const supervisor = await signIn(service, 'johan');
    const overview = await supervisor.get('/api/supervisor/overview');
    assert.equal(overview.status, 200, JSON.stringify(overview.body));
    const waiting = overview.body.queues.flatMap((q: { waiting: { reference: string; channel: string }[] }) => q.waiting);
    assert.equal(waiting.length, 1);
    assert.equal(waiting[0].channel, 'Web chat');
    const agent = await signIn(service, 'thandi');
    const page = await agent.get(`/api/cases/${waiting[0].reference}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.equal(page.body.channel, 'Web chat');
    // Direct Line gives no name: the expert addresses them by the account holder's name from the form, not "Ratepayer".
    assert.equal(page.body.ratepayerName, 'Lerato Molefe');
  });
});
