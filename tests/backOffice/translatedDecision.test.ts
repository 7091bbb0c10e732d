/**
 * The back office's decision reaches a ratepayer who writes isiZulu as the expert's summary does
 * (tester 8, finding 3): machine-translated through the Translator (the client against the local
 * stand-in, real HTTP) and marked so in the receipt; when the Translator fails, as written with the
 * catalogue's line that it could not be translated (the expert's summary too); "status K7M-3PQ" quotes
 * it as the receipt did. The
 * ratepayer at a local Bot Framework connector, staff on the tab API, the embedded Cosmos DB.
 */
import assert from 'node:assert/strict';
import { t } from '../../bot/messages/index.js';
import { escapeMarkdown } from '../../bot/platform/cards/render.js';
import { aRatepayer, asShown, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { signIn } from '../support/tabApi.js';
import { until } from '../support/poll.js';
import { useTranslatedDesk } from '../support/translatedDesk.js';

const billing = { accountNumber: '501234567', accountHolder: 'Sipho Dlamini', mobile: '0821234567', description: 'My bill doubled in March.' };
const DECIDED = 'Reading corrected to 04512 kl; the credit shows on your next bill.';
const REFERRED = 'The billing team will check the March reading.';

describe("the back office's decision, in the ratepayer's language", function () {
  this.timeout(30_000);
  const desk = useTranslatedDesk();

  const chat = (user: TestUser) => desk.connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => asShown(s.body)).map((a) => `${a.text ?? ''}\n${cardText(cardOf(a) ?? {})}`);

  /**
   * A case of an isiZulu ratepayer, referred by Thandi (English only) to the back office; its
   * reference. `failTranslation`: the Translator refuses the summary's translation.
   */
  async function referredZuluCase(user: TestUser, failTranslation = false): Promise<string> {
    const { service, connector, store, thandi } = desk;
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { value: { verb: 'intake.submit', category: 'billing', draftId: `d-${user.aadObjectId}`, ...billing } })), 200);
    const confirmation = await until(() => chat(user).find((x) => /Your case reference/.test(x)), (x) => !!x, 'queued');
    const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(confirmation!)![1]!.replace('-', '');
    await store.replace({ ...(await store.get(reference))!, language: 'zu' });
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    if (failTranslation) desk.standIn.failNext(5, 503);
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'referred_back_office', summary: REFERRED })).status, 200);
    return reference;
  }

  /** Whether a message shows the receipt's "what was decided" line: as text, or on a card (the receipt with the reopen button), which escapes Markdown. */
  const showsDecided = (message: string, summary: string) => {
    const line = t('zu', 'followThrough.receipt.decided', { summary });
    return message.includes(line) || message.includes(escapeMarkdown(line));
  };

  it('translates what was decided and marks it machine-translated, as the summary is', async () => {
    const ratepayer = aRatepayer('Sipho Dlamini');
    const reference = await referredZuluCase(ratepayer);
    // The expert's summary, as it went: translated and marked.
    await until(() => chat(ratepayer), (c) => c.some((x) => showsDecided(x, `[zu] ${REFERRED} ${t('zu', 'translation.machineTranslated')}`)), "the expert's summary, in the referral's receipt");

    const zanele = await signIn(desk.service, 'zanele');
    const done = await zanele.post(`/api/back-office/referrals/${reference}/done`, { outcome: 'resolved', summary: `  ${DECIDED}  ` });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    // Marked as the back office's words, not the expert's (tester 9, finding 4).
    await until(() => chat(ratepayer), (c) => c.some((x) => showsDecided(x, `[zu] ${DECIDED} ${t('zu', 'translation.machineTranslatedBackOffice')}`)), "the back office's decision translated, marked as the back office's");
    const kept = (await desk.store.get(reference))!;
    assert.equal(kept.outcome?.summary, DECIDED, 'the words as written are kept');
    assert.deepEqual(kept.outcome?.translated, { to: 'zu', text: `[zu] ${DECIDED}` });
    const asked = desk.standIn.requests.filter((r) => r.path === '/translate' && r.query.to === 'zu').map((r) => r.body);
    assert.deepEqual(asked.at(-1), [{ Text: DECIDED }]);
    // "isimo K7M-3PQ" in isiZulu quotes the decision as the receipt did: translated, marked as the back office's.
    const say = async (text: string) => assert.equal(await postActivity(desk.service.url, messageFrom(ratepayer, desk.connector.serviceUrl, { text })), 200);
    await say('isiZulu');
    await until(() => chat(ratepayer), (c) => c.some((x) => x.includes(t('zu', 'language.changed', { language: 'isiZulu' }))), 'isiZulu chosen');
    await say(`isimo ${reference.slice(0, 3)}-${reference.slice(3)}`);
    const quoted = t('zu', 'followThrough.status.outcome', { outcome: t('zu', 'cards.outcome.resolved'), summary: `[zu] ${DECIDED} ${t('zu', 'translation.machineTranslatedBackOffice')}` });
    await until(() => chat(ratepayer), (c) => c.some((x) => x.includes(quoted)), 'the status quoting the decision in isiZulu');
  });

  it('sends the decision as written, marked as not translated, when the Translator fails, as the summary now goes too', async () => {
    const ratepayer = aRatepayer('Sipho Dlamini');
    const notTranslated = t('zu', 'translation.notTranslated');
    // The expert's summary: the original, with the catalogue's line that it could not be translated (as a message gets).
    const reference = await referredZuluCase(ratepayer, true);
    await until(() => chat(ratepayer), (c) => c.some((x) => showsDecided(x, `${REFERRED} ${notTranslated}`)), "the expert's summary, as written, marked", 8000);
    assert.deepEqual((await desk.store.get(reference))!.outcome?.untranslated, { to: 'zu', reason: 'the translation service failed (HTTP 503)' });

    const zanele = await signIn(desk.service, 'zanele');
    desk.standIn.failNext(5, 503);
    const before = desk.standIn.requests.length;
    assert.equal((await zanele.post(`/api/back-office/referrals/${reference}/done`, { outcome: 'resolved', summary: DECIDED })).status, 200);
    const receipt = (await until(() => chat(ratepayer), (c) => c.some((x) => showsDecided(x, `${DECIDED} ${notTranslated}`)), 'the decision as written, marked')).find((x) => showsDecided(x, `${DECIDED} ${notTranslated}`));
    assert.ok(!receipt!.includes(t('zu', 'translation.machineTranslated')) && !receipt!.includes(t('zu', 'translation.machineTranslatedBackOffice')), 'not marked as translated');
    const kept = (await desk.store.get(reference))!.outcome;
    assert.equal(kept?.translated, undefined);
    assert.deepEqual(kept?.untranslated, { to: 'zu', reason: 'the translation service failed (HTTP 503)' });
    // It was asked for, into isiZulu, and refused (a refused request's body is not recorded).
    const tried = desk.standIn.requests.slice(before).filter((r) => r.path === '/translate' && r.query.to === 'zu');
    assert.ok(tried.length > 0 && tried.every((r) => r.status === 503), JSON.stringify(tried.map((r) => r.status)));
  });

  it("translates the back office's update as its decision is, marked as the back office's, and tells staff so (tester 10, finding 7)", async () => {
    const ratepayer = aRatepayer('Sipho Dlamini');
    const reference = await referredZuluCase(ratepayer);
    const UPDATE = 'We have loaded your arrangement; please sign it at a customer service centre.';
    const zanele = await signIn(desk.service, 'zanele');
    assert.equal((await zanele.post(`/api/back-office/referrals/${reference}/update`, { text: UPDATE })).status, 200);
    const line = t('zu', 'followThrough.update', { reference: `${reference.slice(0, 3)}-${reference.slice(3)}`, team: 'Revenue back office', text: `[zu] ${UPDATE} ${t('zu', 'translation.machineTranslatedBackOffice')}` });
    await until(() => chat(ratepayer), (c) => c.some((x) => x.includes(line)), "the update in isiZulu, marked as the back office's words");
    assert.ok(!chat(ratepayer).some((x) => x.includes(`: ${UPDATE}`)), 'not in English');
    // Staff: the line in English with the words as written, marked as holding the back office's words machine-translated.
    const page = await zanele.get(`/api/back-office/referrals/${reference}`);
    assert.equal(page.status, 200);
    const entry = (page.body.transcript as { text: string; translation?: { status: string; text: string; holds?: unknown } }[]).find((m) => m.text === line)!;
    assert.ok(entry, JSON.stringify(page.body.transcript.map((m: { text: string }) => m.text)));
    assert.equal(entry.translation?.status, 'catalogue');
    assert.ok(entry.translation!.text.endsWith(`: ${UPDATE}`), entry.translation!.text);
    assert.deepEqual(entry.translation?.holds, { whose: 'backOffice', status: 'translated' });
  });

  it("sends the update as written, marked as not translated, when the Translator fails (tester 10, finding 7)", async () => {
    const ratepayer = aRatepayer('Sipho Dlamini');
    const reference = await referredZuluCase(ratepayer);
    const UPDATE = 'We found your March payment.';
    const zanele = await signIn(desk.service, 'zanele');
    desk.standIn.failNext(5, 503);
    assert.equal((await zanele.post(`/api/back-office/referrals/${reference}/update`, { text: UPDATE })).status, 200);
    await until(() => chat(ratepayer), (c) => c.some((x) => x.includes(`${UPDATE} ${t('zu', 'translation.notTranslated')}`)), 'the update as written, marked');
    const page = await zanele.get(`/api/back-office/referrals/${reference}`);
    const entry = (page.body.transcript as { text: string; translation?: { holds?: unknown } }[]).find((m) => m.text.includes(UPDATE))!;
    assert.deepEqual(entry.translation?.holds, { whose: 'backOffice', status: 'failed' });
  });
});
