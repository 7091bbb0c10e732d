import assert from 'node:assert/strict';
import * as AC from 'adaptivecards';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { alertCard, reportCard, summaryCard, SUPERVISOR_CARD_NAMES, supervisorCardTemplate } from '../../bot/platform/cards/supervisorCards.js';
import { liveSummary, percentile, queueLengthSeries, sessionReport, waitDistribution, type SessionCase } from '../../bot/domain/sessionReport.js';
import { openSessionAt } from '../../bot/domain/calendar.js';

const pilot = loadDefinition('bot/definitions/joburg-region-b-pilot.json');
const context = { categories: pilot.categories, staff: pilot.staff };
const at = (hhmm: string) => `2022-08-01T${String(Number(hhmm.slice(0, 2)) - 2).padStart(2, '0')}:${hhmm.slice(3)}:00.000Z`; // Johannesburg → UTC

/** A known evening: eight cases, their waits 5, 10, 15, 20, 30 (taken), one cancelled, one waiting, one no-show. */
const cases: SessionCase[] = [
  { id: 'AAA222', category: 'billing', region: 'B', sessionId: 's', state: 'resolved', queuedAt: at('17:00'), firstClaimedAt: at('17:05'), outcome: 'resolved', handlingMinutes: 10, closedAt: at('17:15'), survey: { rating: 5 } },
  { id: 'AAA333', category: 'billing', region: 'B', sessionId: 's', state: 'resolved', queuedAt: at('17:00'), firstClaimedAt: at('17:10'), outcome: 'arrangement_made', handlingMinutes: 20, closedAt: at('17:30'), survey: { rating: 3 } },
  { id: 'AAA444', category: 'rates', region: 'B', sessionId: 's', state: 'resolved', queuedAt: at('17:10'), firstClaimedAt: at('17:25'), outcome: 'referred_back_office', handlingMinutes: 15, closedAt: at('17:40') },
  { id: 'AAA555', category: 'rates', region: 'B', sessionId: 's', state: 'in_progress', queuedAt: at('17:20'), firstClaimedAt: at('17:40'), assignedTo: { staffId: 'sipho', name: 'Sipho Dlamini', since: at('17:40') } },
  { id: 'AAA666', category: 'metering', region: 'B', sessionId: 's', state: 'resolved', queuedAt: at('17:30'), firstClaimedAt: at('18:00'), outcome: 'not_resolved', handlingMinutes: 5, closedAt: at('18:05'), survey: { rating: 4 } },
  { id: 'AAA777', category: 'billing', region: 'B', sessionId: 's', state: 'cancelled', queuedAt: at('18:00'), closedAt: at('18:20') },
  { id: 'AAA888', category: 'indigent', region: 'B', sessionId: 's', state: 'waiting', queuedAt: at('19:30') },
  { id: 'AAA999', category: 'metering', region: 'B', sessionId: 's', state: 'no_show', queuedAt: at('18:00'), firstClaimedAt: at('18:00'), closedAt: at('18:10') },
];

