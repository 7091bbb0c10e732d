/**
 * The query a ratepayer wrote in the intake form, for an expert who reads English only (tester 7,
 * finding 3): the free-text answers machine-translated once through the Translator client against
 * its local stand-in (real HTTP), kept on the case, marked, the original kept; codes, numbers and
 * names shown as given. The ratepayer chooses isiZulu and sends the form over the Bot Framework
 * protocol (a local connector); staff read the case page through the tab API; the store is the
 * embedded Cosmos DB server. Sipho speaks isiZulu (the definition's staff[].languages); Thandi
 * reads English only.
 */
import assert from 'node:assert/strict';
import type { IntakeLine } from '../../bot/platform/contract/tabApi.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { signIn, type ApiClient } from '../support/tabApi.js';
import { useTranslatedDesk } from '../support/translatedDesk.js';
import { until } from '../support/poll.js';

/** The tester's query, in isiZulu ("The water charge is far too high"). */
const QUERY = 'Imali yamanzi iphezulu kakhulu';
const billing = { accountNumber: '501234567', accountHolder: 'Sipho Dlamini', mobile: '0821234567', description: QUERY };


describe("the ratepayer's query from the intake form, translated for the expert", function () {
  this.timeout(30_000);
  const desk = useTranslatedDesk();

  const chat = (user: TestUser) => desk.connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => String(s.body.text ?? cardText(cardOf(s.body) ?? {})));
  /** What was sent to the Translator for staff (into English). */
  const forStaff = () => desk.standIn.requests.filter((r) => r.path === '/translate' && r.query.to === 'en');

  async function say(user: TestUser, fields: { text?: string; value?: unknown }) {
    assert.equal(await postActivity(desk.service.url, messageFrom(user, desk.connector.serviceUrl, fields)), 200);
  }

  /** The ratepayer chooses isiZulu, then sends the billing form with `values`; returns the case reference. */
  async function zuluQuery(user: TestUser, values: Record<string, string>): Promise<string> {
    await say(user, { value: { verb: 'language.choose', language: 'zu' } });
    await say(user, { value: { verb: 'intake.submit', category: 'billing', draftId: `d-${user.aadObjectId}`, ...values } });
    const confirmation = await until(() => chat(user).find((t) => /[2-9A-Z]{3}-[2-9A-Z]{3}/.test(t)) ?? chat(user).join('\n---\n'), (t) => /[2-9A-Z]{3}-[2-9A-Z]{3}/.test(t), 'queued');
    const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(confirmation!)![1]!.replace('-', '');
    assert.equal((await desk.store.get(reference))!.language, 'zu', 'the case is in isiZulu');
    return reference;
  }

  async function intake(client: ApiClient, reference: string): Promise<Map<string, IntakeLine>> {
    const page = await client.get(`/api/cases/${reference}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    return new Map((page.body.intake as IntakeLine[]).map((l) => [l.name, l]));
  }

  it('shows an English-only expert the query in English, marked, with the original; once, kept; codes, numbers and names as given', async () => {
    const ratepayer = aRatepayer('Sipho Dlamini');
    const reference = await zuluQuery(ratepayer, billing);

    const lines = await intake(desk.thandi, reference);
    assert.deepEqual(lines.get('description'), {
      name: 'description',
      label: 'Query',
      value: QUERY,
      translation: { status: 'translated', from: 'zu', to: 'en', text: `[en] ${QUERY}` },
    });
    for (const name of ['accountNumber', 'accountHolder', 'mobile']) assert.equal(lines.get(name)?.translation, undefined, `${name} is shown as given`);
    assert.equal(lines.get('accountNumber')!.value, '501234567');
    // Only the query went to the Translator.
    assert.deepEqual(forStaff().map((r) => [r.query.from, r.body]), [['zu', [{ Text: QUERY }]]]);

    // Kept on the case: another view, or another person's, asks nothing.
    await intake(desk.thandi, reference);
    await intake(await signIn(desk.service, 'johan'), reference);
    assert.equal(forStaff().length, 1, 'translated once');
    const kept = (await desk.store.get(reference))!;
    assert.deepEqual(kept.intakeTranslations?.description, { status: 'translated', from: 'zu', to: 'en', text: `[en] ${QUERY}` });
    assert.equal(kept.intake.description, QUERY, 'the answer itself as written');
    assert.deepEqual(
      kept.audit.filter((a) => a.action === 'details translated').map((a) => [a.by.id, a.detail]),
      [['thandi', 'description, zu to en']],
      'on the audit trail, without the words',
    );

    // "My data" shows the ratepayer what is held, the translation kept for staff too (POPIA s23).
    await say(ratepayer, { text: 'imininingwane yami' });
    const held = await until(() => chat(ratepayer).find((t) => t.includes('Imininingwane osinike yona')) ?? '', (t) => t !== '', 'my data');
    assert.ok(held.includes(QUERY), held);
    assert.ok(held.includes('kuhunyushwe ngomshini kwisiNgisi'), held);
    assert.ok(held.includes(`\\[en\\] ${QUERY}`), held);

    // Sipho reads isiZulu: the query as written, nothing marked.
    const forSipho = await intake(await signIn(desk.service, 'sipho'), reference);
    assert.equal(forSipho.get('description')!.value, QUERY);
    assert.equal(forSipho.get('description')!.translation, undefined);
  });

  it('translates a query the ratepayer changes while waiting anew, and shows the original marked "not translated" when the Translator fails', async () => {
    const ratepayer = aRatepayer('Nomsa Zulu');
    const reference = await zuluQuery(ratepayer, billing);
    desk.standIn.failNext(2, 503);
    const failed = (await intake(desk.thandi, reference)).get('description')!;
    assert.equal(failed.value, QUERY);
    assert.deepEqual(failed.translation, { status: 'failed', from: 'zu', to: 'en', reason: 'the translation service failed (HTTP 503)' });

    // The ratepayer sends the form again with another query while waiting: the new words are
    // translated for the next view, not the old translation shown beside them.
    const changed = 'Ibhili yami iphezulu kakhulu.';
    await say(ratepayer, { value: { verb: 'intake.submit', category: 'billing', draftId: `d-${ratepayer.aadObjectId}`, ...billing, description: changed } });
    await until(() => desk.store.get(reference), (c) => c?.intake.description === changed, 'the query changed');
    const retranslated = (await intake(desk.thandi, reference)).get('description')!;
    assert.equal(retranslated.value, changed);
    assert.deepEqual(retranslated.translation, { status: 'translated', from: 'zu', to: 'en', text: 'My bill is too high.' });
  });
});
