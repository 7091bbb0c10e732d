/**
 * The bot's cards and the ratepayer's card answers on the transcript, as an English-only expert
 * reads them on the case page (issue 16 carried to cards): each card line keeps the same card
 * rendered from the catalogue in English when it is sent (its title, questions and choices); what
 * the ratepayer sent with a button or a form keeps the catalogue's English too ("Label: value",
 * choices by their English labels, never codes). Nothing of it goes to the Translator. The
 * ratepayer writes isiZulu at a local Bot Framework connector (activities POSTed to
 * /api/messages); staff use the tab API over HTTP; cases are in the embedded Cosmos DB; the
 * Translator is its client against the local stand-in (real HTTP).
 */
import assert from 'node:assert/strict';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { definitionWithAgents, signIn, type ApiClient } from '../support/tabApi.js';
import { useTranslatedDesk } from '../support/translatedDesk.js';
import { until } from '../support/poll.js';

const billing = { accountNumber: '501234567', accountHolder: 'Sipho Dlamini', mobile: '0821234567', description: 'My bill doubled in March.' };

interface Entry {
  id: string;
  from: string;
  text: string;
  card?: unknown;
  translation?: { status: string; from: string; to: string; text?: string };
}

describe('cards and card answers on the transcript, in English for an English-only expert', function () {
  this.timeout(30_000);
  // The local definition as it is: its experts read English only.
  const desk = useTranslatedDesk({ definition: definitionWithAgents(0) });
  /** The supervisor, who reads English only and may open the case wherever it goes. */
  let johan: ApiClient;
  beforeEach(async () => {
    johan = await signIn(desk.service, 'johan');
  });

  const chat = (user: TestUser) => desk.connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => `${String(s.body.text ?? '')}\n${cardText(cardOf(s.body) ?? {})}`);
  // The query from the form is translated for staff too, once, when the case page is first shown
  // (tests/conversation/intakeTranslation.test.ts): left out here, where the cards are the subject.
  const toEnglish = () =>
    desk.standIn.requests.filter((r) => r.path === '/translate' && r.query.to === 'en' && JSON.stringify(r.body) !== JSON.stringify([{ Text: billing.description }]));

  async function press(user: TestUser, value: Record<string, unknown>): Promise<void> {
    assert.equal(await postActivity(desk.service.url, messageFrom(user, desk.connector.serviceUrl, { value })), 200);
  }

  async function transcript(client: ApiClient, reference: string): Promise<Entry[]> {
    const page = await client.get(`/api/cases/${reference}`);
    assert.equal(page.status, 200);
    return page.body.transcript as Entry[];
  }

  /** A billing case queued through the chat, its ratepayer's language isiZulu (as the store keeps it), claimed by Thandi. */
  async function zuluCase(user: TestUser): Promise<string> {
    await press(user, { verb: 'intake.submit', category: 'billing', draftId: `d-${user.aadObjectId}`, ...billing });
    const confirmation = await until(() => chat(user).find((t) => /Your case reference/.test(t)), (t) => !!t, 'queued');
    const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(confirmation!)![1]!.replace('-', '');
    await desk.store.replace({ ...(await desk.store.get(reference))!, language: 'zu' });
    assert.equal((await desk.thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    return reference;
  }

  it("keeps the English of the end-chat question, the details form, the summary card and the survey, and of the ratepayer's button and form answers", async () => {
    const sipho = aRatepayer('Sipho Dlamini');
    const reference = await zuluCase(sipho);
    const display = `${reference.slice(0, 3)}-${reference.slice(3)}`;

    // The "end the chat?" question (a card), and his answer by its button.
    await press(sipho, { verb: 'case.cancel', reference });
    const question = (await until(() => transcript(johan, reference), (t) => t.some((e) => e.card && /end the chat/i.test(e.translation?.text ?? '')), 'the end-chat question')).find((e) => e.card && /end the chat/i.test(e.translation?.text ?? ''))!;
    assert.equal(question.translation!.status, 'catalogue');
    assert.doesNotMatch(question.text, /end the chat/i, 'the line itself is what the ratepayer read, in isiZulu');
    assert.match(question.translation!.text!, /^Do you want to end the chat with Thandi\?/m, 'its title in English');
    assert.match(question.translation!.text!, /^1\. Yes, end the chat$/m, 'its buttons in English');
    assert.match(question.translation!.text!, /^2\. No, carry on$/m);
    assert.doesNotMatch(question.translation!.text!, /Reply with the number/, 'he pressed a button: no WhatsApp instruction');
    await press(sipho, { verb: 'case.endChat', reference, choice: 'continue' });
    const answer = (await until(() => transcript(johan, reference), (t) => t.some((e) => e.from === 'ratepayer'), 'his answer')).find((e) => e.from === 'ratepayer')!;
    assert.equal(answer.text, '[Ukhethe: qhubeka nengxoxo]', 'what he chose, as he saw it');
    assert.deepEqual(answer.translation, { status: 'catalogue', from: 'zu', to: 'en', text: '[Chose: carry on with the chat]' });

    // A transfer to metering asks for the meter's details with a form (a card).
    const moved = await desk.thandi.post(`/api/cases/${reference}/transfer`, { toCategory: 'metering', note: 'A meter query' });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const form = (await until(() => transcript(johan, reference), (t) => t.some((e) => e.card && /Meter type/.test(e.translation?.text ?? '')), 'the details form')).find((e) => e.card && /Meter type/.test(e.translation?.text ?? ''))!;
    assert.equal(form.translation!.status, 'catalogue');
    assert.equal(form.translation!.from, 'zu');
    const formWords = form.translation!.text!.split('\n');
    assert.equal(formWords[0], 'Water and electricity metering queries: a few more details', 'the title, without WhatsApp marks');
    for (const line of ['- Meter type', '  1. Water', '  2. Electricity', '- Meter number']) assert.ok(formWords.includes(line), `"${line}" in: ${form.translation!.text}`);

    // His answers: the meter type by its button (a code), the number typed.
    await press(sipho, { verb: 'details.submit', reference, meterType: 'electricity', meterNumber: 'e 1234 5678' });
    const sent = (await until(() => transcript(johan, reference), (t) => t.filter((e) => e.from === 'ratepayer').length === 2, 'the details he sent')).filter((e) => e.from === 'ratepayer')[1]!;
    assert.deepEqual(sent.translation, { status: 'catalogue', from: 'zu', to: 'en', text: 'Meter type: Electricity\nMeter number: E12345678' });
    assert.doesNotMatch(sent.text, /Meter type|electricity/i, 'as he saw the form, in isiZulu, never the code');
    assert.equal(sent.text.split('\n').length, 2);
    assert.match(sent.text.split('\n')[1]!, /: E12345678$/, 'the number as kept');

    // Anele, of metering, claims it and resolves it: the summary card and the survey.
    const anele = await signIn(desk.service, 'anele');
    assert.equal((await anele.post(`/api/cases/${reference}/claim`)).status, 200);
    assert.equal((await anele.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'The meter was read again.' })).status, 200);
    const lines = await until(() => transcript(johan, reference), (t) => t.some((e) => /How did we do/.test(e.translation?.text ?? '')), 'the survey');
    const summary = lines.find((e) => e.card && /The meter was read again/.test(e.translation?.text ?? ''))!;
    assert.ok(summary, 'the summary card in English');
    assert.equal(summary.translation!.status, 'catalogue');
    assert.ok(summary.translation!.text!.includes(`Case reference: ${display}`), summary.translation!.text);
    assert.match(summary.translation!.text!, /^Outcome: Resolved$/m, 'the outcome by its English label');
    assert.match(summary.translation!.text!, /^What was done: The meter was read again\.$/m, "the expert's own words");
    const survey = lines.find((e) => e.card && /How did we do/.test(e.translation?.text ?? ''))!;
    assert.equal(survey.translation!.status, 'catalogue');
    assert.match(survey.translation!.text!, /^ {2}5\. /m, 'the ratings, each in English');

    // Every card of the bot carries its English; nothing of it was machine-translated.
    const cards = (await transcript(johan, reference)).filter((e) => e.from === 'system' && e.card);
    assert.ok(cards.length >= 4, `cards: ${cards.length}`);
    for (const c of cards) assert.equal(c.translation?.status, 'catalogue', `card line: ${c.text}`);
    assert.equal(toEnglish().length, 0, 'the catalogue, not the Translator');
    // The store keeps the same: what was sent, and its English.
    const kept = (await desk.store.get(reference))!.transcript!.filter((e) => e.from === 'ratepayer');
    assert.equal(kept[1]!.translation?.status, 'catalogue');
  });
});
