/**
 * The bot's own lines to a ratepayer who writes another language, as staff read them on the case
 * page (issue 16 carried to the bot's messages): the catalogue's English words kept with each line
 * when it is written, else the Translator (the client against the local stand-in, real HTTP) once,
 * kept on the case. The ratepayer at a local Bot Framework connector, the expert through the tab
 * API, the store the embedded Cosmos DB. Sipho speaks isiZulu (the definition's staff[].languages);
 * Thandi reads English only.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { signIn, type ApiClient } from '../support/tabApi.js';
import { useTranslatedDesk } from '../support/translatedDesk.js';
import { until } from '../support/poll.js';

const billing = { accountNumber: '501234567', accountHolder: 'Sipho Dlamini', mobile: '0821234567', description: 'My bill doubled in March.' };

/** A bot line in isiZulu written before catalogue words were kept with bot lines (no `translation`). */
const EARLIER_LINE = 'Udaba lwakho lusalindile. Sizokubhalela lapha.';

interface Entry {
  id: string;
  from: string;
  text: string;
  card?: unknown;
  translation?: { status: string; from: string; to: string; text?: string; reason?: string };
}


describe("the bot's lines to the ratepayer, in the expert's language on the case page", function () {
  this.timeout(30_000);
  const desk = useTranslatedDesk();

  const chat = (user: TestUser) => desk.connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => String(s.body.text ?? cardText(cardOf(s.body) ?? {})));
  /**
   * What was sent to the Translator for staff (into English) for the bot's lines; the resolution's
   * summary goes the other way, for the ratepayer. The query from the form is translated for staff
   * too, once, when the case page is first shown (tests/conversation/intakeTranslation.test.ts): left out here.
   */
  const translateRequests = () =>
    desk.standIn.requests.filter((r) => r.path === '/translate' && r.query.to === 'en' && JSON.stringify(r.body) !== JSON.stringify([{ Text: billing.description }]));

  /** A case queued through the chat, its ratepayer's language isiZulu (as the store keeps it), claimed by `by`. */
  async function zuluCase(user: TestUser, by: ApiClient): Promise<string> {
    assert.equal(await postActivity(desk.service.url, messageFrom(user, desk.connector.serviceUrl, { value: { verb: 'intake.submit', category: 'billing', draftId: `d-${user.aadObjectId}`, ...billing } })), 200);
    const confirmation = await until(() => chat(user).find((t) => /Your case reference/.test(t)), (t) => !!t, 'queued');
    const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(confirmation!)![1]!.replace('-', '');
    await desk.store.replace({ ...(await desk.store.get(reference))!, language: 'zu' });
    const sentBefore = chat(user).length;
    assert.equal((await by.post(`/api/cases/${reference}/claim`)).status, 200);
    await until(() => chat(user).length, (n) => n > sentBefore, 'connected message');
    return reference;
  }

  /** A bot line as a version before this one kept it: its isiZulu words only. */
  async function earlierLine(reference: string): Promise<string> {
    const id = randomUUID();
    await desk.store.appendTranscript(reference, { id, at: new Date().toISOString(), from: 'system', author: 'Ratepayer Desk', text: EARLIER_LINE });
    return id;
  }

  async function transcript(client: ApiClient, reference: string): Promise<Entry[]> {
    const page = await client.get(`/api/cases/${reference}`);
    assert.equal(page.status, 200);
    return page.body.transcript as Entry[];
  }

  it("shows an English-only expert the bot's lines in the catalogue's English, the isiZulu kept; an earlier line machine-translated once", async () => {
    const sipho = aRatepayer('Sipho Dlamini');
    const reference = await zuluCase(sipho, desk.thandi);
    // A place update (the case handed back), the expert again, then a referral and the back office's update (issue 19).
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/release`, {})).status, 200);
    await until(() => transcript(desk.thandi, reference), (t) => t.filter((e) => e.from === 'system').length === 2, 'the place update');
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'referred_back_office', summary: 'The billing team will check the March reading.' })).status, 200);
    const zanele = await signIn(desk.service, 'zanele');
    assert.equal((await zanele.post(`/api/back-office/referrals/${reference}/update`, { text: 'We found your March payment.' })).status, 200);
    const lines = (await until(() => transcript(desk.thandi, reference), (t) => t.filter((e) => e.from === 'system').length >= 6, 'the bot lines')).filter((e) => e.from === 'system');

    // What the ratepayer read stays the line's text; staff get the catalogue's English words, marked as such.
    assert.match(lines[0]!.text, /^Manje usuxhumene no-Thandi/);
    assert.deepEqual(lines[0]!.translation, {
      status: 'catalogue',
      from: 'zu',
      to: 'en',
      text: 'You are now connected with Thandi, our expert for Account and billing queries. They can see the details you gave us. Type your messages here and they will answer in this chat.',
    });
    assert.match(lines[1]!.text, /^Thandi: udaba lwakho lubuyiselwe emgqeni/);
    assert.equal(lines[1]!.translation?.status, 'catalogue');
    assert.match(lines[1]!.translation!.text!, /^Thandi has handed your case back to the queue, and you keep your place: you are number 1 \(estimated wait .+\)\. The next available expert/);
    assert.doesNotMatch(lines[1]!.translation!.text!, /imizuzu|ihora/, 'the wait in English too');
    const english = lines.map((e) => e.translation?.text ?? '');
    // The summary card and the survey: the cards themselves in English (bot/ratepayers/relay.ts toldReply).
    assert.ok(english.some((t) => t.includes(`Case reference: ${reference.slice(0, 3)}-${reference.slice(3)}`) && t.includes('\nWhat was done: The billing team will check the March reading.\n')), `the summary in the expert's own words: ${english.join(' | ')}`);
    assert.ok(english.some((t) => t.startsWith('How did we do?\n') && t.includes('\n- How satisfied are you with the help you got?\n')), 'the survey');
    assert.ok(english.some((t) => t.startsWith('Your receipt from ')), 'the receipt');
    assert.ok(english.some((t) => t.startsWith(`Update on case ${reference.slice(0, 3)}-${reference.slice(3)} from Revenue back office: We found your March payment.`)), "the back office's update");
    for (const line of lines) assert.equal(line.translation?.status, 'catalogue', `every line: ${line.text}`);
    assert.equal(translateRequests().length, 0, 'the catalogue, not the Translator');

    // A line written before its English was kept: translated by machine when first shown, kept, marked.
    const earlier = await earlierLine(reference);
    const shown = (await transcript(desk.thandi, reference)).find((e) => e.id === earlier)!;
    assert.equal(shown.text, EARLIER_LINE, 'the original still there');
    assert.deepEqual(shown.translation, { status: 'translated', from: 'zu', to: 'en', text: `[en] ${EARLIER_LINE}` });
    assert.deepEqual(translateRequests().map((r) => [r.query.from, r.query.to, r.body]), [['zu', 'en', [{ Text: EARLIER_LINE }]]]);
    await transcript(desk.thandi, reference);
    await transcript(await signIn(desk.service, 'johan'), reference);
    assert.equal(translateRequests().length, 1, 'translated once, kept on the case: later views ask nothing');
    const kept = (await desk.store.get(reference))!;
    assert.equal(kept.transcript!.find((e) => e.id === earlier)!.translation?.status, 'translated');
    const audit = kept.audit.filter((a) => a.action === 'bot lines translated');
    assert.deepEqual(audit.map((a) => [a.by.id, a.detail]), [['thandi', '1 line(s), zu to en']], 'on the audit trail, without the words');
  });

  it('shows an expert who speaks isiZulu the lines as the ratepayer read them, asking the Translator nothing', async () => {
    const siphoStaff = await signIn(desk.service, 'sipho');
    const ratepayer = aRatepayer('Nomsa Zulu');
    const reference = await zuluCase(ratepayer, siphoStaff);
    const earlier = await earlierLine(reference);
    const lines = (await transcript(siphoStaff, reference)).filter((e) => e.from === 'system');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!.text, /^Manje usuxhumene no-Sipho/);
    for (const line of lines) assert.equal(line.translation, undefined, `as written, for a reader of isiZulu: ${line.text}`);
    assert.equal(translateRequests().length, 0, 'nothing sent to the Translator for him');
    assert.equal((await desk.store.get(reference))!.transcript!.find((e) => e.id === earlier)!.translation, undefined, 'nothing kept');

    // His English-only colleague, on the same case, reads them in English.
    const forThandi = (await transcript(desk.thandi, reference)).filter((e) => e.from === 'system');
    assert.deepEqual(
      forThandi.map((e) => [e.translation?.status, e.translation?.text?.slice(0, 34)]),
      [
        ['catalogue', 'You are now connected with Sipho, '],
        ['translated', `[en] ${EARLIER_LINE}`.slice(0, 34)],
      ],
    );
  });

  it('shows the original marked untranslated when the Translator fails, kept so the next view does not wait on it again', async () => {
    const sipho = aRatepayer('Sipho Dlamini');
    const reference = await zuluCase(sipho, desk.thandi);
    const earlier = await earlierLine(reference);
    desk.standIn.failNext(2, 503);
    const shown = (await transcript(desk.thandi, reference)).find((e) => e.id === earlier)!;
    assert.equal(shown.text, EARLIER_LINE, 'the original');
    assert.deepEqual(shown.translation, { status: 'failed', from: 'zu', to: 'en', reason: 'the translation service failed (HTTP 503)' });
    const asked = translateRequests().length;
    assert.equal(asked, 2, 'asked, and once more on the 503');
    const again = (await transcript(desk.thandi, reference)).find((e) => e.id === earlier)!;
    assert.equal(again.translation?.status, 'failed');
    assert.equal(translateRequests().length, asked, 'not asked again at once');
    // The catalogue's lines do not depend on the Translator.
    assert.equal((await transcript(desk.thandi, reference)).find((e) => e.from === 'system')!.translation?.status, 'catalogue');
  });

  it("gives the back office's referral page the same conversation as the expert's: an earlier line machine-translated once, kept; only to the referral's team (tester 8, finding 5)", async () => {
    const sipho = aRatepayer('Sipho Dlamini');
    const reference = await zuluCase(sipho, desk.thandi);
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'referred_back_office', summary: 'The billing team will check the March reading.' })).status, 200);
    const earlier = await earlierLine(reference);
    const zanele = await signIn(desk.service, 'zanele');
    const page = await zanele.get(`/api/back-office/referrals/${reference}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    const lines = (page.body.transcript as Entry[]).filter((e) => e.from === 'system');
    assert.deepEqual(lines.find((e) => e.id === earlier)?.translation, { status: 'translated', from: 'zu', to: 'en', text: `[en] ${EARLIER_LINE}` });
    assert.equal(lines[0]!.translation?.status, 'catalogue', 'the connected notice in the catalogue\'s English');
    // Kept on the case: the expert's page asks the Translator nothing more for it.
    const asked = translateRequests().length;
    assert.equal((await transcript(desk.thandi, reference)).find((e) => e.id === earlier)?.translation?.status, 'translated');
    assert.equal(translateRequests().length, asked);
    assert.deepEqual((await desk.store.get(reference))!.audit.filter((a) => a.action === 'bot lines translated').map((a) => a.by.id), ['zanele']);
    // An expert, even the one who referred it, still gets no referral page.
    const refused = await desk.thandi.get(`/api/back-office/referrals/${reference}`);
    assert.equal(refused.status, 403);
    assert.ok(!JSON.stringify(refused.body).includes(EARLIER_LINE));
  });
});
