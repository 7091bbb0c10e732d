/**
 * The back office (issue 19) over real HTTP with the embedded Cosmos DB and the local connector:
 * the referrals list (its teams only, soonest due first), role checks, the case page, update /
 * more time / done with what the ratepayer receives; and the follow-through job run by the
 * session scheduler with the clock at the edges of the due dates, across a weekend and a holiday:
 * the team reminded in the supervisors' channel, escalations told to the ratepayer ("escalated
 * on …") and to supervisors, each once.
 */
import assert from 'node:assert/strict';
import { CosmosConversationStore } from '../../bot/platform/cosmos/conversationStore.js';
import { CosmosSupervisionStore } from '../../bot/platform/cosmos/supervisionStore.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { ManualClock } from '../support/manualClock.js';
import { definitionWithAgents, signIn, signInAll, startTestService, type ApiClient } from '../support/tabApi.js';

const CHANNEL = '19:supervisors@thread.tacv2';
const billing = { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '0821234567', description: 'My bill doubled in March.' };
/** Johannesburg is UTC+2 all year. */
const local = (date: string, time = '00:00') => new Date(`${date}T${time}:00+02:00`);

function backOfficeDefinition(): ServiceDefinition {
  const def = definitionWithAgents(0);
  return {
    ...def,
    calendar: { ...def.calendar, holidays: [{ date: '2022-08-15', name: 'Test Monday holiday' }] },
    followThrough: {
      ...def.followThrough,
      businessDays: true,
      teams: [{ code: 'billing-ops', name: 'Billing corrections' }, { code: 'back-office', name: 'Revenue back office' }],
      referrals: { billing: { team: 'billing-ops', responseDays: 2 } },
      defaultReferral: { team: 'back-office', responseDays: 14 },
      remindDaysBefore: 1,
      escalation: [
        { code: 'assistant-director', name: 'the Assistant Director: Revenue', days: 2 },
        { code: 'deputy-director', name: 'the Deputy Director: Revenue', days: 2 },
      ],
    },
    staff: [
      ...def.staff.filter((s) => s.id !== 'zanele'),
      { id: 'zanele', name: 'Zanele Khumalo', email: 'zanele@joburg.example', role: 'agent', skills: [], regions: [], backOfficeTeams: ['billing-ops'] },
      { id: 'pieter', name: 'Pieter Botha', email: 'pieter@joburg.example', role: 'agent', skills: [], regions: [], backOfficeTeams: ['back-office'] },
    ],
  };
}

