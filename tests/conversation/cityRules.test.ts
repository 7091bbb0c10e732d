/**
 * Issue 20, the ratepayer's side: when the expert lodges a dispute, records an arrangement or an
 * ESP registration (tab API, real HTTP), the ratepayer's own chat (a local Bot Framework
 * connector) gets the receipt, the arrangement summary or the registration's dates, in writing,
 * kept on the case's transcript with its delivery.
 */
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, asShown, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from '../support/tabApi.js';
import { t, type Locale } from '../../bot/messages/index.js';
import { until } from '../support/poll.js';

const details = { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '0821234567', description: 'My bill doubled in March.' };

describe('the City\'s rules, as the ratepayer hears them (issue 20)', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let service: RunningService;
  // Monday 1 August 2022, 18:30 in Johannesburg.
  const now = new Date('2022-08-01T16:30:00Z');

  beforeEach(async () => {
    connector = await startLocalConnector();
    service = await startTestService(await freshDatabase(), definitionWithAgents(0), {
      clock: { now: () => now },
      pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 },
    });
  });
  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => asShown(s.body)); // as read: Teams' xml text decoded (shownText)

  async function expectInChat(user: TestUser, pattern: RegExp, timeoutMs = 5000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = sentTo(user).map((a) => `${a.text ?? ''}\n${cardText(cardOf(a) ?? {})}`).find((text) => pattern.test(text));
      if (found) return found;
      if (Date.now() > until) assert.fail(`no message matching ${pattern} in:\n${sentTo(user).map((a) => a.text ?? cardText(cardOf(a))).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Queues a case through the bot and has `expert` claim it; returns the reference. */
  async function queuedAndClaimed(user: TestUser, category: string, values: Record<string, unknown>, expert: ApiClient, locale: Locale = 'en'): Promise<string> {
    // The client's locale (Teams `locale`) is the language a new chat is answered in.
    assert.equal(await postActivity(service.url, { ...messageFrom(user, connector.serviceUrl, { value: { verb: 'intake.submit', category, draftId: `draft-${user.aadObjectId}`, ...values } }), locale: `${locale}-ZA` }), 200);
    const heading = t(locale, 'cards.queued.reference');
    const confirmation = await expectInChat(user, new RegExp(heading));
    const reference = new RegExp(`${heading}\\n([2-9A-Z]{3}-[2-9A-Z]{3})`).exec(confirmation)![1]!.replace('-', '');
    const before = sentTo(user).length;
    assert.equal((await expert.post(`/api/cases/${reference}/claim`)).status, 200);
    await until(() => sentTo(user).length > before, Boolean, 'connected', 5000);
    return reference;
  }

  it('sends the dispute receipt: its reference, the amounts and reasons, what to keep paying, the deadline and the appeal date', async () => {
    const thandi = await signIn(service, 'thandi');
    const user = aRatepayer('Lerato Molefe');
    const reference = await queuedAndClaimed(user, 'billing', details, thandi);
    const lodged = await thandi.post(`/api/cases/${reference}/dispute`, {
      statementDate: '2022-07-25',
      items: [
        { amountCents: 150_000, reason: 'Water charged on an estimate', meter: { billed: 4120, own: 3890, estimated: true } },
        { amountCents: 25_050, reason: 'Refuse charged twice' },
      ],
      keepPayingCents: 85_000,
      keepPayingBasis: 'average',
    });
    assert.equal(lodged.status, 200);
    const receipt = await expectInChat(user, /Your billing dispute is on record/);
    assert.match(receipt, new RegExp(`Dispute reference: ${reference.slice(0, 3)}-${reference.slice(3)}-D1 \\(case ${reference.slice(0, 3)}-${reference.slice(3)}\\)`));
    assert.match(receipt, /statement of Monday 25 July 2022: R1\u00a0750\.50/);
    assert.match(receipt, /R1\u00a0500\.00: Water charged on an estimate \(the bill's reading 4120, estimated; your meter shows 3890\)/);
    assert.match(receipt, /R250\.50: Refuse charged twice/);
    assert.match(receipt, /keep paying R850\.00 a month \(your average monthly amount\)/);
    assert.match(receipt, /in writing by Monday 15 August 2022/);
    assert.match(receipt, /Municipal Manager from Sunday 30 October 2022/);
    const page = await thandi.get(`/api/cases/${reference}`);
    const entry = page.body.transcript.find((e: any) => /billing dispute is on record/.test(e.text));
    assert.equal(entry?.delivery?.status, 'delivered', 'kept on the transcript with its delivery');
    // The dispute reference printed as proof works with "status": it names its case (tester 10, finding 11).
    const shownRef = `${reference.slice(0, 3)}-${reference.slice(3)}`;
    for (const typed of [`${shownRef}-D1`, `${reference}-D1`]) {
      const before = sentTo(user).length;
      assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { text: `status ${typed}` })), 200);
      const until = Date.now() + 5000;
      let answer = '';
      while (!answer && Date.now() < until) {
        answer = sentTo(user).slice(before).map((a) => `${a.text ?? ''}${cardText(cardOf(a) ?? {})}`).join('\n');
        if (!answer) await new Promise((r) => setTimeout(r, 25));
      }
      assert.match(answer, new RegExp(`Case ${shownRef} \\(Account and billing queries\\)`), `status ${typed}: ${answer}`);
      assert.doesNotMatch(answer, /didn't catch/);
    }
  });

  it('sends the arrangement summary with the plan and how to sign the acknowledgement of debt', async () => {
    const priya = await signIn(service, 'priya');
    const user = aRatepayer('Sipho Nkosi');
    const reference = await queuedAndClaimed(user, 'credit-control', { ...details, arrearsAmount: '12000', proposedMonthlyPayment: '500' }, priya);
    assert.equal((await priya.post(`/api/cases/${reference}/arrangement`, { accountType: 'business', debtCents: 1_200_000, months: 7 })).status, 200);
    const summary = await expectInChat(user, /Your repayment arrangement/);
    assert.match(summary, /R6\u00a0000\.00 now, then 2 monthly payments of R857\.15 and 5 monthly payments of R857\.14, R12\u00a0000\.00 in all/);
    assert.match(summary, /acknowledgement of debt at a City of Johannesburg customer service centre/);
  });

  it('a referral receipt after an arrangement says the acknowledgement of debt is still to be signed, not "nothing to do now" (tester 10, finding 8)', async () => {
    const priya = await signIn(service, 'priya');
    const user = aRatepayer('Mpho Mokoena');
    const reference = await queuedAndClaimed(user, 'credit-control', { ...details, arrearsAmount: '12000', proposedMonthlyPayment: '500' }, priya);
    assert.equal((await priya.post(`/api/cases/${reference}/arrangement`, { accountType: 'domestic', debtCents: 1_200_000, months: 24 })).status, 200);
    await expectInChat(user, /Your repayment arrangement/);
    assert.equal((await priya.post(`/api/cases/${reference}/resolve`, { outcome: 'referred_back_office', summary: 'Back office to load the arrangement.' })).status, 200);
    const receipt = await expectInChat(user, /The back office will look into your query/);
    assert.doesNotMatch(receipt, /You do not need to do anything now/);
    assert.match(receipt, /What you still need to do:\n• To make your repayment arrangement binding: sign the acknowledgement of debt at a City of Johannesburg customer service centre/);
  });

  it('an arrangement made: the summary card and the receipt say the acknowledgement of debt is still to be signed, and how (tester 10, finding 8)', async () => {
    const priya = await signIn(service, 'priya');
    const user = aRatepayer('Themba Ndlovu');
    const reference = await queuedAndClaimed(user, 'credit-control', { ...details, arrearsAmount: '12000', proposedMonthlyPayment: '500' }, priya);
    assert.equal((await priya.post(`/api/cases/${reference}/arrangement`, { accountType: 'domestic', debtCents: 1_200_000, months: 24 })).status, 200);
    await expectInChat(user, /Your repayment arrangement/);
    assert.equal((await priya.post(`/api/cases/${reference}/resolve`, { outcome: 'arrangement_made', summary: 'R500 a month for 24 months.' })).status, 200);
    const card = await expectInChat(user, /The arrangement applies once you have signed/);
    assert.match(card, /The arrangement applies once you have signed the acknowledgement of debt: sign the acknowledgement of debt at a City of Johannesburg customer service centre/);
    assert.doesNotMatch(card, /will be confirmed in writing/);
    const receipt = await expectInChat(user, /What you still need to do:/);
    assert.doesNotMatch(receipt, /Nothing more is needed from you/);
  });

  it('an ESP referral receipt lists the documents to bring while no registration is recorded; with one recorded, nothing is asked (tester 10, finding 8)', async () => {
    const priya = await signIn(service, 'priya');
    const esp = { ...details, idNumber: '8001015009087', householdSize: '4', monthlyHouseholdIncome: '3500' };
    const lindiwe = aRatepayer('Lindiwe Zulu');
    const first = await queuedAndClaimed(lindiwe, 'indigent', esp, priya);
    assert.equal((await priya.post(`/api/cases/${first}/resolve`, { outcome: 'referred_back_office', summary: 'Application to be checked.' })).status, 200);
    const receipt = await expectInChat(lindiwe, /The back office will look into your query/);
    assert.doesNotMatch(receipt, /You do not need to do anything now/);
    const documents = service.definition.rules.esp.documents.map((d) => d.name);
    assert.ok(documents.length > 0);
    assert.ok(receipt.includes(`• For your ESP application, bring these documents to the City if you have not given them yet: ${documents.join('; ')}.`), receipt);

    const nomsa = aRatepayer('Nomsa Dube');
    const second = await queuedAndClaimed(nomsa, 'indigent', esp, priya);
    assert.equal((await priya.post(`/api/cases/${second}/esp-registration`, { registeredOn: '2022-08-01' })).status, 200);
    assert.equal((await priya.post(`/api/cases/${second}/resolve`, { outcome: 'referred_back_office', summary: 'Registration to be loaded.' })).status, 200);
    const registered = await expectInChat(nomsa, /The back office will look into your query/);
    assert.match(registered, /You do not need to do anything now/);
    assert.doesNotMatch(registered, /What you still need to do/);
  });

  it("the City's own rules texts in the ratepayer's language from the definition; without them, English marked so (tester 10, finding 12)", async () => {
    const def = definitionWithAgents(0);
    const ST_ACK = 'saena tumellano ya sekoloto (acknowledgement of debt) setsing sa ditshebeletso tsa bareki sa Toropo, o tshwere buka ya boitsebiso le nomoro ena ya taba.';
    const ST_ID = 'Buka ya hao ya boitsebiso';
    def.rules.words = { st: { acknowledgementOfDebt: ST_ACK, espDocuments: { 'id-document': ST_ID }, suppliers: {} } };
    await service.close();
    service = await startTestService(await freshDatabase(), def, { clock: { now: () => now }, pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 } });
    const priya = await signIn(service, 'priya');

    // Sesotho: the definition's own Sesotho words, not its English.
    const mpho = aRatepayer('Mpho Mokoena');
    const reference = await queuedAndClaimed(mpho, 'credit-control', { ...details, arrearsAmount: '12000', proposedMonthlyPayment: '500' }, priya, 'st');
    assert.equal((await priya.post(`/api/cases/${reference}/arrangement`, { accountType: 'domestic', debtCents: 1_200_000, months: 24 })).status, 200);
    const summary = await expectInChat(mpho, /Ho e tiisa:/);
    assert.ok(summary.includes(`Ho e tiisa: ${ST_ACK}`), summary);
    assert.doesNotMatch(summary, /sign the acknowledgement of debt at a City of Johannesburg/);

    // isiZulu, which the definition has no words for: its English, marked as the City's own words in English.
    const sipho = aRatepayer('Sipho Nkosi');
    const second = await queuedAndClaimed(sipho, 'credit-control', { ...details, arrearsAmount: '12000', proposedMonthlyPayment: '500' }, priya, 'zu');
    assert.equal((await priya.post(`/api/cases/${second}/arrangement`, { accountType: 'domestic', debtCents: 1_200_000, months: 24 })).status, 200);
    const zulu = await expectInChat(sipho, /Ukuze sibophe:/);
    assert.ok(zulu.includes(`${def.rules.acknowledgementOfDebt} ${t('zu', 'cityRules.inEnglish')}`), zulu);
  });

  it('beside an open dispute, the arrangement summary says the disputed amount is not part of it and is not signed for (tester 10, finding 2)', async () => {
    const thandi = await signIn(service, 'thandi');
    const user = aRatepayer('Themba Zulu');
    const reference = await queuedAndClaimed(user, 'billing', details, thandi);
    const lodged = await thandi.post(`/api/cases/${reference}/dispute`, { statementDate: '2022-07-25', statementTotalCents: 190_000, items: [{ amountCents: 125_000, reason: 'Rates on the old valuation' }], keepPayingCents: 65_000, keepPayingBasis: 'undisputed' });
    assert.equal(lodged.status, 200);
    await expectInChat(user, /Your billing dispute is on record/);
    const refused = await thandi.post(`/api/cases/${reference}/arrangement`, { accountType: 'domestic', debtCents: 125_000, months: 6, arrearsCents: 125_000 });
    assert.equal(refused.status, 400);
    assert.equal((await thandi.post(`/api/cases/${reference}/arrangement`, { accountType: 'domestic', debtCents: 60_000, months: 6, arrearsCents: 185_000 })).status, 200);
    const summary = await expectInChat(user, /Your repayment arrangement/);
    assert.match(summary, /6 monthly payments of R100\.00, R600\.00 in all/);
    assert.match(summary, new RegExp(`The R1\u00a0250\\.00 you dispute \\(dispute ${reference.slice(0, 3)}-${reference.slice(3)}-D1\\) is not part of it and you do not sign for it: it stays on hold until the City tells you the outcome of the dispute\\.`));
    assert.equal(sentTo(user).filter((a) => /Your repayment arrangement/.test(a.text ?? '')).length, 1, 'only the arrangement within the undisputed arrears reached the ratepayer');
    // The referral's receipt agrees with both: keep paying, and the arrangement's payments once signed; not "nothing to do".
    assert.equal((await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'referred_back_office', summary: 'The rates are checked by the back office.' })).status, 200);
    const receipt = await expectInChat(user, /Who is responsible/);
    assert.match(receipt, new RegExp(`The back office is investigating your dispute ${reference.slice(0, 3)}-${reference.slice(3)}-D1 and must tell you the outcome in writing by the date above\\. Meanwhile keep paying R650\\.00 a month, as your dispute receipt says, and the payments of your repayment arrangement once you have signed its acknowledgement of debt \\(the arrangement does not include the amount you dispute\\)\\.`));
    assert.doesNotMatch(receipt, /You do not need to do anything now/);
  });

  it('tells the ratepayer their ESP registration\'s lapse date and when they will be reminded', async () => {
    const priya = await signIn(service, 'priya');
    const user = aRatepayer('Nomsa Dube');
    const reference = await queuedAndClaimed(user, 'indigent', { ...details, idNumber: '8001015009087', householdSize: '4', monthlyHouseholdIncome: '3500' }, priya);
    assert.equal((await priya.post(`/api/cases/${reference}/esp-registration`, { registeredOn: '2022-08-01' })).status, 200);
    const told = await expectInChat(user, /ESP \(Expanded Social Package\) registration of Monday 1 August 2022 is on record/);
    assert.match(told, /lasts until Wednesday 1 February 2023; we will remind you on Sunday 1 January 2023/);
  });
  it('metering intake asks who bills the meter, with help to tell, from the definition\'s suppliers', async () => {
    const user = aRatepayer('Lerato Molefe');
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { text: 'water meter' })), 200);
    const card = await expectInChat(user, /Who bills this meter/);
    assert.match(card, /City Power: Your electricity is on your City of Johannesburg statement/);
    assert.match(card, /Eskom: You get a separate bill from Eskom/);
    assert.match(card, /Johannesburg Water: Water meters in the City are read and billed by Johannesburg Water/);
    assert.match(card, /I'm not sure: an expert will help me tell/);
  });

  it('tells an Eskom-direct customer where to go instead of queuing them; City Power and "not sure" are queued; anything else is refused on the card', async () => {
    const metering = { ...details, meterType: 'electricity', meterNumber: '04123456789' };
    const eskom = aRatepayer('Sipho Nkosi');
    assert.equal(await postActivity(service.url, messageFrom(eskom, connector.serviceUrl, { value: { verb: 'intake.submit', category: 'metering', draftId: `draft-${eskom.aadObjectId}`, ...metering, supplier: 'eskom' } })), 200);
    const told = await expectInChat(eskom, /Eskom supplies and bills your electricity directly/);
    assert.match(told, /0860 037 566/);
    assert.match(told, /We have not put you in the queue, because Eskom must handle this meter, not the City/);
    assert.doesNotMatch(sentTo(eskom).map((a) => `${a.text ?? ''}${cardText(cardOf(a) ?? {})}`).join('\n'), /Your case reference/);

    const anele = await signIn(service, 'anele');
    for (const [name, supplier] of [['Nomsa Dube', 'city-power'], ['Thabo Sithole', 'unsure']] as const) {
      const user = aRatepayer(name);
      assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { value: { verb: 'intake.submit', category: 'metering', draftId: `draft-${user.aadObjectId}`, ...metering, supplier } })), 200);
      await expectInChat(user, /Your case reference/);
    }
    const queue = await anele.get('/api/queue');
    assert.equal(queue.body.waiting.length, 2, 'City Power and "not sure" wait for the metering experts; Eskom does not');

    const odd = aRatepayer('Odd One');
    assert.equal(await postActivity(service.url, messageFrom(odd, connector.serviceUrl, { value: { verb: 'intake.submit', category: 'metering', draftId: `draft-${odd.aadObjectId}`, ...metering, supplier: 'acme-power' } })), 200);
    await expectInChat(odd, /Please choose who bills this meter, or "I'm not sure"/);
  });

  it('a water meter with Eskom chosen is caught on the card with both names, what was typed kept, and nobody is sent away (tester 10, finding 6)', async () => {
    const user = aRatepayer('Lerato Molefe');
    const water = { ...details, meterType: 'water', meterNumber: '04123456789', description: 'My water meter reading is far too high.' };
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { value: { verb: 'intake.submit', category: 'metering', draftId: `draft-${user.aadObjectId}`, ...water, supplier: 'eskom' } })), 200);
    const told = await expectInChat(user, /Eskom does not bill this kind of meter \(Water\)/);
    assert.match(told, /My water meter reading is far too high\./, 'the card comes back with what was typed');
    const all = sentTo(user).map((a) => `${a.text ?? ''}${cardText(cardOf(a) ?? {})}`).join('\n');
    assert.doesNotMatch(all, /We have not put you in the queue|Your case reference/);
    // The right supplier for the same meter is queued.
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { value: { verb: 'intake.submit', category: 'metering', draftId: `draft-${user.aadObjectId}`, ...water, supplier: 'joburg-water' } })), 200);
    await expectInChat(user, /Your case reference/);
  });

  it('indigent intake lists the application documents and asks which they have; above the threshold it says what that means, and still queues', async () => {
    const within = aRatepayer('Nomsa Dube');
    const indigent = { ...details, idNumber: '8001015009087', householdSize: '4' };
    assert.equal(await postActivity(service.url, messageFrom(within, connector.serviceUrl, { value: { verb: 'intake.submit', category: 'indigent', draftId: `draft-${within.aadObjectId}`, ...indigent, monthlyHouseholdIncome: '3500' } })), 200);
    await expectInChat(within, /Your case reference/);
    const documents = await expectInChat(within, /For an ESP application you will need/);
    assert.match(documents, /• Your identity document\n• Proof of income/);
    assert.match(documents, /Which of these do you have\? Write them here while you wait/);
    await new Promise((r) => setTimeout(r, 100));
    assert.doesNotMatch(sentTo(within).map((a) => a.text ?? '').join('\n'), /may not qualify/);

    const above = aRatepayer('Johan Botha');
    assert.equal(await postActivity(service.url, messageFrom(above, connector.serviceUrl, { value: { verb: 'intake.submit', category: 'indigent', draftId: `draft-${above.aadObjectId}`, ...indigent, monthlyHouseholdIncome: '9000' } })), 200);
    await expectInChat(above, /Your case reference/);
    const note = await expectInChat(above, /may not qualify/);
    // 1 August 2022: the threshold in force is the one from 1 November 2017 (the pilot's data).
    assert.match(note, /earns R9\u00a0000\.00 a month\. The ESP is for households that earn up to R5\u00a0578\.91 a month/);
    assert.match(note, /You are still in the queue/);
  });
});
