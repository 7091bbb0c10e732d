/**
 * Nothing a ratepayer or an expert writes is cut silently (issue 12 item 5). A message within
 * MESSAGE_CHARACTERS is kept whole on the case and, to the ratepayer's chat, sent in marked parts
 * that each fit a Teams message; a longer one is refused with the limit and the writer keeps it.
 * Observed at a local Bot Framework connector; agents use the tab API over real HTTP.
 */
import assert from 'node:assert/strict';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { characterCount, MESSAGE_CHARACTERS, NOTE_CHARACTERS, PART_CHARACTERS } from '../../bot/domain/textLimits.js';
import { messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { billingCaseWithThandi, useExpertChat } from '../support/expertChat.js';
import { until } from '../support/poll.js';

const PREFIX = /^Thandi \(Account and billing queries expert(?:, part (\d+) of (\d+))?\): /;

/** The example: 4,954 characters ending in "please call me after 17:00.", numbers throughout. */
function theExample(): string {
  const line = 'On 12 March my meter 0123456789 read 04521.7 but the bill says 05521.7, R1 240.50 too much. ';
  let text = '';
  while (characterCount(text) + line.length < 4954 - 'please call me after 17:00.'.length) text += line;
  text += 'x'.repeat(4954 - 'please call me after 17:00.'.length - characterCount(text));
  return `${text}please call me after 17:00.`;
}

describe('long messages between ratepayer and expert: kept whole, delivered in marked parts, or refused with the limit', function () {
  this.timeout(30_000);
  const desk = useExpertChat();

  const sentTo = (user: TestUser) => desk.connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  const say = async (user: TestUser, fields: { text?: string; value?: unknown }) => assert.equal(await postActivity(desk.service.url, messageFrom(user, desk.connector.serviceUrl, fields)), 200);
  const transcriptOf = async (reference: string) => (await desk.thandi.get(`/api/cases/${reference}`)).body.transcript as { from: string; text: string; delivery?: { status: string } }[];

  it('keeps the issue\'s 4,954-character message whole on the case, ending "please call me after 17:00."', async () => {
    const { user, reference } = await billingCaseWithThandi(desk);
    const text = theExample();
    assert.equal(characterCount(text), 4954);
    await say(user, { text });
    const transcript = await until(() => transcriptOf(reference), (t) => t.some((e) => e.from === 'ratepayer'), 'the message on the case');
    const kept = transcript.find((e) => e.from === 'ratepayer')!;
    assert.equal(kept.text, text);
    assert.match(kept.text, /please call me after 17:00\.$/);
  });

  it('keeps a ratepayer\'s message of every length up to the limit whole, emoji and accents counted as one character', async () => {
    const { user, reference } = await billingCaseWithThandi(desk);
    const texts = ['é'.repeat(4001), '😀'.repeat(3000), `${'Ke a leboha. '.repeat(1537)}Ke a leboha!`, 'z'.repeat(MESSAGE_CHARACTERS)];
    for (const text of texts) await say(user, { text });
    const transcript = await until(() => transcriptOf(reference), (t) => t.filter((e) => e.from === 'ratepayer').length === texts.length, 'every message on the case');
    assert.deepEqual(transcript.filter((e) => e.from === 'ratepayer').map((e) => e.text), texts);
  });

  it('tells a ratepayer whose message is over the limit how long it is and the limit, keeps none of it, and the expert sees that they were told', async () => {
    const { user, reference } = await billingCaseWithThandi(desk);
    const before = sentTo(user).length;
    await say(user, { text: 'y'.repeat(MESSAGE_CHARACTERS + 1) });
    const told = await until(() => sentTo(user).slice(before), (s) => s.length > 0, 'the answer');
    assert.match(told[0]!.text, /Your message has 20 001 characters, more than we can pass on in one message \(at most 20 000\)\. Nothing of it has reached Thandi yet: please send it again in two or more shorter messages\./);
    const transcript = await transcriptOf(reference);
    assert.ok(!transcript.some((e) => e.from === 'ratepayer'), 'nothing of it is kept as if it had been passed on');
    assert.match(transcript.at(-1)!.text, /Your message has 20 001 characters/, 'the expert sees what the ratepayer was told');
  });

  it('delivers an expert\'s long message in parts marked "part 1 of 3" that together are the whole text, and keeps it whole on the case', async () => {
    const { user, reference } = await billingCaseWithThandi(desk);
    const text = `${'Your March reading 04521.7 was estimated; the actual reading is lower, so I have asked for a credit of R1 240.50. '.repeat(80)}Call me after 17:00.`;
    assert.ok(characterCount(text) > 2 * PART_CHARACTERS && characterCount(text) <= 3 * PART_CHARACTERS);
    const before = sentTo(user).length;
    const posted = await desk.thandi.post(`/api/cases/${reference}/messages`, { text });
    assert.equal(posted.status, 200);
    const parts = await until(() => sentTo(user).slice(before), (s) => s.length >= 3, 'three parts');
    const marks = parts.map((p) => PREFIX.exec(p.text)!.slice(1, 3).join('/'));
    assert.deepEqual(marks, ['1/3', '2/3', '3/3']);
    const bodies = parts.map((p) => p.text.replace(PREFIX, ''));
    for (const b of bodies) assert.ok(characterCount(b) <= PART_CHARACTERS);
    for (const p of parts) assert.ok(Buffer.byteLength(JSON.stringify(p)) < 28 * 1024, 'each part fits a Teams message (about 28 KB)');
    // Teams trims the space a part ends with; the words are all there, in order.
    assert.equal(bodies.map((b) => b.trimEnd()).join(' '), text);
    const transcript = await until(() => transcriptOf(reference), (t) => t.some((e) => e.from === 'expert' && e.delivery?.status === 'delivered'), 'the delivery');
    assert.equal(transcript.find((e) => e.from === 'expert')!.text, text);
  });

  it('an expert\'s message of 4,001 characters to 20,000 is accepted (it was refused over 4,000), one of up to a part is sent unmarked', async () => {
    const { user, reference } = await billingCaseWithThandi(desk);
    for (const n of [4001, MESSAGE_CHARACTERS]) assert.equal((await desk.thandi.post(`/api/cases/${reference}/messages`, { text: 'w'.repeat(n) })).status, 200, `${n} characters`);
    const before = sentTo(user).length;
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/messages`, { text: 'Short one.' })).status, 200);
    await until(() => sentTo(user).slice(before), (s) => s.some((a) => a.text === 'Thandi (Account and billing queries expert): Short one.'), 'the short message, unmarked');
  });

  it('refuses an expert\'s message, a note, a transfer note and a summary over their limits with the count and the limit, and saves none of them', async () => {
    const { reference } = await billingCaseWithThandi(desk);
    const over = await desk.thandi.post(`/api/cases/${reference}/messages`, { text: 'm'.repeat(MESSAGE_CHARACTERS + 1) });
    assert.equal(over.status, 400);
    assert.match(over.body.message, /text has 20 001 characters; the most is 20 000 \(shorten it by 1\)\. Nothing was saved/);
    const note = await desk.thandi.post(`/api/cases/${reference}/notes`, { text: 'n'.repeat(NOTE_CHARACTERS + 5) });
    assert.equal(note.status, 400);
    assert.match(note.body.message, /text has 2 005 characters; the most is 2 000 \(shorten it by 5\)/);
    const resolve = await desk.thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 's'.repeat(NOTE_CHARACTERS + 1) });
    assert.equal(resolve.status, 400);
    assert.match(resolve.body.message, /summary has 2 001 characters/);
    const transfer = await desk.thandi.post(`/api/cases/${reference}/transfer`, { toCategory: 'rates', note: 't'.repeat(NOTE_CHARACTERS + 1) });
    assert.equal(transfer.status, 400);
    const c = await new CosmosCaseStore(desk.db.cases).get(reference);
    assert.equal(c?.state, 'in_progress');
    assert.equal(c?.notes?.length ?? 0, 0);
    assert.ok(!(c?.transcript ?? []).some((e) => e.from === 'expert'));
  });

  it('counts characters as people do: a note of 1,500 emoji (3,000 UTF-16 units) is within the 2,000-character limit', async () => {
    const { reference } = await billingCaseWithThandi(desk);
    const res = await desk.thandi.post(`/api/cases/${reference}/notes`, { text: '👍🏽'.repeat(750) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.notes[0].text, '👍🏽'.repeat(750));
  });
});
