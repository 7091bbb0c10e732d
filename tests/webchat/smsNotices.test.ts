/**
 * SMS notices for the public web chat: "an expert is ready" on claim and the outcome on
 * resolution go to the number the ratepayer gave, with the link back to the chat; Teams
 * ratepayers get none. Through the Direct Line stand-in, with the recording SMS stand-in.
 */
import assert from 'node:assert/strict';
import type { RunningService } from '../../bot/service.js';
import type { LocalDirectLine } from '../../devTools/directLine.js';
import { SmsOutbox } from '../../devTools/smsOutbox.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { until } from '../support/poll.js';
import { longDate } from '../../bot/messages/time.js';
import { signIn } from '../support/tabApi.js';
import { openWebConversation, startWebChatDesk, type WebChatDesk } from '../support/webChat.js';

const SECRET = 'sms-notices-secret';

describe('SMS notices for web chat ratepayers', () => {
  let desk: WebChatDesk;
  let service: RunningService;
  let directLine: LocalDirectLine;
  let connector: LocalConnector;
  let sms: SmsOutbox;

  beforeEach(async () => {
    const db = await freshDatabase();
    connector = await startLocalConnector();
    sms = new SmsOutbox();
    desk = await startWebChatDesk(db, { secret: SECRET, sms });
    ({ service, directLine } = desk);
  });

  afterEach(async () => {
    await desk.close();
    await connector.close();
  });

  it('texts "an expert is ready" on claim and the outcome on resolution, with the link back to the chat', async () => {
    const chat = await openWebConversation(desk);
    const { send } = chat;
    await send({ text: 'billing' });
    const intake = directLine.activities(chat.conversationId).map(cardOf).find((c) => c && /Municipal account number/.test(cardText(c)))!;
    const { category, draftId } = intake.actions[0].data;
    await send({ value: { verb: 'intake.submit', category, draftId, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '082 123 4567', description: 'My bill doubled.' } });
    assert.equal(sms.sent.length, 0, 'nothing is texted for queuing: the page is open then');

    const agent = await signIn(service, 'thandi');
    const claimed = await agent.post('/api/queue/claim-next');
    assert.equal(claimed.status, 200);
    await until(() => sms.sent.length === 1, Boolean, 'the first SMS', 5000);
    assert.equal(sms.sent[0]!.to, '+27821234567');
    assert.match(sms.sent[0]!.text, /an expert is ready for your query/);
    assert.ok(sms.sent[0]!.text.includes(`${service.chatUrl}?category=billing`), sms.sent[0]!.text);

    const reference = claimed.body.reference ?? claimed.body.id;
    const resolved = await agent.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Corrected.' });
    assert.ok(resolved.status < 300, JSON.stringify(resolved.body));
    await until(() => sms.sent.length === 2, Boolean, 'the second SMS', 5000);
    assert.match(sms.sent[1]!.text, /has been resolved/);
  });

  it('a case referred to the back office is texted as referred, with the due date and the back office\'s name, not "resolved" (tester 10, finding 5)', async () => {
    const chat = await openWebConversation(desk);
    await chat.send({ text: 'billing' });
    const intake = directLine.activities(chat.conversationId).map(cardOf).find((c) => c && /Municipal account number/.test(cardText(c)))!;
    const { category, draftId } = intake.actions[0].data;
    await chat.send({ value: { verb: 'intake.submit', category, draftId, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '082 123 4567', description: 'My bill doubled.' } });
    const agent = await signIn(service, 'thandi');
    const claimed = await agent.post('/api/queue/claim-next');
    assert.equal(claimed.status, 200);
    await until(() => sms.sent.length === 1, Boolean, 'the first SMS', 5000);
    const reference = claimed.body.reference ?? claimed.body.id;
    const referred = await agent.post(`/api/cases/${reference}/resolve`, { outcome: 'referred_back_office', summary: 'The March reading needs checking.' });
    assert.ok(referred.status < 300, JSON.stringify(referred.body));
    await until(() => sms.sent.length === 2, Boolean, 'the second SMS', 5000);
    const page = await agent.get(`/api/cases/${reference}`);
    const dueDate = page.body.outcome.dueDate as string;
    const team = page.body.referredTo.team as string;
    const text = sms.sent[1]!.text;
    assert.doesNotMatch(text, /resolved/, text);
    assert.ok(text.includes(`was referred to the back office (${team}), who will answer by ${longDate(dueDate, 'en')}`), text);
    assert.ok(text.includes(`${service.chatUrl}?category=billing`), text);
  });

  it("names the programme and the category in the ratepayer's language (the definition's words), not in English", async () => {
    const chat = await openWebConversation(desk, { locale: 'zu-ZA' });
    const { send } = chat;
    await send({ text: 'i-akhawunti' });
    await until(() => directLine.activities(chat.conversationId).some((a) => cardOf(a)?.actions?.[0]?.data?.category === 'billing'), Boolean, 'the billing form', 5000);
    const intake = directLine.activities(chat.conversationId).map(cardOf).find((c) => c?.actions?.[0]?.data?.category === 'billing')!;
    const { category, draftId } = intake.actions[0].data;
    await send({ value: { verb: 'intake.submit', category, draftId, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '082 123 4567', description: 'I-akhawunti yami iphindeke kabili.' } });
    const agent = await signIn(service, 'thandi');
    const claimed = await agent.post('/api/queue/claim-next');
    assert.equal(claimed.status, 200);
    await until(() => sms.sent.length === 1, Boolean, 'the first SMS', 5000);
    const text = sms.sent[0]!.text;
    assert.match(text, /uchwepheshe usekulungele/, text);
    assert.ok(text.startsWith('Usizo lwamakhasimende nge-inthanethi:'), text);
    assert.ok(text.includes('(Imibuzo nge-akhawunti nesitatimende)'), text);
    assert.doesNotMatch(text, /Virtual customer engagement|Account and billing queries/, text);

    const reference = claimed.body.reference ?? claimed.body.id;
    assert.ok((await agent.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Kulungisiwe.' })).status < 300);
    await until(() => sms.sent.length === 2, Boolean, 'the second SMS', 5000);
    assert.ok(sms.sent[1]!.text.startsWith('Usizo lwamakhasimende nge-inthanethi:'), sms.sent[1]!.text);
    assert.ok(sms.sent[1]!.text.includes('(Imibuzo nge-akhawunti nesitatimende)'), sms.sent[1]!.text);
  });

  it("says in the web chat's privacy notice, and in the mobile number's purpose, that the number is texted (in the chat's language); not on Teams", async () => {
    const chatIn = async (locale: string, typed: string) => {
      const chat = await openWebConversation(desk, { locale });
      await chat.send({ text: typed });
      await until(() => directLine.activities(chat.conversationId).some((a) => cardOf(a)?.actions?.[0]?.data?.category === 'billing'), Boolean, 'the billing form', 5000);
      return cardText(directLine.activities(chat.conversationId).map(cardOf).find((c) => c?.actions?.[0]?.data?.category === 'billing'));
    };
    const english = await chatIn('en-ZA', 'billing');
    assert.ok(english.includes('we send a text message (SMS) to the mobile number you give'), english);
    assert.ok(english.includes('Mobile number (required): to call you back if the chat is cut off, and to send you a text message (SMS) when an expert is ready for you and when your query is resolved'), english);
    const zulu = await chatIn('zu-ZA', 'i-akhawunti');
    assert.ok(zulu.includes('sithumela umlayezo (SMS) kunombolo yeselula oyinikezayo'), zulu);
    assert.ok(zulu.includes('nokukuthumelela umlayezo (SMS) uma uchwepheshe esekulungele'), zulu);

    // Teams texts nobody: its notice says nothing of the kind.
    const user = aRatepayer();
    await postActivity(service.url, messageFrom(user, connector.serviceUrl, { text: 'billing' }));
    const [reply] = await connector.waitFor(user.conversationId, 1);
    const teams = cardText(cardOf(reply!.body));
    assert.ok(teams.includes('Mobile number (required): to call you back if the chat is cut off'), teams);
    assert.doesNotMatch(teams, /SMS/);
  });

  it('texts nothing for a Teams ratepayer', async () => {
    const user = aRatepayer();
    await postActivity(service.url, messageFrom(user, connector.serviceUrl, { text: 'billing' }));
    const [reply] = await connector.waitFor(user.conversationId, 1);
    const { category, draftId } = cardOf(reply!.body)!.actions[0].data;
    await postActivity(service.url, messageFrom(user, connector.serviceUrl, { value: { verb: 'intake.submit', category, draftId, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '082 123 4567', description: 'My bill doubled.' } }));
    const agent = await signIn(service, 'thandi');
    assert.equal((await agent.post('/api/queue/claim-next')).status, 200);
    await connector.waitFor(user.conversationId, 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(sms.sent.length, 0);
  });
});