describe('supervisors\' figures (pure)', () => {
  it('percentile is the nearest rank', () => {
    assert.equal(percentile([], 90), undefined);
    assert.equal(percentile([7], 90), 7);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
    assert.equal(percentile([5, 10, 15, 20, 30, 0], 90), 30);
  });

  it('the end-of-session report of a known evening', () => {
    const r = sessionReport('2022-08-01T17:00', cases, context);
    // Waits of the six cases an expert took: 5, 10, 15, 20, 30, 0 → average 13.3, p90 30.
    assert.equal(r.totals.total, 8);
    assert.equal(r.totals.averageWaitMinutes, 13.3);
    assert.equal(r.totals.p90WaitMinutes, 30);
    // Handling of the four resolved: 10, 20, 15, 5 → 12.5.
    assert.equal(r.totals.averageHandlingMinutes, 12.5);
    // A referral to the back office is not resolved for the ratepayer, nor is a case closed as not
    // resolved (AAA666): each counted apart, as in the live summary, and the same cases as the outcomes.
    assert.equal(r.totals.resolved, 2);
    assert.equal(r.totals.referred, 1);
    assert.equal(r.totals.notResolved, 1);
    assert.equal(r.categories.find((c) => c.code === 'metering')!.notResolved, 1);
    assert.equal(r.categories.find((c) => c.code === 'metering')!.resolved, 0);
    assert.equal(r.categories.find((c) => c.code === 'rates')!.referred, 1);
    assert.equal(r.categories.find((c) => c.code === 'rates')!.resolved, 0);
    assert.equal(r.totals.cancelled, 1);
    assert.equal(r.totals.noShow, 1);
    assert.equal(r.totals.carriedOver, 2);
    assert.deepEqual(r.outcomes, { resolved: 1, arrangement_made: 1, referred_back_office: 1, not_resolved: 1 });
    assert.deepEqual(r.satisfaction, { average: 4, count: 3 });
    assert.deepEqual(r.carriedOver, { waiting: ['AAA888'], inProgress: ['AAA555'] });
    const billing = r.categories.find((c) => c.code === 'billing')!;
    assert.deepEqual(
      { total: billing.total, resolved: billing.resolved, cancelled: billing.cancelled, avg: billing.averageWaitMinutes, p90: billing.p90WaitMinutes, handling: billing.averageHandlingMinutes },
      { total: 3, resolved: 2, cancelled: 1, avg: 7.5, p90: 10, handling: 15 },
    );
    const indigent = r.categories.find((c) => c.code === 'indigent')!;
    assert.equal(indigent.averageWaitMinutes, undefined);
    assert.equal(indigent.carriedOver, 1);
  });

  it('counts a referral the back office has since resolved as the session\'s referral, in the totals and the outcomes alike (tester 11, finding 7)', () => {
    const finished: SessionCase = { ...cases[2]!, id: 'AAA445', outcome: 'resolved', expertOutcome: 'referred_back_office' };
    const r = sessionReport('2022-08-01T17:00', [...cases, finished], context);
    assert.equal(r.totals.referred, 2);
    assert.equal(r.totals.resolved, 2);
    assert.equal(r.outcomes.referred_back_office, r.totals.referred);
    assert.equal(r.outcomes.resolved + r.outcomes.arrangement_made, r.totals.resolved);
    assert.equal(r.outcomes.not_resolved, r.totals.notResolved);
    assert.equal(liveSummary('s', [...cases, finished], context, [], new Date(at('19:58'))).totals.referred, 2);
  });

  it('the live summary at 19:58: waiting, longest wait, over the limit, agents active', () => {
    const s = liveSummary('s', cases, context, ['thandi'], new Date(at('19:58')));
    const indigent = s.categories.find((c) => c.code === 'indigent')!;
    assert.deepEqual([indigent.waiting, indigent.longestWaitMinutes, indigent.overLimit], [1, 28, 1]);
    assert.equal(s.totals.inProgress, 1);
    // A referral to the back office is not counted as resolved (tester 10, finding 14), nor is a
    // case closed as not resolved (tester 11, finding 7).
    assert.equal(s.totals.resolved, 2);
    assert.equal(s.totals.referred, 1);
    assert.equal(s.totals.notResolved, 1);
    assert.deepEqual(s.categories.find((c) => c.code === 'rates')!.referred, 1);
    assert.equal(s.totals.cancelledOrNoShow, 2);
    assert.equal(s.agentsActive, 2, 'Thandi (tab open) and Sipho (on a case)');
  });

  it('the live summary card counts agents in words: "1 agent active", "2 agents active"', () => {
    const session = openSessionAt(pilot, new Date(at('19:58')))!;
    const lines = (card: unknown): string[] => JSON.stringify(card).match(/\d+ agents? active/g) ?? [];
    const two = summaryCard({ programmeName: 'P', session, timeZone: pilot.timeZone, summary: liveSummary(session.id, cases, context, ['thandi'], new Date(at('19:58'))), now: new Date(at('19:58')) });
    assert.ok(lines(two).includes('2 agents active'), lines(two).join(', '));
    const one = summaryCard({ programmeName: 'P', session, timeZone: pilot.timeZone, summary: { ...liveSummary(session.id, cases, context, [], new Date(at('19:58'))), agentsActive: 1 }, now: new Date(at('19:58')) });
    assert.ok(lines(one).includes('1 agent active'), lines(one).join(', '));
    assert.ok(!lines(one).includes('1 agents active'));
  });

  it('queue length over the session: a step at every joining and leaving, from the cases\' own times', () => {
    const series = queueLengthSeries(cases, new Date(at('17:00')), new Date(at('18:00')));
    const steps = (s: { at: string; waiting: number }[]) => s.map((p) => `${p.at.slice(11, 16)} ${p.waiting}`);
    // UTC: 15:00 is 17:00 in Johannesburg. Joined 17:00 ×2, 17:10, 17:20, 17:30; taken 17:05, 17:10, 17:25, 17:40; 18:00 is the end.
    // At 17:10 one was taken as another joined: no change, no point.
    assert.deepEqual(steps(series), ['15:00 2', '15:05 1', '15:20 2', '15:25 1', '15:30 2', '15:40 1', '16:00 1']);
    assert.deepEqual(steps(queueLengthSeries(cases, new Date(at('17:00')), new Date(at('17:45')))).at(-1), '15:45 1', 'ends at the given time');
  });

  it('queue length: a short queue shows, and the history is the same whenever it is drawn (tester 8, finding 6)', () => {
    // The tester's afternoon in a session open all day: B84 waited 15:07:40–15:09:10, D39 15:08:20–15:15:30.
    const day: SessionCase[] = [
      { id: 'B84RBN', category: 'billing', sessionId: 'd', state: 'resolved', queuedAt: '2026-11-30T13:07:40.000Z', firstClaimedAt: '2026-11-30T13:09:10.000Z', closedAt: '2026-11-30T13:12:00.000Z' },
      { id: 'D39WZX', category: 'credit-control', sessionId: 'd', state: 'resolved', queuedAt: '2026-11-30T13:08:20.000Z', firstClaimedAt: '2026-11-30T13:15:30.000Z', closedAt: '2026-11-30T13:16:00.000Z' },
    ];
    const opens = new Date('2026-11-29T22:00:00.000Z'); // 00:00 in Johannesburg
    const drawnAt = (utc: string) => queueLengthSeries(day, opens, new Date(utc));
    const later = drawnAt('2026-11-30T13:17:10.000Z');
    assert.deepEqual(
      later.map((p) => [p.at, p.waiting]),
      [
        ['2026-11-30T13:05:00.000Z', 0], // the chart starts shortly before the first case joined, not at 00:00
        ['2026-11-30T13:07:40.000Z', 1],
        ['2026-11-30T13:08:20.000Z', 2], // two cases waited together for 50 seconds
        ['2026-11-30T13:09:10.000Z', 1],
        ['2026-11-30T13:15:30.000Z', 0],
        ['2026-11-30T13:17:10.000Z', 0],
      ],
    );
    assert.equal(Math.max(...later.map((p) => p.waiting)), 2);
    // Drawn at 15:10 and at 20:00 the history up to 15:10 is the same points: only the end moves.
    const early = drawnAt('2026-11-30T13:10:00.000Z');
    const evening = drawnAt('2026-11-30T18:00:00.000Z');
    assert.deepEqual(early.slice(0, -1), later.slice(0, 4));
    assert.deepEqual(early.at(-1), { at: '2026-11-30T13:10:00.000Z', waiting: 1 });
    assert.deepEqual(evening.slice(0, -1), later.slice(0, -1));
    // No case yet: the chart starts at the opening; a case carried over from before the opening keeps it there.
    assert.equal(queueLengthSeries([], opens, new Date('2026-11-30T13:00:00.000Z'))[0]!.at, opens.toISOString());
    const carried = { ...day[0]!, queuedAt: '2026-11-29T21:50:00.000Z' };
    assert.deepEqual(queueLengthSeries([carried], opens, new Date('2026-11-30T13:17:10.000Z'))[0], { at: opens.toISOString(), waiting: 1 });
  });

  it('the distribution of waits', () => {
    const buckets = waitDistribution(cases, new Date(at('20:00')));
    assert.equal(buckets.reduce((n, b) => n + b.served + b.notServed, 0), cases.length);
    // Taken after 0, 5, 10, 15, 20 and 30 minutes; the cancelled case left after 20, the waiting one has waited 30.
    assert.deepEqual(buckets.map((b) => b.served), [1, 1, 1, 1, 1, 1, 0, 0]);
    assert.deepEqual(buckets.map((b) => b.notServed), [0, 0, 0, 0, 1, 1, 0, 0]);
  });

  it('the supervisors\' cards parse with the Adaptive Cards SDK (schema 1.5) and carry no personal details', () => {
    const session = openSessionAt(pilot, new Date(at('18:00')))!;
    const built = [
      summaryCard({ programmeName: 'Virtual customer engagement', session, timeZone: pilot.timeZone, summary: liveSummary(session.id, cases, context, [], new Date(at('18:00'))), now: new Date(at('18:00')) }),
      alertCard(
        { id: 'alert:x:AAA888', kind: 'alert', scope: 'x', reference: 'AAA888', category: 'indigent', sessionId: session.id, conversationId: 'c', raisedAt: at('19:56'), waitMinutes: 26 },
        { categoryName: 'Indigent', waitLimitMinutes: 25, agents: [{ id: 'priya', name: 'Priya Naidoo', status: 'no case now' }], timeZone: pilot.timeZone },
      ),
      reportCard({ programmeName: 'Virtual customer engagement', session, timeZone: pilot.timeZone, report: sessionReport(session.id, cases, context) }),
    ];
    // The report card says how many were referred, in all and in the rates row (AAA444).
    const report = JSON.stringify(built[2]);
    assert.match(report, /"title":"Referred to the back office","value":"1"/);
    assert.match(report, /"text":"0 · 1 referred"/);
    assert.match(report, /"title":"Not resolved","value":"1"/);
    assert.match(report, /"text":"0 · 1 not resolved"/);
    assert.equal(SUPERVISOR_CARD_NAMES.map((n) => supervisorCardTemplate(n)).length, 3);
    for (const card of built) {
      const ctx = new AC.SerializationContext(new AC.Version(1, 5));
      const parsed = new AC.AdaptiveCard();
      parsed.parse(card, ctx);
      const problems: string[] = [];
      for (let i = 0; i < ctx.eventCount; i++) problems.push(ctx.getEventAt(i).message);
      for (const e of parsed.validateProperties().validationEvents) problems.push(e.message);
      assert.deepEqual(problems, []);
      assert.ok(JSON.stringify(card).length < 28_000);
    }
  });
});
