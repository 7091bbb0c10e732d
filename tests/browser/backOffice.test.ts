/**
 * The back-office view in Chromium (issue 19): a member of a back-office team signs in (named as
 * back office, with their teams) and lands on their team's open referrals soonest due first (an
 * overdue one marked), opens one with the session's transcript, is refused a date that is not
 * later (the reason they typed stays in its box), and marks it done; axe-core finds nothing on the
 * list or the case page. Tester 7: a referral's page shows what the referral needs (the
 * ratepayer's details with the ID number masked, who referred it and why, the transfer note), the
 * expert who takes a transferred case reads the note above the conversation, and audit trails name
 * categories and fields, not their codes. Tester 11: what the ratepayer wrote in their chat while
 * the referral was open is on its page, as typed.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { addAskedDetails, claimCase, lodgeDispute, noteFromRatepayer, resolveCase, transferCase } from '../../bot/domain/case.js';
import { buildDispute } from '../../bot/domain/dispute.js';
import { localParts } from '../../bot/domain/calendar.js';
import { staffDay } from '../../bot/domain/dayWords.js';
import { categoryByCode } from '../../bot/domain/serviceDefinition.js';
import { overdueFrom, referralFor, referralForCase } from '../../bot/domain/followThrough.js';
import type { Referral } from '../../bot/domain/case.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, SCREENSHOTS, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, seedCase, signIn, startTestService } from '../support/tabApi.js';

const DAY = 86_400_000;

describe('the back-office view in Chromium', function () {
  this.timeout(60_000);
  // The pilot's Zanele Khumalo works the revenue back office (and meter reading); Pieter here only
  // meter reading, where nothing is referred.
  const pilot = definitionWithAgents();
  const definition: ServiceDefinition = {
    ...pilot,
    staff: [...pilot.staff, { id: 'pieter', name: 'Pieter Botha', email: 'pieter@joburg.example', role: 'agent', skills: [], regions: [], backOfficeTeams: ['meter-reading'] }],
  };
  const NOTE = 'Ratepayer says he is unemployed; check the indigent register.';
  const FROM_RATEPAYER = 'When will I get the corrected statement? My next bill is due on <b>Friday</b>.';
  let service: RunningService;
  let browser: TestBrowser;
  let overdue: string;
  let later: string;
  let indigent: string;
  let waiting: string;
  let afrikaans: string;
  let disputed: string;
  // Tester 11: a referral Johan finishes while Zanele has it open; one escalated and given more time; one due today, one tomorrow.
  let contested: string;
  let unheard: string;
  let escalated: string;
  let dueToday: string;
  let dueTomorrow: string;
  const today = localParts(new Date(), pilot.timeZone).date;
  const dayAfter = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    service = await startTestService(db, definition, { scheduler: { start: false } });
    const store = new CosmosCaseStore(db.cases);
    const thandi = { id: 'thandi', name: 'Thandi Mokoena' };
    const by = { kind: 'staff' as const, ...thandi };
    // One referred 20 days ago (overdue: the pilot gives 14), one today.
    for (const [daysAgo, keep] of [[20, (id: string) => (overdue = id)], [0, (id: string) => (later = id)]] as const) {
      const c = await seedCase(db, definition, 'billing');
      const at = new Date(Date.now() - daysAgo * DAY);
      const stored = (await store.get(c.id))!;
      const referred = resolveCase(claimCase(stored, at, thandi), at, by, { kind: 'referred_back_office', summary: 'Refund check' }, 365, false, referralFor(definition, 'billing', at));
      await store.replace({ ...referred, transcript: [{ id: 't1', at: at.toISOString(), from: 'ratepayer', author: 'Lerato M', text: 'My March bill is <b>wrong</b>' }], etag: stored.etag });
      keep(c.id);
    }
    // Tester 11, finding 6: the ratepayer answered in their chat while the referral was open.
    const answered = (await store.get(later))!;
    await store.replace({ ...noteFromRatepayer(answered, new Date(), { kind: 'ratepayer', id: 'ratepayer', name: 'Lerato M' }, FROM_RATEPAYER), etag: answered.etag });
    // Tester 7: Thandi moves a billing case to the indigent queue with the required note; the
    // ratepayer sends the ID number, household and income; Priya refers it. Another is still waiting.
    const priya = { id: 'priya', name: 'Priya Naidoo' };
    for (const [keep, refer] of [[(id: string) => (indigent = id), true], [(id: string) => (waiting = id), false]] as const) {
      const c = await seedCase(db, definition, 'billing');
      const stored = (await store.get(c.id))!;
      const at = new Date(Date.now() - 60 * 60_000);
      const moved = transferCase(claimCase(stored, at, thandi), at, by, categoryByCode(definition, 'indigent')!, NOTE);
      const answered = addAskedDetails(moved, new Date(at.getTime() + 60_000), { kind: 'ratepayer', id: stored.ratepayer.userId, name: 'Lerato M' }, { idNumber: '8001015009087', householdSize: 5, monthlyHouseholdIncome: 2800 });
      const done = refer
        ? resolveCase(claimCase(answered, new Date(at.getTime() + 120_000), priya), new Date(at.getTime() + 180_000), { kind: 'staff', ...priya }, { kind: 'referred_back_office', summary: 'Qualifies on income; register for ESP.' }, 365, false, referralFor(definition, 'indigent', at))
        : answered;
      await store.replace({ ...done, etag: stored.etag });
      keep(c.id);
    }
    // Tester 8, finding 5: an Afrikaans ratepayer's message (translated for the expert), the
    // command word they typed, and a bot line with its catalogue English, referred by Thandi.
    {
      const c = await seedCase(db, definition, 'billing');
      const stored = (await store.get(c.id))!;
      const at = new Date(Date.now() - 30 * 60_000);
      const referred = resolveCase(claimCase(stored, at, thandi), at, by, { kind: 'referred_back_office', summary: 'Reading to be corrected' }, 365, false, referralFor(definition, 'billing', at));
      const t = (minutes: number) => new Date(at.getTime() - minutes * 60_000).toISOString();
      await store.replace({
        ...referred,
        language: 'af',
        transcript: [
          { id: 'a1', at: t(9), from: 'system', author: 'Ratepayer Desk', text: 'Jy is nou verbind met Thandi.', translation: { status: 'catalogue', from: 'af', to: 'en', text: 'You are now connected with Thandi.' } },
          { id: 'a2', at: t(8), from: 'ratepayer', author: 'Lerato M', text: 'My meter lees 04512, nie 05512 nie.', translation: { status: 'translated', from: 'af', to: 'en', text: 'My meter reads 04512, not 05512.' } },
          { id: 'a3', at: t(7), from: 'ratepayer', author: 'Lerato M', text: 'kanselleer', command: 'endChat' },
        ],
        etag: stored.etag,
      });
      afrikaans = c.id;
    }
    // Tester 10, finding 3: a referral that investigates a formal dispute lodged today.
    {
      const c = await seedCase(db, definition, 'billing');
      const stored = (await store.get(c.id))!;
      const at = new Date(Date.now() - 10 * 60_000);
      const today = localParts(at, definition.timeZone).date;
      const dispute = buildDispute(c.id, { statementDate: today, items: [{ amountCents: 125_000, reason: 'Rates on the old valuation' }], keepPayingCents: 65_000, keepPayingBasis: 'undisputed' }, definition.rules.dispute, { now: at, today }, { staffId: 'thandi', name: 'Thandi Mokoena' });
      const lodged = lodgeDispute(claimCase(stored, at, thandi), at, by, dispute);
      const referred = resolveCase(lodged, at, by, { kind: 'referred_back_office', summary: 'The valuation is checked.' }, 365, false, referralForCase(definition, lodged, at));
      await store.replace({ ...referred, etag: stored.etag });
      disputed = c.id;
    }
    // Tester 11 (findings 9, 10 and 12): billing referrals to the revenue back office, with their referral as the test needs it.
    const referred = async (change: (r: Referral) => Referral = (r) => r) => {
      const c = await seedCase(db, definition, 'billing');
      const stored = (await store.get(c.id))!;
      const at = new Date(Date.now() - 5 * 60_000);
      const done = resolveCase(claimCase(stored, at, thandi), at, by, { kind: 'referred_back_office', summary: 'Refund to be checked' }, 365, false, referralFor(definition, 'billing', at));
      await store.replace({ ...done, referral: change(done.referral!), etag: stored.etag });
      return c.id;
    };
    contested = await referred();
    unheard = await referred();
    // Due yesterday, given more time once before (from three days ago), escalated at today's 00:00 in Johannesburg (22:00 UTC yesterday).
    escalated = await referred((r) => {
      const dueDate = dayAfter(today, -1);
      const step = definition.followThrough.escalation[0]!;
      return {
        ...r,
        dueDate,
        dueAt: overdueFrom(dueDate, definition.timeZone).toISOString(),
        extensions: [{ at: new Date(Date.now() - 4 * DAY).toISOString(), by: { kind: 'staff', id: 'zanele', name: 'Zanele Khumalo' }, from: dayAfter(today, -3), to: dueDate, reason: 'Waiting for the meter team' }],
        escalations: [{ at: overdueFrom(dueDate, definition.timeZone).toISOString(), code: step.code, name: step.name, dueDate }],
      };
    });
    const due = (dueDate: string) => (r: Referral): Referral => ({ ...r, dueDate, dueAt: overdueFrom(dueDate, definition.timeZone).toISOString(), remindedFor: dueDate });
    dueToday = await referred(due(today));
    dueTomorrow = await referred(due(dayAfter(today, 1)));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it("lists the team's referrals soonest due first, opens one, keeps what was typed when refused, and marks it done; accessible", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    const person = page.getByRole('button', { name: /Sign in as Zanele Khumalo/ });
    assert.match(await person.innerText(), /Zanele Khumalo — Back office\s+Back office: Revenue back office, Meter reading and billing corrections/);
    await person.click();
    // She has no queue: her tab opens on the back-office view, and names her as back office.
    assert.equal(await page.getByTestId('signed-in-as').innerText(), 'Zanele Khumalo · Back office');
    assert.equal(await page.getByText('My queue').count(), 0, 'no empty queue on offer');
    const table = page.getByRole('table', { name: 'Open referrals, soonest due first' });
    await table.waitFor();
    const rows = await table.getByRole('row').allInnerTexts();
    assert.match(rows[1]!, new RegExp(`${overdue.slice(0, 3)}-${overdue.slice(3)}[\\s\\S]*Overdue`));
    assert.ok(rows.some((r) => new RegExp(`${later.slice(0, 3)}-${later.slice(3)}[\\s\\S]*Open`).test(r)), rows.join('\n'));
    await expectAccessible(page, 'back-office list');

    await page.getByRole('button', { name: `Open case ${overdue.slice(0, 3)}-${overdue.slice(3)}` }).click();
    await page.getByRole('heading', { name: new RegExp(`Case ${overdue.slice(0, 3)}-${overdue.slice(3)}`) }).waitFor();
    await page.getByTestId('transcript').getByText('My March bill is <b>wrong</b>').waitFor();
    await expectAccessible(page, 'back-office case page');

    await page.getByLabel('New due date').fill('2000-01-01');
    await page.getByLabel(/Why more time is needed/).fill('Waiting for the meter team');
    await page.getByRole('button', { name: 'Needs more time' }).click();
    await page.getByRole('alert').getByText(/must be after the current one/).waitFor();
    assert.equal(await page.getByLabel(/Why more time is needed/).inputValue(), 'Waiting for the meter team', 'what was typed is kept');

    await page.getByLabel(/What was decided/).fill('A credit of R1 200 was passed.');
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await page.getByRole('status').getByText('Done: the ratepayer was sent the receipt.').waitFor();
    await page.getByRole('button', { name: `Open case ${overdue.slice(0, 3)}-${overdue.slice(3)}` }).waitFor({ state: 'detached' });
    await expectAccessible(page, 'back-office case done');
  });
  it('marks a referral that investigates a formal dispute on the list and its page, and gives it no more time past the investigation date (tester 10, finding 3); accessible', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Zanele Khumalo/ }).click();
    const shown = `${disputed.slice(0, 3)}-${disputed.slice(3)}`;
    const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: `Open case ${shown}` }) });
    assert.match((await row.innerText()).replace(/\s+/g, ' '), new RegExp(`Formal dispute ${shown}-D1 R1 250\\.00 on credit-control hold · investigation by `));
    await page.getByRole('button', { name: `Open case ${shown}` }).click();
    const facts = page.getByTestId('referral-dispute-facts');
    await facts.waitFor();
    assert.match((await facts.innerText()).replace(/\s+/g, ' '), new RegExp(`Formal dispute ${shown}-D1 \\(Municipal Systems Act s102\\): R1 250\\.00 disputed .* keeps paying R650\\.00 a month\\. Credit control is on hold for the disputed amount while the dispute is open\\. The ratepayer must be told the outcome in writing by .* \\(the by-laws allow no extension\\)`));
    await page.getByText(/^At the latest .*: the dispute's investigation date, which the by-laws do not extend\.$/).waitFor();
    await page.getByLabel('New due date').fill('2099-01-15');
    await page.getByLabel(/Why more time is needed/).fill('Waiting for the valuation roll');
    await page.getByRole('button', { name: 'Needs more time' }).click();
    await page.getByRole('alert').getByText(/the by-laws allow no extension/).waitFor();
    await expectAccessible(page, 'back-office referral of a formal dispute');
  });

  it("shows a referral's page with what the referral needs: the ratepayer's details (ID masked), who referred it and why, the transfer note; accessible", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Zanele Khumalo/ }).click();
    const shown = `${indigent.slice(0, 3)}-${indigent.slice(3)}`;
    await page.getByRole('button', { name: `Open case ${shown}` }).click();
    const card = page.locator('[aria-labelledby="bo-case-title"]');
    await page.getByRole('heading', { name: 'Details from the ratepayer' }).waitFor();
    const details = page.getByRole('region', { name: 'Details from the ratepayer' });
    const text = (await details.innerText()).replace(/\s+/g, ' ');
    for (const expected of ['Municipal account number 501234567', 'Account holder Lerato Molefe', 'Mobile number 082 123 4567', 'South African ID number •••••••••9087', 'Household size 5', 'Monthly household income R2 800.00', 'Query My bill doubled in March.'])
      assert.ok(text.includes(expected), `"${expected}" in: ${text}`);
    assert.equal(await page.getByText('8001015009087').count(), 0, 'the full ID number is never on the page');
    await details.getByLabel('South African ID number, hidden except the last four digits 9087').waitFor();
    assert.match((await page.getByRole('region', { name: /Referred by Priya Naidoo/ }).innerText()).replace(/\s+/g, ' '), /Referred by Priya Naidoo Qualifies on income; register for ESP\./);
    const handover = page.getByRole('list', { name: 'Notes for the next expert' });
    assert.match((await handover.innerText()).replace(/\s+/g, ' '), new RegExp(`Thandi Mokoena, .* moved from Account and billing queries to Indigent-related queries and registration \\(ESP\\) ${NOTE.replace(/[.()]/g, '\\$&')}`));
    // Headings and what follows them are separate lines, not "NotesNo notes yet.".
    assert.match(await card.innerText(), /Notes\n+No notes yet\./);
    await expectAccessible(page, 'back-office referral with details');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'back-office-referral.png'), fullPage: true });
  });

  it("shows the conversation as the expert's case page does: the ratepayer's words in English beside the original, a typed command named and not translated, the bot's line in English; accessible", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Zanele Khumalo/ }).click();
    await page.getByRole('button', { name: `Open case ${afrikaans.slice(0, 3)}-${afrikaans.slice(3)}` }).click();
    const transcript = page.getByRole('region', { name: "The session's conversation" }).getByTestId('transcript');
    await transcript.waitFor();
    const translated = transcript.getByTestId('translated');
    assert.match((await translated.innerText()).replace(/\s+/g, ' '), /My meter reads 04512, not 05512\. Original \(Afrikaans\): My meter lees 04512, nie 05512 nie\. Machine-translated/);
    const command = transcript.getByTestId('command');
    assert.match((await command.innerText()).replace(/\s+/g, ' '), /Asked to end the chat .* As typed \(Afrikaans\): kanselleer A command word, not a message: not translated/);
    const botLine = transcript.getByTestId('bot-line');
    assert.match((await botLine.innerText()).replace(/\s+/g, ' '), /You are now connected with Thandi\. Sent in Afrikaans: Jy is nou verbind met Thandi\. The bot's own words in English/);
    await expectAccessible(page, 'back-office conversation in Afrikaans');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'back-office-conversation-translated.png'), fullPage: true });
  });

  it("marks the back office's update on the conversation as holding its own words, not as the bot's words only (tester 10, finding 7)", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Zanele Khumalo/ }).click();
    await page.getByRole('button', { name: `Open case ${afrikaans.slice(0, 3)}-${afrikaans.slice(3)}` }).click();
    await page.getByLabel('Update the ratepayer').fill('We have loaded your arrangement.');
    await page.getByRole('button', { name: 'Send the update' }).click();
    await page.getByRole('status').getByText('The ratepayer was sent your update.').waitFor();
    const transcript = page.getByRole('region', { name: "The session's conversation" }).getByTestId('transcript');
    const line = transcript.getByTestId('bot-line').filter({ hasText: 'We have loaded your arrangement.' });
    await line.waitFor();
    // No Translator in this service: the words went as written, marked so; the page says that, not "the bot's own words, not a translation".
    const text = (await line.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /The bot's own words in English; the back office's update in it could not be translated, so it went as written, marked so/);
    assert.doesNotMatch(text, /not a translation/);
    await expectAccessible(page, 'back-office update on the conversation');
  });

  it("shows what the ratepayer wrote in their chat since the referral, as typed, and says so when nothing came (tester 11, finding 6); accessible", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Zanele Khumalo/ }).click();
    // The list marks the referral the ratepayer wrote on since the team's last update.
    const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: `Open case ${later.slice(0, 3)}-${later.slice(3)}` }) });
    assert.match(await row.getByTestId('referral-ratepayer-wrote').innerText(), /^Ratepayer wrote \d+ \w+,? \d\d:\d\d$/);
    assert.equal(await page.getByTestId('referral-ratepayer-wrote').count(), 1, 'only that one');
    await page.getByRole('button', { name: `Open case ${later.slice(0, 3)}-${later.slice(3)}` }).click();
    const section = page.getByRole('region', { name: 'From the ratepayer since the referral' });
    await section.getByText(FROM_RATEPAYER, { exact: false }).waitFor();
    assert.match((await section.innerText()).replace(/\s+/g, ' '), /^From the ratepayer since the referral \d+ \w+,? \d\d:\d\d: When will I get the corrected statement\? My next bill is due on <b>Friday<\/b>\.$/);
    assert.equal(await section.locator('b').count(), 0, 'what they typed is text, not markup');
    await expectAccessible(page, 'back-office referral with the ratepayer\'s reply');
    await page.getByRole('button', { name: `Open case ${indigent.slice(0, 3)}-${indigent.slice(3)}` }).click();
    await page.getByRole('heading', { name: new RegExp(`Case ${indigent.slice(0, 3)}-${indigent.slice(3)}`) }).waitFor();
    assert.match(await page.getByRole('region', { name: 'From the ratepayer since the referral' }).innerText(), /Nothing yet\. What the ratepayer writes in their chat while the referral is open comes here\./);
  });

  it('lands a back-office person with no referrals on an empty list that reads as two lines; accessible', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Pieter Botha/ }).click();
    const list = page.getByRole('region', { name: /Back office: open referrals/ });
    await list.getByText('No open referrals for your teams.').waitFor();
    assert.match(await list.innerText(), /\(Meter reading and billing corrections\)\n+No open referrals for your teams\./);
    await expectAccessible(page, 'back-office empty list');
  });

  it("shows the expert who takes a transferred case the note for the next expert above the conversation, and the audit trail in words; accessible", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Priya Naidoo/ }).click();
    const shown = `${waiting.slice(0, 3)}-${waiting.slice(3)}`;
    // It waits in her indigent queue.
    await page.getByRole('button', { name: `Open case ${shown}` }).click();
    const handover = page.getByRole('region', { name: 'Note from the previous expert' });
    await handover.waitFor();
    assert.ok((await handover.innerText()).includes(NOTE));
    // Above the conversation: the next expert reads it first.
    const noteAt = (await handover.boundingBox())!.y;
    const conversationAt = (await page.locator('#conversation-title').boundingBox())!.y;
    assert.ok(noteAt < conversationAt, `the note (${noteAt}) comes before the conversation (${conversationAt})`);
    await page.getByText(/^Audit trail \(/).click();
    const audit = (await page.getByRole('list', { name: 'Audit trail' }).innerText()).replace(/\s+/g, ' ');
    assert.match(audit, /opened — queued in Account and billing queries/);
    assert.match(audit, new RegExp(`transferred — from Account and billing queries to Indigent-related queries and registration \\(ESP\\): ${NOTE.replace(/[.()]/g, '\\$&')}`));
    assert.match(audit, /details asked — South African ID number, Household size, Monthly household income/);
    for (const code of ['billing to', 'idNumber', 'householdSize', 'monthlyHouseholdIncome']) assert.ok(!audit.includes(code), `no code "${code}" in: ${audit}`);
    await expectAccessible(page, 'case page with a handover note and the audit trail open');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'case-page-handover-note.png'), fullPage: true });
  });
  it("shows the open referral's page what a supervisor did meanwhile: more time, then the decision, by whom; the forms go and what she typed stays to copy (tester 11, finding 9); accessible", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Zanele Khumalo/ }).click();
    const shown = `${contested.slice(0, 3)}-${contested.slice(3)}`;
    await page.getByRole('button', { name: `Open case ${shown}` }).click();
    await page.getByRole('heading', { name: new RegExp(`Case ${shown}`) }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await page.getByLabel('Update the ratepayer').fill('We are checking the March reading.');
    await page.getByLabel(/Why more time is needed/).fill('The refund needs the manager');
    await page.getByLabel(/What was decided/).fill('R500 was credited to your account.');

    // Johan, a supervisor, gives it more time: her page says so, and her forms keep what she typed.
    const johan = await signIn(service, 'johan');
    const later = dayAfter(today, 20);
    assert.equal((await johan.post(`/api/back-office/referrals/${contested}/more-time`, { dueDate: later, reason: 'The refund needs approval.' })).status, 200);
    const changed = page.getByTestId('changed-elsewhere');
    await changed.getByText(/gave it more time/).waitFor({ timeout: 5000 });
    assert.match((await changed.innerText()).replace(/\s+/g, ' '), new RegExp(`Johan van der Merwe \\(supervisor\\) gave it more time: now due ${staffDay(later)} \\(was [A-Z][a-z]{2}, .*\\)\\. The ratepayer was told: “The refund needs approval\\.”`));
    assert.equal(await page.getByLabel(/What was decided/).inputValue(), 'R500 was credited to your account.', 'her text stays in its box');

    // Then he finishes it as Not resolved: her page shows his decision, the forms go, her words stay on the page.
    assert.equal((await johan.post(`/api/back-office/referrals/${contested}/done`, { outcome: 'not_resolved', summary: 'We could not find an error on the account.' })).status, 200);
    await changed.getByText(/finished this referral while you had it open/).waitFor({ timeout: 5000 });
    assert.match((await changed.innerText()).replace(/\s+/g, ' '), /Johan van der Merwe \(supervisor\) finished this referral while you had it open \([A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} at \d{2}:\d{2}\): Not resolved\. Nothing more can be sent or saved on it here; what you typed is kept below, to copy\./);
    const decision = page.getByRole('region', { name: 'Decided: Not resolved' });
    assert.match((await decision.innerText()).replace(/\s+/g, ' '), /By Johan van der Merwe on .* at \d{2}:\d{2}\. What the ratepayer was told: We could not find an error on the account\./);
    await page.locator('[aria-labelledby="bo-case-title"]').getByText('Done', { exact: true }).waitFor();
    for (const gone of ['Send the update', 'Needs more time', 'Done', 'Add the note']) assert.equal(await page.getByRole('button', { name: gone, exact: true }).count(), 0, `no "${gone}" any more`);
    const typed = page.getByRole('region', { name: 'What you typed' });
    assert.equal(await typed.getByLabel('Your update for the ratepayer (not sent)').inputValue(), 'We are checking the March reading.');
    assert.equal(await typed.getByLabel('Your reason for more time (not sent)').inputValue(), 'The refund needs the manager');
    assert.equal(await typed.getByLabel('What you wrote was decided (not sent)').inputValue(), 'R500 was credited to your account.');
    // It has left her list of open referrals.
    await page.getByRole('button', { name: `Open case ${shown}` }).waitFor({ state: 'detached' });
    await expectAccessible(page, 'back-office referral finished by someone else');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'back-office-finished-elsewhere.png'), fullPage: true });
  });

  it("shows the decision when her Done is refused because someone else finished it while her live updates were down (tester 11, finding 9)", async () => {
    const page = await (await browser.newContext()).newPage();
    // No live stream: only the refusal can tell her.
    await page.route('**/api/events', (route) => route.abort());
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Zanele Khumalo/ }).click();
    const shown = `${unheard.slice(0, 3)}-${unheard.slice(3)}`;
    await page.getByRole('button', { name: `Open case ${shown}` }).click();
    await page.getByLabel(/What was decided/).fill('R500 was credited to your account.');
    const johan = await signIn(service, 'johan');
    assert.equal((await johan.post(`/api/back-office/referrals/${unheard}/done`, { outcome: 'not_resolved', summary: 'We could not find an error on the account.' })).status, 200);
    await page.getByRole('button', { name: 'Done', exact: true }).click();
    await page.getByRole('alert').getByText('The back office has already finished this case.').waitFor();
    await page.getByTestId('changed-elsewhere').getByText(/Johan van der Merwe finished this referral while you had it open .*: Not resolved\./).waitFor({ timeout: 5000 });
    await page.getByRole('region', { name: 'Decided: Not resolved' }).getByText(/What the ratepayer was told: We could not find an error on the account\./).waitFor();
    assert.equal(await page.getByRole('region', { name: 'What you typed' }).getByLabel('What you wrote was decided (not sent)').inputValue(), 'R500 was credited to your account.');
    assert.equal(await page.getByRole('button', { name: 'Done', exact: true }).count(), 0);
  });

  it('writes every date on the back office\'s page one way: the escalation on its Johannesburg day, the more-time line, the refusal and the audit trail (tester 11, finding 12)', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Zanele Khumalo/ }).click();
    const shown = `${escalated.slice(0, 3)}-${escalated.slice(3)}`;
    await page.getByRole('button', { name: `Open case ${shown}` }).click();
    const step = definition.followThrough.escalation[0]!;
    // Escalated at 00:00 today in Johannesburg, which is 22:00 yesterday in UTC: today's date, as the header writes dates.
    assert.equal(await page.getByTestId('referral-escalations').innerText(), `Escalated: ${step.name} on ${staffDay(today)}`);
    assert.equal(await page.getByTestId('referral-extensions').innerText(), `More time: ${staffDay(dayAfter(today, -3))} → ${staffDay(dayAfter(today, -1))} (Waiting for the meter team)`);
    assert.match(await page.locator('[aria-labelledby="bo-case-title"]').innerText(), new RegExp(`due ${staffDay(dayAfter(today, -1))}`));
    await page.getByLabel('New due date').fill(dayAfter(today, -1));
    await page.getByLabel(/Why more time is needed/).fill('Still waiting');
    await page.getByRole('button', { name: 'Needs more time' }).click();
    await page.getByRole('alert').getByText(`The new due date must be after the current one (${staffDay(dayAfter(today, -1))}).`).waitFor();
    // More time given: the line and the audit trail write both dates the same way.
    await page.getByLabel('New due date').fill(dayAfter(today, 7));
    await page.getByRole('button', { name: 'Needs more time' }).click();
    await page.getByRole('status').getByText('The due date moved; the ratepayer was told why.').waitFor();
    assert.match(await page.getByTestId('referral-extensions').innerText(), new RegExp(`; ${staffDay(dayAfter(today, -1))} → ${staffDay(dayAfter(today, 7))} \\(Still waiting\\)$`));
    await page.getByText(/^Audit trail \(/).click();
    const audit = (await page.getByRole('list', { name: 'Audit trail' }).innerText()).replace(/\s+/g, ' ');
    assert.ok(audit.includes(`more time — due ${staffDay(dayAfter(today, -1))} → ${staffDay(dayAfter(today, 7))}`), audit);
    const datesOnPage = (await page.locator('[aria-labelledby="bo-case-title"]').innerText()).match(/\b\d{4}-\d{2}-\d{2}\b/g);
    assert.equal(datesOnPage, null, 'no date written YYYY-MM-DD on the page');
  });

  it('says "due today" of a referral due today and "due soon" of one due tomorrow (tester 11, finding 10)', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Zanele Khumalo/ }).click();
    const row = (id: string) => page.getByRole('row').filter({ has: page.getByRole('button', { name: `Open case ${id.slice(0, 3)}-${id.slice(3)}` }) });
    await row(dueToday).waitFor();
    assert.match((await row(dueToday).innerText()).replace(/\s+/g, ' '), new RegExp(`${staffDay(today)} · due today`));
    assert.doesNotMatch(await row(dueToday).innerText(), /due soon/);
    assert.match((await row(dueTomorrow).innerText()).replace(/\s+/g, ' '), new RegExp(`${staffDay(dayAfter(today, 1))} · due soon`));
    await page.getByRole('button', { name: `Open case ${dueToday.slice(0, 3)}-${dueToday.slice(3)}` }).click();
    assert.match((await page.locator('[aria-labelledby="bo-case-title"]').innerText()).replace(/\s+/g, ' '), new RegExp(`due ${staffDay(today)} \\(today\\)`));
  });
});