describe('the back office: referrals, actions, reminders and escalation', function () {
  this.timeout(40_000);
  let connector: LocalConnector;
  let service: RunningService;
  let db: CosmosContainers;
  let clock: ManualClock;
  let thandi: ApiClient;
  let zanele: ApiClient;
  let pieter: ApiClient;
  let johan: ApiClient;

  beforeEach(async () => {
    // Thursday 11 August 2022, 18:00 in Johannesburg.
    clock = new ManualClock(local('2022-08-11', '18:00'));
    connector = await startLocalConnector();
    db = await freshDatabase();
    service = await startTestService(db, backOfficeDefinition(), { clock, scheduler: { start: false }, pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 } });
    [thandi, zanele, pieter, johan] = await signInAll(service, ['thandi', 'zanele', 'pieter', 'johan'] as const);
    await new CosmosSupervisionStore(db.supervision).saveRegistration({
      id: `registration:${service.definition.programme.id}:all`, kind: 'registration', programmeId: service.definition.programme.id,
      conversationId: CHANNEL, registeredBy: { id: 'johan', name: 'Johan' }, registeredAt: clock.now().toISOString(),
    });
    await new CosmosConversationStore(db.conversations).save({
      id: CHANNEL, channelId: 'msteams', kind: 'channel', updatedAt: clock.now().toISOString(),
      reference: { channelId: 'msteams', serviceUrl: connector.serviceUrl, conversation: { id: CHANNEL, conversationType: 'channel', isGroup: true }, bot: { id: '28:ratepayer-desk-bot', name: 'Ratepayer Desk' } },
    });
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  // Card text unescaped: receipts escape Markdown so what staff typed shows as typed.
  const sentTo = (conversationId: string) =>
    connector.sent.filter((s) => s.conversationId === conversationId).map((s) => (s.body.text as string | undefined) ?? cardText(cardOf(s.body) ?? {}).replace(/\\(.)/g, '$1'));
  const say = async (user: TestUser, fields: { text?: string; value?: unknown }) => assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields)), 200);

  async function waitFor(read: () => string[], pattern: RegExp, timeoutMs = 5000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = read().find((x) => pattern.test(x));
      if (found) return found;
      if (Date.now() > until) assert.fail(`nothing matching ${pattern} in:\n${read().join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function referred(user: TestUser, category = 'billing'): Promise<string> {
    await say(user, { value: { verb: 'intake.submit', category, draftId: `draft-${user.aadObjectId}`, ...billing, ...(category === 'rates' ? { erfNumber: '1234' } : {}) } });
    const card = await waitFor(() => sentTo(user.conversationId), /Your case reference/);
    const reference = /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(card)![1]!.replace('-', '');
    const expert = category === 'rates' ? await signIn(service, 'sipho') : thandi;
    assert.equal((await expert.post(`/api/cases/${reference}/claim`)).status, 200);
    const resolved = await expert.post(`/api/cases/${reference}/resolve`, { outcome: 'referred_back_office', summary: 'Refund to be checked by the back office.' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    return reference;
  }

  it("lists each team's open referrals soonest due first, refuses everyone else, and lets the team update, extend and finish one", async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const first = await referred(lerato);
    // The due date written once, one way: the summary card and the referral's receipt both say
    // "Tuesday 16 August 2022" (tester 9, finding 6: the receipt said "by Tuesday, 16 August 2022").
    assert.match(await waitFor(() => sentTo(lerato.conversationId), /Back office answer due/), /Back office answer due\s+Tuesday 16 August 2022\b/);
    await waitFor(() => sentTo(lerato.conversationId), /Who is responsible: Billing corrections, by Tuesday 16 August 2022\./);
    clock.advance(60_000);
    const rates = await referred(aRatepayer('Sipho Dube'), 'rates');

    const list = await zanele.get('/api/back-office/referrals');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.teams, [{ code: 'billing-ops', name: 'Billing corrections' }]);
    assert.deepEqual(list.body.referrals.map((r: any) => [r.reference, r.team.code, r.dueDate, r.stage]), [[first, 'billing-ops', '2022-08-16', 'back_office']]);
    assert.deepEqual((await pieter.get('/api/back-office/referrals')).body.referrals.map((r: any) => r.reference), [rates]);
    assert.deepEqual((await johan.get('/api/back-office/referrals')).body.referrals.map((r: any) => r.reference), [first, rates], 'a supervisor sees every team, soonest due first');
    assert.equal((await thandi.get('/api/back-office/referrals')).status, 403, 'an expert without a team');
    assert.equal((await pieter.get(`/api/back-office/referrals/${first}`)).status, 403, "another team's case");

    const page = await zanele.get(`/api/back-office/referrals/${first}`);
    assert.equal(page.status, 200);
    assert.equal(page.body.referral.team.name, 'Billing corrections');
    assert.ok(page.body.transcript.some((e: any) => /connected with Thandi/.test(e.text)), "the session's transcript");
    assert.ok(page.body.audit.some((e: any) => e.action === 'viewed' && e.by.id === 'zanele'));

    const bad = await zanele.post(`/api/back-office/referrals/${first}/more-time`, { dueDate: '2022-08-15', reason: 'x' });
    assert.equal(bad.status, 400);
    // The date as staff read it everywhere, not "2022-08-16" (tester 11, finding 12).
    assert.match(bad.body.message, /must be after the current one \(Tue, 16 Aug 2022\)\./);
    assert.equal((await zanele.post(`/api/back-office/referrals/${first}/update`, { text: '   ' })).status, 400);

    assert.equal((await zanele.post(`/api/back-office/referrals/${first}/update`, { text: 'We found your March payment.' })).status, 200);
    await waitFor(() => sentTo(lerato.conversationId), /Update on case .* from Billing corrections: We found your March payment\./);
    const more = await zanele.post(`/api/back-office/referrals/${first}/more-time`, { dueDate: '2022-08-19', reason: 'The meter reading is being checked.' });
    assert.equal(more.status, 200);
    assert.equal(more.body.referral.dueDate, '2022-08-19');
    await waitFor(() => sentTo(lerato.conversationId), /Why more time is needed: The meter reading is being checked\.[\s\S]*Who is responsible: Billing corrections, by Friday 19 August 2022\./);
    assert.equal((await zanele.post(`/api/back-office/referrals/${first}/notes`, { text: 'Called the meter team.' })).status, 200);

    const done = await zanele.post(`/api/back-office/referrals/${first}/done`, { outcome: 'resolved', summary: 'A credit of R1 200 was passed.' });
    assert.equal(done.status, 200);
    assert.equal(done.body.stage, 'done');
    assert.deepEqual(done.body.backOffice, { update: false, done: false, moreTime: false, note: false });
    await waitFor(() => sentTo(lerato.conversationId), /What was decided: A credit of R1 200 was passed\.[\s\S]*type "reopen/);
    assert.equal((await zanele.post(`/api/back-office/referrals/${first}/done`, { outcome: 'resolved', summary: 'again' })).status, 409);
    assert.deepEqual((await zanele.get('/api/back-office/referrals')).body.referrals, [], 'done: off the list');
    const document = (await db.cases.item(first, first).read<{ ttl?: number }>()).resource;
    assert.equal(document?.ttl, service.definition.limits.retentionDays * 86_400, 'retention starts when done');

    // The measures in the supervisor view and the CSV (issue 19).
    const overview = await johan.get('/api/supervisor/overview');
    assert.equal(overview.status, 200);
    const measures = overview.body.report.followThrough;
    const billingLine = measures.byCategory.find((m: any) => m.key === 'billing');
    assert.deepEqual([billingLine.finished, billingLine.firstContact, billingLine.referred, billingLine.overdue, billingLine.medianDaysToDone], [1, 0, 1, 0, 0]);
    assert.deepEqual(measures.byExpert.map((m: any) => [m.key, m.referred, m.firstContact]), [['sipho', 1, 0], ['thandi', 1, 0]]);
    const csv = (await johan.get('/api/supervisor/cases.csv')).body as string;
    const [header, ...lines] = csv.trim().split(/\r\n/);
    assert.match(header!, /,referred_at,due_date,referral_done_at,reopened,back_office_outcome$/);
    const row = lines.find((l) => l.startsWith(`${first.slice(0, 3)}-${first.slice(3)},`))!.split(',');
    assert.match(row[13]!, /^2022-08-11T18:00\+02:00$/, 'referred at, in the programme zone');
    // The due date as the list, the page and the receipt say it (Friday 19 August), a date a
    // spreadsheet reads as that day; not the instant it turns overdue, 20 August 00:00 (tester 8, finding 9).
    assert.equal(row[14], more.body.referral.dueDate, 'due: the new due date, as shown');
    assert.equal(row[14], '2022-08-19');
    assert.match(row[15]!, /^2022-08-11T18:0\d\+02:00$/, 'done at');
    assert.equal(row[16], '0', 'not reopened');
    // The expert's outcome stays the referral; the back office's is beside it (tester 7, finding 12).
    assert.deepEqual([row[10], row[17]], ['referred_back_office', 'resolved']);
  });

  it('reminds the team the business day before, escalates at each level\'s instant across the weekend and holiday, each once', async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await referred(lerato);
    const shown = `${reference.slice(0, 3)}-${reference.slice(3)}`;
    const channel = () => sentTo(CHANNEL).filter((x) => /^(Reminder|Escalation):/.test(x));
    const tick = async (at: Date) => {
      clock.set(at);
      await service.scheduler.tick();
    };
    // Due Tuesday 16 (Monday 15 is a holiday): the business day before is Friday 12. (The job runs at
    // most once a minute, so "before" is a minute before; the domain tests hold the millisecond.)
    await tick(new Date(local('2022-08-12').getTime() - 61_000));
    assert.deepEqual(channel(), [], 'not before the start of Friday');
    await tick(local('2022-08-12', '00:01'));
    await waitFor(channel, new RegExp(`Reminder: back-office referral ${shown} .* due by the end of 2022-08-16 with Billing corrections`));
    await tick(local('2022-08-14', '09:00'));
    assert.equal(channel().filter((x) => /Reminder/.test(x)).length, 1, 'reminded once');
    // Days later: a fresh sign-in (tokens last an hour).
    const reminded = await (await signIn(service, 'zanele')).get('/api/back-office/referrals');
    assert.equal(reminded.body.referrals?.[0]?.reminded, true, `the tab shows it: ${JSON.stringify(reminded.body)}`);

    await tick(new Date(local('2022-08-17').getTime() - 61_000));
    assert.equal(channel().filter((x) => /Escalation/.test(x)).length, 0, 'not while the due date lasts');
    await tick(local('2022-08-17', '00:00'));
    await waitFor(channel, new RegExp(`Escalation: back-office referral ${shown} .* was due 2022-08-16 and is now escalated to the Assistant Director: Revenue`));
    await waitFor(() => sentTo(lerato.conversationId), new RegExp(`Case ${shown} is overdue with Billing corrections, so on Wednesday 17 August 2022 it was escalated to the Assistant Director: Revenue`));
    const list = (await (await signIn(service, 'zanele')).get('/api/back-office/referrals')).body.referrals[0];
    assert.deepEqual([list.stage, list.escalatedTo], ['escalated', 'the Assistant Director: Revenue']);
    // The assistant director has Wed 17 and Thu 18: the deputy director from the start of Friday 19.
    await tick(new Date(local('2022-08-19').getTime() - 61_000));
    assert.equal(channel().filter((x) => /Escalation/.test(x)).length, 1);
    await tick(local('2022-08-19', '00:00'));
    await waitFor(channel, /now escalated to the Deputy Director: Revenue/);
    await tick(local('2022-08-25'));
    assert.equal(channel().filter((x) => /Escalation/.test(x)).length, 2, 'the top of the ladder: nothing more');

    // The ratepayer sees it in "status".
    await say(lerato, { text: `status ${shown}` });
    await waitFor(() => sentTo(lerato.conversationId), /overdue and escalated[\s\S]*Escalated on Friday 19 August 2022 to the Deputy Director: Revenue/);
  });
});
