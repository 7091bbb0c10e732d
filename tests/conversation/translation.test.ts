/**
 * The expert and the ratepayer understand each other (issue 16): the relay through the Translator
 * client against the local stand-in (real HTTP both ways), the ratepayer at a local Bot Framework
 * connector, the expert through the tab API. A case's language is set as the store keeps it
 * (`language` on the case, read with localeOf).
 */
import assert from 'node:assert/strict';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, asShown, type TestUser } from '../support/activities.js';
import { definitionWithAgents, signIn } from '../support/tabApi.js';
import { useTranslatedDesk } from '../support/translatedDesk.js';
import { until } from '../support/poll.js';

const billing = { accountNumber: '501234567', accountHolder: 'Sipho Dlamini', mobile: '0821234567', description: 'My bill doubled in March.' };

interface Entry {
  from: string;
  text: string;
  translation?: { status: string; from: string; to: string; text?: string; reason?: string };
  delivery?: { status: string };
}

describe('translation between the ratepayer and the expert (issue 16)', function () {
  this.timeout(30_000);
  // The local definition as it is: its experts read English only.
  const desk = useTranslatedDesk({ definition: definitionWithAgents(0) });

  const chat = (user: TestUser) => desk.connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => String(asShown(s.body).text ?? cardText(cardOf(s.body) ?? {})));

  /**
   * What was sent to the Translator but the query from the form, which is translated for staff once
   * when the case page is first shown, here with the claim (tests/conversation/intakeTranslation.test.ts).
   */
  const chatRequests = () => desk.standIn.requests.filter((r) => JSON.stringify(r.body) !== JSON.stringify([{ Text: billing.description }]));

  async function say(user: TestUser, text: string) {
    assert.equal(await postActivity(desk.service.url, messageFrom(user, desk.connector.serviceUrl, { text })), 200);
  }

  /** A case queued through the chat, its ratepayer's language set to `language`, claimed by Thandi. */
  async function connectedCase(user: TestUser, language: 'zu' | 'af' | 'st' | 'en'): Promise<string> {
    assert.equal(await postActivity(desk.service.url, messageFrom(user, desk.connector.serviceUrl, { value: { verb: 'intake.submit', category: 'billing', draftId: `d-${user.aadObjectId}`, ...billing } })), 200);
    const confirmation = await until(() => chat(user).find((t) => /Your case reference/.test(t)), (t) => !!t, 'queued');
    const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(confirmation!)![1]!.replace('-', '');
    const stored = (await desk.store.get(reference))!;
    await desk.store.replace({ ...stored, language });
    const sentBefore = chat(user).length;
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    await until(() => chat(user).length, (n) => n > sentBefore, 'connected message');
    return reference;
  }

  async function transcript(reference: string): Promise<Entry[]> {
    const page = await desk.thandi.get(`/api/cases/${reference}`);
    assert.equal(page.status, 200);
    return page.body.transcript as Entry[];
  }

  it('shows the ratepayer\'s message to the expert in English with the original, and sends the expert\'s in isiZulu, marked', async () => {
    const sipho = aRatepayer('Sipho Dlamini');
    const reference = await connectedCase(sipho, 'zu');
    const queue = await desk.thandi.get(`/api/cases/${reference}`);
    assert.deepEqual(queue.body.language, { code: 'zu', name: 'isiZulu' });
    assert.deepEqual(queue.body.translation, { needed: true, on: true, expertLanguage: 'en' });

    await say(sipho, 'Ibhili yami iphezulu kakhulu.');
    const fromRatepayer = (await until(() => transcript(reference), (t) => t.some((e) => e.from === 'ratepayer'), 'ratepayer message')).find((e) => e.from === 'ratepayer')!;
    assert.equal(fromRatepayer.text, 'Ibhili yami iphezulu kakhulu.', 'the original, as written');
    assert.deepEqual(fromRatepayer.translation, { status: 'translated', from: 'zu', to: 'en', text: 'My bill is too high.' });

    assert.equal((await desk.thandi.post(`/api/cases/${reference}/messages`, { text: 'How can I help you?' })).status, 200);
    const relayed = await until(() => chat(sipho).find((t) => t.startsWith('Thandi')), (t) => !!t, 'the expert\'s message in the chat');
    assert.equal(relayed, 'Thandi (uchwepheshe: Imibuzo nge-akhawunti nesitatimende): Ngingakusiza kanjani?\n(Kuhunyushwe ngomshini kusuka esiNgisini. Amagama kachwepheshe uqobo agcinwa nodaba lwakho.)');
    const fromExpert = (await until(() => transcript(reference), (t) => t.some((e) => e.from === 'expert' && e.delivery?.status === 'delivered'), 'delivered')).find((e) => e.from === 'expert')!;
    assert.equal(fromExpert.text, 'How can I help you?', 'the expert\'s own words kept');
    assert.deepEqual(fromExpert.translation, { status: 'translated', from: 'en', to: 'zu', text: 'Ngingakusiza kanjani?' });
    // What the stand-in was asked: the query from the form, once, for the case page shown with the
    // claim (tests/conversation/intakeTranslation.test.ts), then the two texts, each way.
    assert.deepEqual(desk.standIn.requests.filter((r) => r.path === '/translate').map((r) => [r.query.from, r.query.to, r.body]), [
      ['zu', 'en', [{ Text: billing.description }]],
      ['zu', 'en', [{ Text: 'Ibhili yami iphezulu kakhulu.' }]],
      ['en', 'zu', [{ Text: 'How can I help you?' }]],
    ]);
  });

  it('sends no full ID number to the Translator, from the ratepayer or the expert (tester 10, finding 10)', async () => {
    const lindiwe = aRatepayer('Lindiwe Test');
    const reference = await connectedCase(lindiwe, 'zu');
    await say(lindiwe, 'Inombolo yami ka-ID ngu 8504120620086.');
    await until(() => transcript(reference), (t) => t.some((e) => e.from === 'ratepayer'), 'ratepayer message');
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/messages`, { text: 'Is your ID 850412 0620 086?' })).status, 200);
    await until(() => chatRequests().length, (n) => n >= 2, 'both messages translated');
    const sent = JSON.stringify(chatRequests().map((r) => r.body));
    assert.ok(!sent.includes('8504120620086') && !sent.includes('850412 0620 086'), `no full ID sent: ${sent}`);
    assert.match(sent, /•••••••••0086/);
  });

  it('sends the resolution\'s summary in the ratepayer\'s language, marked, and keeps the expert\'s words on the case', async () => {
    const sipho = aRatepayer('Sipho Mkhize');
    const reference = await connectedCase(sipho, 'zu');
    const before = chat(sipho).length;
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'The March reading was corrected.' })).status, 200);
    const card = await until(() => chat(sipho).slice(before).find((t) => t.includes('The March reading was corrected')), (t) => !!t, 'the summary card');
    // The card's text escapes Markdown (\\[): read it as shown.
    const shown = card!.replace(/\\(.)/g, '$1');
    assert.match(shown, /\[zu\] The March reading was corrected\./, `translated (the stand-in marks what it has no phrase for): ${shown}`);
    assert.match(shown, /Kuhunyushwe ngomshini/, 'marked as machine-translated');
    const page = await desk.thandi.get(`/api/cases/${reference}`);
    assert.equal(page.body.outcome.summary, 'The March reading was corrected.', 'the expert\'s own words on the case');
  });

  it('delivers a message untranslated and marked when the Translator fails, both ways', async () => {
    const marike = aRatepayer('Marike Botha');
    const reference = await connectedCase(marike, 'af');
    desk.standIn.failNext(2, 503);
    await say(marike, 'My rekening is te hoog.');
    const fromRatepayer = (await until(() => transcript(reference), (t) => t.some((e) => e.from === 'ratepayer'), 'ratepayer message')).find((e) => e.from === 'ratepayer')!;
    assert.equal(fromRatepayer.text, 'My rekening is te hoog.');
    assert.deepEqual(fromRatepayer.translation, { status: 'failed', from: 'af', to: 'en', reason: 'the translation service failed (HTTP 503)' });

    desk.standIn.failNext(2, 429, 0);
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/messages`, { text: 'The March reading was estimated.' })).status, 200);
    const relayed = await until(() => chat(marike).find((t) => t.startsWith('Thandi')), (t) => !!t, 'the expert\'s message');
    assert.match(relayed!, /^Thandi \(Rekening- en faktuurnavrae-kundige\): The March reading was estimated\.\n\(Hierdie boodskap kon nie outomaties vertaal word nie, daarom is dit in Engels\.\)$/);
    const fromExpert = (await transcript(reference)).find((e) => e.from === 'expert')!;
    assert.equal(fromExpert.translation?.status, 'failed');
    assert.match(fromExpert.translation!.reason!, /busy \(HTTP 429\)/);
  });

  it('lets the expert turn translation off for the case (on the audit trail), and on again', async () => {
    const lineo = aRatepayer('Lineo Mokoena');
    const reference = await connectedCase(lineo, 'st');
    const off = await desk.thandi.post(`/api/cases/${reference}/translation`, { on: false });
    assert.equal(off.status, 200);
    assert.equal(off.body.translation.on, false);
    assert.ok(off.body.audit.some((a: { action: string; by: { id: string } }) => a.action === 'translation off' && a.by.id === 'thandi'));
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/translation`, { on: false })).status, 409, 'already off');
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/translation`, { on: 'no' })).status, 400);

    await say(lineo, 'Tefo ya ka e phahame haholo.');
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/messages`, { text: 'Ke a utlwisisa.' })).status, 200);
    const relayed = await until(() => chat(lineo).find((t) => t.startsWith('Thandi')), (t) => !!t, 'the expert\'s message');
    assert.equal(relayed, 'Thandi (setsebi: Dipotso ka akhaonto le setatemente): Ke a utlwisisa.', 'as written, with no machine-translation mark');
    const entries = await until(() => transcript(reference), (t) => t.filter((e) => e.from !== 'system').length === 2, 'both messages');
    assert.deepEqual(entries.filter((e) => e.from !== 'system').map((e) => e.translation), [
      { status: 'off', from: 'st', to: 'en' },
      { status: 'off', from: 'en', to: 'st' },
    ]);
    assert.equal(chatRequests().length, 0, 'nothing was sent to the Translator');

    const on = await desk.thandi.post(`/api/cases/${reference}/translation`, { on: true });
    assert.equal(on.body.translation.on, true);
    assert.ok(on.body.audit.some((a: { action: string }) => a.action === 'translation on'));
  });

  it('lets only the expert on the case (or a supervisor) turn it off, and not for an English-speaking ratepayer', async () => {
    const sipho = aRatepayer('Sipho Dlamini');
    const reference = await connectedCase(sipho, 'zu');
    const other = await signIn(desk.service, 'sipho');
    assert.equal((await other.post(`/api/cases/${reference}/translation`, { on: false })).status, 403);
    const lerato = aRatepayer('Lerato Molefe');
    const english = await connectedCase(lerato, 'en');
    const page = await desk.thandi.get(`/api/cases/${english}`);
    assert.equal(page.body.allowed.translation, false);
    assert.deepEqual(page.body.translation, { needed: false, on: true, expertLanguage: 'en' });
    assert.equal((await desk.thandi.post(`/api/cases/${english}/translation`, { on: false })).status, 400);
    // An English conversation is relayed without the Translator.
    assert.equal((await desk.thandi.post(`/api/cases/${english}/messages`, { text: 'Hello Lerato' })).status, 200);
    await until(() => chat(lerato).find((t) => t.startsWith('Thandi')), (t) => t === 'Thandi (Account and billing queries expert): Hello Lerato', 'as written');
    assert.equal(chatRequests().length, 0);
  });

  it('shows the ratepayer\'s language in the queue before anyone claims the case', async () => {
    const sipho = aRatepayer('Sipho Dlamini');
    assert.equal(await postActivity(desk.service.url, messageFrom(sipho, desk.connector.serviceUrl, { value: { verb: 'intake.submit', category: 'billing', draftId: `d-${sipho.aadObjectId}`, ...billing } })), 200);
    const confirmation = await until(() => chat(sipho).find((t) => /Your case reference/.test(t)), (t) => !!t, 'queued');
    const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(confirmation!)![1]!.replace('-', '');
    await desk.store.replace({ ...(await desk.store.get(reference))!, language: 'zu' });
    const queue = await desk.thandi.get('/api/queue');
    assert.equal(queue.body.waiting.find((w: { reference: string }) => w.reference === reference)?.language, 'zu');
  });
});
