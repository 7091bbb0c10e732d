/**
 * Files and pictures a ratepayer sends (issue 12 item 8; issue 14 item 6): every attachment
 * either reaches the expert (kept on the case as a link to where Teams keeps it) or the sender is
 * told plainly that it could not be passed on, and how to send it instead. Activities as Teams
 * sends them, POSTed over real HTTP; what the ratepayer is told read at a local connector; what
 * the expert sees read from the tab API.
 */
import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { TEAMS_FILE } from '../../bot/domain/attachments.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { billingCase, billingCaseWithThandi, useExpertChat } from '../support/expertChat.js';
import { until } from '../support/poll.js';

const DOWNLOAD = 'https://contoso-my.sharepoint.com/personal/ratepayer_contoso_com/_layouts/15/download.aspx?UniqueId=1150d938&tempauth=abc';
const CONTENT = 'https://contoso-my.sharepoint.com/personal/ratepayer_contoso_com/Documents/Microsoft%20Teams%20Chat%20Files/meter.jpg';

const teamsFile = (name: string, downloadUrl = DOWNLOAD, contentUrl = CONTENT) => ({ contentType: TEAMS_FILE, contentUrl, name, content: { downloadUrl, uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D', fileType: name.split('.').pop() } });
const GIF = { contentType: 'text/html', content: '<div><div><img alt="Thumbs up GIF" src="https://media.giphy.com/media/111ebonMs90YLu/giphy.gif" width="200"></div></div>' };
const PASTED_PHOTO = [
  { contentType: 'image/jpeg', contentUrl: 'https://smba.trafficmanager.net/za/tenant/v3/attachments/0-eus-d3-abc/views/original' },
  { contentType: 'text/html', content: '<p>my meter <img itemtype="http://schema.skype.com/AMSImage" src="https://eu-api.asm.skype.com/v1/objects/0-eus-d3-abc/views/imgo" width="250"></p>' },
];

describe('files and pictures from a ratepayer: passed on as links, or the sender is told', function () {
  this.timeout(30_000);
  const desk = useExpertChat();

  const sentTo = (user: TestUser) => desk.connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  const textsTo = (user: TestUser) => sentTo(user).map((a) => `${a.text ?? ''}${cardOf(a) ? `\n${cardText(cardOf(a))}` : ''}`);
  const say = async (user: TestUser, fields: { text?: string; value?: unknown; attachments?: unknown[] }) =>
    assert.equal(await postActivity(desk.service.url, { ...messageFrom(user, desk.connector.serviceUrl, fields), ...(fields.attachments ? { attachments: fields.attachments } : {}) }), 200);
  const pageOf = async (reference: string) => (await desk.thandi.get(`/api/cases/${reference}`)).body as { transcript: { from: string; text: string; attachments?: { name: string; url: string; linkable: boolean }[] }[] };

  /** Waits for a new message to the ratepayer after `from` that matches. */
  const toldAfter = (user: TestUser, from: number, pattern: RegExp) => until(() => textsTo(user).slice(from).find((t) => pattern.test(t)), Boolean, `a message matching ${pattern}`);

  it('with an expert: a message that is only a GIF (a text/html attachment) is not dropped: the ratepayer is told, and the expert sees that they were', async () => {
    const { user, reference } = await billingCaseWithThandi(desk);
    const before = sentTo(user).length;
    await say(user, { attachments: [GIF] });
    const told = await toldAfter(user, before, /I could not pass on a GIF or sticker to Thandi/);
    assert.match(told!, /Attach file/);
    const page = await until(() => pageOf(reference), (p) => p.transcript.some((e) => /could not pass on a GIF/.test(e.text)), 'the notice on the transcript');
    assert.ok(!page.transcript.some((e) => e.from === 'ratepayer'), 'nothing pretends to have been passed on');
  });

  it('with an expert: a pasted photo with text — the text goes on, the photo is named as not passed on (once, not twice for its HTML copy)', async () => {
    const { user, reference } = await billingCaseWithThandi(desk);
    const before = sentTo(user).length;
    await say(user, { text: 'my meter', attachments: PASTED_PHOTO });
    const told = await toldAfter(user, before, /I could not pass on/);
    assert.match(told!, /I could not pass on a picture pasted into the message to Thandi/);
    const page = await until(() => pageOf(reference), (p) => p.transcript.some((e) => e.from === 'ratepayer'), 'the text on the case');
    assert.deepEqual(page.transcript.filter((e) => e.from === 'ratepayer').map((e) => [e.text, e.attachments]), [['my meter', undefined]]);
  });

  it('with an expert: a Teams file reaches the case page as a link to where Teams keeps it; a "file" anywhere else is refused and said so', async () => {
    const { user, reference } = await billingCaseWithThandi(desk);
    await say(user, { text: 'here is my statement', attachments: [teamsFile('statement.pdf'), { contentType: 'text/html', content: '<p>here is my statement</p>' }] });
    const page = await until(() => pageOf(reference), (p) => p.transcript.some((e) => e.from === 'ratepayer'), 'the file on the case');
    const entry = page.transcript.find((e) => e.from === 'ratepayer')!;
    assert.deepEqual(entry.attachments, [{ name: 'statement.pdf', contentType: 'pdf', url: DOWNLOAD, linkable: true }]);

    const before = sentTo(user).length;
    await say(user, { text: 'and this one', attachments: [teamsFile('invoice.pdf', 'https://login-contoso.example/invoice.pdf', 'https://login-contoso.example/invoice.pdf')] });
    await toldAfter(user, before, /I could not pass on a file or link from outside Teams to Thandi/);
    const after = await until(() => pageOf(reference), (p) => p.transcript.some((e) => e.text === 'and this one'), 'the text');
    assert.equal(after.transcript.find((e) => e.text === 'and this one')!.attachments, undefined, 'no link to an unknown site reaches staff');
    assert.doesNotMatch(JSON.stringify(after), /login-contoso\.example/);
  });

  it('with an expert: voice clips and more than ten files in one message are said not passed on too', async () => {
    const { user } = await billingCaseWithThandi(desk);
    let before = sentTo(user).length;
    await say(user, { attachments: [{ contentType: 'audio/ogg', contentUrl: 'https://smba.trafficmanager.net/za/v3/attachments/voice/views/original' }] });
    await toldAfter(user, before, /I could not pass on a voice or video clip/);
    before = sentTo(user).length;
    await say(user, { attachments: Array.from({ length: 12 }, (_, i) => teamsFile(`page-${i + 1}.pdf`)) });
    await toldAfter(user, before, /I could not pass on 2 attachments/);
  });

  it('still waiting: a Teams file is kept on the case for the expert who takes it, and the ratepayer is told so with their place', async () => {
    const { user, reference } = await billingCase(desk);
    const before = sentTo(user).length;
    await say(user, { text: 'photo of my meter', attachments: [teamsFile('meter.jpg')] });
    const told = await toldAfter(user, before, /You are in the queue/);
    assert.match(told!, /Thank you: "meter\.jpg" is now on case [2-9A-Z]{3}-[2-9A-Z]{3} for the expert who takes it\./);
    const stored = await new CosmosCaseStore(desk.db.cases).get(reference);
    assert.deepEqual(stored?.transcript?.map((e) => [e.from, e.text, e.attachments?.map((a) => a.name)]), [['ratepayer', 'photo of my meter', ['meter.jpg']]]);
    // The expert who claims it sees it.
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    assert.equal((await pageOf(reference)).transcript.find((e) => e.from === 'ratepayer')?.attachments?.[0]?.linkable, true);
  });

  it('still waiting: a pasted photo is not kept, and the ratepayer is told how to send it', async () => {
    const { user, reference } = await billingCase(desk);
    const before = sentTo(user).length;
    await say(user, { attachments: PASTED_PHOTO });
    const told = await toldAfter(user, before, /You are in the queue/);
    assert.match(told!, /I could not pass on a picture pasted into the message to the expert: only files sent with "Attach file" can be passed on\./);
    assert.deepEqual((await new CosmosCaseStore(desk.db.cases).get(reference))?.transcript ?? [], []);
  });

  it('with no case yet: a file is not kept, the ratepayer is told to join the queue first, and gets the categories', async () => {
    const user = aRatepayer('New Ratepayer');
    await say(user, { attachments: [teamsFile('bill.pdf')] });
    const texts = await until(() => textsTo(user), (t) => t.length >= 2, 'the answer and the welcome card');
    assert.match(texts[0]!, /I can pass a photo or a document on to an expert once you are in the queue, so I have not kept what you attached/);
    assert.match(texts[1]!, /Account and billing queries/);
  });
});
