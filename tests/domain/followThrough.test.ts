/**
 * Follow-through (issue 19), pure: referral due dates from the definition (calendar and business
 * days, across weekends and holidays), reminders and the escalation ladder at the edges of their
 * instants, "needs more time", "done" (outcome + receipt, retention from then), reopening within
 * the period, the earlier expert's preference; and, as properties (fast-check) over random paths
 * through the lifecycle: no path closes a case without an outcome and a receipt, no referral
 * exists without a due date and an owner, and retention is set exactly when the case is done.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import {
  cancelCase,
  CaseRuleError,
  claimCase,
  markNoShow,
  openCase,
  ratepayerActor,
  releaseCase,
  resolveCase,
  type Case,
  type Outcome,
} from '../../bot/domain/case.js';
import {
  addDays,
  completeReferral,
  escalate,
  escalationsDue,
  extendReferral,
  linkFollowingCase,
  mayFollow,
  mayReopen,
  preferenceAllows,
  recordReminder,
  referralFor,
  reminderDue,
  reopenCase,
  stageOf,
  updateRatepayer,
} from '../../bot/domain/followThrough.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';

const pilot = loadDefinition('bot/definitions/joburg-region-b-pilot.json');
/** The pilot with business days and two holidays (a Tuesday, and a Monday after a weekend). */
const businessDef: ServiceDefinition = {
  ...pilot,
  calendar: { ...pilot.calendar, holidays: [{ date: '2022-08-09', name: "National Women's Day" }, { date: '2022-08-15', name: 'Test Monday holiday' }] },
  followThrough: {
    ...pilot.followThrough,
    businessDays: true,
    teams: [{ code: 'billing-ops', name: 'Billing corrections' }, { code: 'back-office', name: 'Revenue back office' }],
    referrals: { billing: { team: 'billing-ops', responseDays: 2 } },
    defaultReferral: { team: 'back-office', responseDays: 14 },
    remindDaysBefore: 1,
    escalation: [
      { code: 'assistant-director', name: 'the Assistant Director: Revenue', days: 2 },
      { code: 'deputy-director', name: 'the Deputy Director: Revenue', days: 2 },
      { code: 'director', name: 'the Director: Revenue', days: 2 },
    ],
  },
};
/** Johannesburg is UTC+2 all year: local 00:00 on a date is 22:00 UTC the day before. */
const local = (date: string, time = '00:00') => new Date(`${date}T${time}:00+02:00`);
const ratepayer = { userId: 'u1', displayName: 'Lerato', conversationId: 'conv-1', channelId: 'msteams' };
const thandi = { kind: 'staff' as const, id: 'thandi', name: 'Thandi' };
const backOffice = { kind: 'staff' as const, id: 'bo1', name: 'Zanele' };
const refused = (reason: CaseRuleError['reason']) => (error: unknown) => error instanceof CaseRuleError && error.reason === reason;

function open(now: Date, category = 'billing'): Case {
  return openCase({ reference: 'K7M3PQ', programmeId: 'joburg', category, sessionId: '2022-08-01T17:00', draftId: 'd', ratepayer, intake: {}, now });
}

function referred(def: ServiceDefinition, now: Date, category = 'billing'): Case {
  const claimed = claimCase(open(now, category), now, thandi);
  return resolveCase(claimed, now, thandi, { kind: 'referred_back_office', summary: 'Sent to billing corrections' }, 365, false, referralFor(def, category, now));
}

describe('follow-through: due dates', () => {
  it('counts business days across weekends and holidays, and calendar days when the definition says so', () => {
    const h = businessDef.calendar.holidays;
    assert.equal(addDays('2022-08-05', 1, true, h), '2022-08-08', 'Friday + 1 business day is Monday');
    assert.equal(addDays('2022-08-08', 1, true, h), '2022-08-10', 'Monday + 1 skips the Tuesday holiday');
    assert.equal(addDays('2022-08-12', 1, true, h), '2022-08-16', 'Friday + 1 skips the weekend and the Monday holiday');
    assert.equal(addDays('2022-08-08', -1, true, h), '2022-08-05', 'Monday − 1 is the Friday before');
    assert.equal(addDays('2022-08-06', 0, true, h), '2022-08-08', 'zero business days from a Saturday is the Monday');
    assert.equal(addDays('2022-08-05', 1, false, h), '2022-08-06', 'calendar days count the weekend');
    assert.equal(addDays('2022-12-30', 3, false, h), '2023-01-02', 'across a year end');
  });

  it('gives a referral its category team and a due date from the response time; overdue from the next local midnight', () => {
    // Referred on Friday 5 Aug at 19:00 local: billing has 2 business days → Wednesday 10 Aug (Tuesday 9 is a holiday).
    const r = referralFor(businessDef, 'billing', local('2022-08-05', '19:00'));
    assert.deepEqual(r.team, { code: 'billing-ops', name: 'Billing corrections' });
    assert.equal(r.dueDate, '2022-08-10');
    assert.equal(r.dueAt, local('2022-08-11').toISOString());
    const other = referralFor(businessDef, 'rates', local('2022-08-05', '19:00'));
    assert.equal(other.team.code, 'back-office', 'a category without its own rule gets the default team');
    // The pilot's defaults: 14 calendar days, the City's by-laws.
    const pilotReferral = referralFor(pilot, 'billing', local('2022-08-01', '18:00'));
    assert.equal(pilotReferral.dueDate, '2022-08-15');
    // 23:30 local on 1 Aug is 21:30 UTC: still the 1st in Johannesburg.
    assert.equal(referralFor(pilot, 'billing', new Date('2022-08-01T21:30:00Z')).dueDate, '2022-08-15');
    assert.equal(referralFor(pilot, 'billing', new Date('2022-08-01T22:00:00Z')).dueDate, '2022-08-16', 'midnight local is the next day');
  });

  it('refuses a referral without a due date and an owner, and keeps the session part closed but not done', () => {
    const claimed = claimCase(open(local('2022-08-01', '17:05')), local('2022-08-01', '17:05'), thandi);
    assert.throws(() => resolveCase(claimed, local('2022-08-01', '17:20'), thandi, { kind: 'referred_back_office', summary: 's' }, 365), refused('invalid'));
    const c = referred(businessDef, local('2022-08-01', '17:20'));
    assert.equal(c.state, 'resolved');
    assert.ok(c.closedAt, 'the session part is over');
    assert.equal(c.doneAt, undefined, 'not done');
    assert.equal(c.retentionDays, undefined, 'retention has not started');
    assert.deepEqual(c.receipts?.map((r) => [r.id, r.kind, r.team, r.dueDate]), [['K7M3PQ-1', 'referred', 'Billing corrections', '2022-08-03']]);
    assert.equal(c.audit.at(-1)?.action, 'referred');
    assert.equal(stageOf(c, local('2022-08-03', '23:59')), 'back_office');
    assert.equal(stageOf(c, local('2022-08-04')), 'overdue');
  });
});

describe('follow-through: reminders and escalation at the edges', () => {
  // Referred Thursday 11 Aug: 2 business days → Tuesday 16 Aug (the weekend and Monday 15's holiday skipped).
  const c = referred(businessDef, local('2022-08-11', '18:00'));

  it('reminds the team once, from the start of the business day before the due date', () => {
    assert.equal(c.referral?.dueDate, '2022-08-16');
    // The business day before Tuesday 16 (Monday 15 is a holiday) is Friday 12.
    assert.equal(reminderDue(c, businessDef, new Date(local('2022-08-12').getTime() - 1)), false, 'a millisecond before');
    assert.equal(reminderDue(c, businessDef, local('2022-08-12')), true, 'at the instant');
    assert.equal(reminderDue(c, businessDef, local('2022-08-14', '12:00')), true, 'over the weekend still due');
    const reminded = recordReminder(c, local('2022-08-12', '00:01'));
    assert.equal(reminderDue(reminded, businessDef, local('2022-08-13')), false, 'once per due date');
    assert.throws(() => recordReminder(reminded, local('2022-08-13')), refused('already_done'));
    assert.equal(reminderDue(c, businessDef, local('2022-08-17')), false, 'not after the due date: that is an escalation');
  });

  it('escalates along the ladder, each level at its instant, skipping weekends and holidays', () => {
    assert.deepEqual(escalationsDue(c, businessDef, new Date(local('2022-08-17').getTime() - 1)), [], 'not before the due date has passed');
    const first = escalationsDue(c, businessDef, local('2022-08-17'));
    assert.deepEqual(first.map((s) => s.code), ['assistant-director']);
    const atAd = escalate(c, businessDef, local('2022-08-17'));
    assert.equal(stageOf(atAd, local('2022-08-17')), 'escalated');
    assert.throws(() => escalate(atAd, businessDef, local('2022-08-17', '00:05')), refused('already_done'));
    // The assistant director has 2 business days from the 16th: Wed 17, Thu 18 → the deputy at the start of Fri 19.
    assert.deepEqual(escalationsDue(atAd, businessDef, new Date(local('2022-08-19').getTime() - 1)), []);
    assert.deepEqual(escalationsDue(atAd, businessDef, local('2022-08-19')).map((s) => s.code), ['deputy-director']);
    // Then Fri 19, Mon 22 → the director at the start of Tue 23; a late run catches up both levels at once.
    const late = escalate(atAd, businessDef, local('2022-08-23', '08:00'));
    assert.deepEqual(late.referral?.escalations.map((e) => e.code), ['assistant-director', 'deputy-director', 'director']);
    assert.deepEqual(late.audit.slice(-2).map((e) => e.detail), ['to the Deputy Director: Revenue (due 2022-08-16 passed)', 'to the Director: Revenue (due 2022-08-16 passed)']);
    assert.deepEqual(escalationsDue(late, businessDef, local('2022-09-30')), [], 'the top of the ladder');
  });

  it('"needs more time" moves the due date with a reason (receipt), and the ladder starts again from it', () => {
    const escalated = escalate(c, businessDef, local('2022-08-17'));
    assert.throws(() => extendReferral(escalated, businessDef, local('2022-08-17'), backOffice, '2022-08-16', 'x'), refused('invalid'));
    assert.throws(() => extendReferral(escalated, businessDef, local('2022-08-17'), backOffice, '2022-08-24', '  '), refused('invalid'));
    assert.throws(() => extendReferral(escalated, businessDef, local('2022-08-17'), backOffice, '2022-02-30', 'x'), refused('invalid'));
    const more = extendReferral(escalated, businessDef, local('2022-08-17', '09:00'), backOffice, '2022-08-24', 'Waiting for the meter reading');
    assert.equal(more.referral?.dueDate, '2022-08-24');
    assert.equal(more.outcome?.dueDate, '2022-08-24');
    assert.equal(stageOf(more, local('2022-08-20')), 'back_office', 'no longer escalated under the new date');
    assert.deepEqual(more.receipts?.at(-1), {
      id: 'K7M3PQ-2', at: local('2022-08-17', '09:00').toISOString(), kind: 'more_time', team: 'Billing corrections', dueDate: '2022-08-24', reason: 'Waiting for the meter reading',
    });
    assert.equal(reminderDue(more, businessDef, local('2022-08-23')), true, 'reminded again for the new date');
    assert.deepEqual(escalationsDue(more, businessDef, local('2022-08-25')).map((s) => s.code), ['assistant-director']);
  });

  it('"needs more time" on an open dispute\'s referral never goes past its investigation date (the by-laws allow no extension; tester 10, finding 3)', () => {
    const dispute = {
      reference: 'K7M3PQ-D1', statementDate: '2022-07-25', items: [{ amountCents: 100_000, reason: 'Estimate' }], totalCents: 100_000, keepPayingCents: 50_000,
      keepPayingBasis: 'average' as const, lodgedAt: local('2022-08-11').toISOString(), lodgedOn: '2022-08-11', investigationDueOn: '2022-08-25', appealFrom: '2022-11-09',
      lodgedBy: { staffId: 'thandi', name: 'Thandi' },
    };
    const withDispute: Case = { ...c, dispute };
    assert.throws(() => extendReferral(withDispute, businessDef, local('2022-08-17'), backOffice, '2022-08-26', 'Audit'), (e: unknown) =>
      refused('invalid')(e) && /Dispute K7M-3PQ-D1 must be investigated and the ratepayer told the outcome in writing by Thu, 25 Aug 2022/.test((e as Error).message));
    assert.equal(extendReferral(withDispute, businessDef, local('2022-08-17'), backOffice, '2022-08-25', 'Audit').referral?.dueDate, '2022-08-25', 'up to the date itself');
    const settled: Case = { ...c, dispute: { ...dispute, settledAt: local('2022-08-15').toISOString() } };
    assert.equal(extendReferral(settled, businessDef, local('2022-08-17'), backOffice, '2022-08-30', 'Audit').referral?.dueDate, '2022-08-30', 'a settled dispute holds nothing');
  });

  it('"done" records the final outcome and a receipt; only then is the case done and its retention started', () => {
    const updated = updateRatepayer(c, local('2022-08-12', '10:00'), backOffice, 'We found the March payment.');
    assert.equal(updated.referral?.updates.length, 1);
    assert.throws(() => updateRatepayer(c, local('2022-08-12'), backOffice, ' '), refused('invalid'));
    assert.throws(() => completeReferral(updated, local('2022-08-13'), backOffice, { kind: 'resolved', summary: ' ' }, 365), refused('invalid'));
    const done = completeReferral(updated, local('2022-08-13', '11:00'), backOffice, { kind: 'resolved', summary: 'Credit of R1 200 passed' }, 365);
    assert.equal(done.doneAt, local('2022-08-13', '11:00').toISOString());
    assert.equal(done.retentionDays, 365);
    assert.equal(done.closedAt, c.closedAt, 'the session part ended when it did');
    assert.deepEqual(done.outcome, { kind: 'resolved', summary: 'Credit of R1 200 passed' });
    assert.equal(done.receipts?.at(-1)?.kind, 'done');
    assert.equal(stageOf(done, local('2022-08-13', '12:00')), 'done');
    assert.throws(() => completeReferral(done, local('2022-08-14'), backOffice, { kind: 'resolved', summary: 'x' }, 365), refused('closed'));
    assert.throws(() => updateRatepayer(done, local('2022-08-14'), backOffice, 'x'), refused('closed'));
  });
});

describe('follow-through: reopening', () => {
  const at = local('2022-08-01', '17:30');
  const resolved = resolveCase(claimCase(open(local('2022-08-01', '17:05')), local('2022-08-01', '17:10'), thandi), at, thandi, { kind: 'resolved', summary: 'Explained' }, 365);

  it('reopens within the period at the front of the queue, not done any more, the earlier expert preferred', () => {
    assert.equal(mayReopen(resolved, pilot.followThrough, local('2022-08-15', '17:30')), 'yes', 'exactly 14 days later');
    assert.equal(mayReopen(resolved, pilot.followThrough, new Date(local('2022-08-15', '17:30').getTime() + 1)), 'too_late');
    assert.throws(() => reopenCase(resolved, local('2022-08-16'), ratepayerActor(ratepayer), pilot.followThrough, 's'), refused('closed'));
    const reopened = reopenCase(resolved, local('2022-08-03', '17:01'), ratepayerActor(ratepayer), pilot.followThrough, '2022-08-03T17:00');
    assert.equal(reopened.state, 'waiting');
    assert.equal(reopened.sessionId, '2022-08-03T17:00');
    assert.ok(reopened.queueKey < '!' + '2000', 'before carried-over cases');
    assert.ok(reopened.queueKey < new Date(0).toISOString(), 'before every new case');
    for (const gone of ['closedAt', 'doneAt', 'retentionDays', 'outcome', 'assignedTo'] as const) assert.equal(reopened[gone], undefined, gone);
    assert.deepEqual(reopened.reopened, { at: local('2022-08-03', '17:01').toISOString(), count: 1, previousOutcome: 'resolved', preferred: { staffId: 'thandi', name: 'Thandi' } });
    const now = local('2022-08-03', '17:05');
    assert.equal(preferenceAllows(reopened, 'sipho', new Set(['thandi', 'sipho']), now), false, 'kept for Thandi while she is on duty');
    assert.equal(preferenceAllows(reopened, 'thandi', new Set(['thandi', 'sipho']), now), true);
    assert.equal(preferenceAllows(reopened, 'sipho', new Set(['sipho']), now), true, 'anyone when she is not on duty');
    assert.equal(preferenceAllows(reopened, 'sipho', new Set(['thandi', 'sipho']), local('2022-08-03', '17:16')), true, 'anyone after 15 minutes');
  });

  it('does not reopen a case still with the back office, nor a cancelled one', () => {
    const r = referred(pilot, at);
    assert.equal(mayReopen(r, pilot.followThrough, local('2022-08-02')), 'not_done');
    const cancelled = cancelCase(open(at), at, ratepayerActor(ratepayer), 365);
    assert.equal(mayReopen(cancelled, pilot.followThrough, local('2022-08-02')), 'not_resolved');
  });
});

describe('follow-through: a new case that follows an old one', () => {
  const at = local('2022-08-01', '17:30');
  const resolved = resolveCase(claimCase(open(local('2022-08-01', '17:05')), local('2022-08-01', '17:10'), thandi), at, thandi, { kind: 'resolved', summary: 'Explained' }, 365);

  it('follows only a finished case of the same chat: not an open one, not one still with the back office, not another chat\'s', () => {
    assert.equal(mayFollow(resolved, 'conv-1'), true);
    assert.equal(mayFollow(cancelCase(open(at), at, ratepayerActor(ratepayer), 365), 'conv-1'), true, 'a cancelled case too');
    assert.equal(mayFollow(resolved, 'conv-2'), false, 'another chat');
    assert.equal(mayFollow(open(at), 'conv-1'), false, 'still waiting');
    assert.equal(mayFollow(claimCase(open(at), at, thandi), 'conv-1'), false, 'with an expert');
    assert.equal(mayFollow(referred(pilot, at), 'conv-1'), false, 'with the back office');
  });

  it('records the link on both cases, with their audit trails, once', () => {
    const later = openCase({ reference: 'N4W8XY', programmeId: 'joburg', category: 'billing', sessionId: 's', draftId: 'd2', ratepayer, intake: {}, follows: resolved.id, now: local('2022-08-20') });
    assert.equal(later.follows, 'K7M3PQ');
    assert.equal(later.audit[0]!.detail, 'queued in billing, following case K7M3PQ');
    const linked = linkFollowingCase(resolved, local('2022-08-20'), ratepayerActor(ratepayer), later.id);
    assert.deepEqual(linked.followedBy, ['N4W8XY']);
    assert.deepEqual(linked.audit.at(-1), { at: local('2022-08-20').toISOString(), by: ratepayerActor(ratepayer), action: 'followed by', detail: 'case N4W8XY' });
    assert.equal(linkFollowingCase(linked, local('2022-08-21'), ratepayerActor(ratepayer), later.id), linked, 'a second time changes nothing');
    assert.equal(linked.state, 'resolved');
    assert.equal(linked.doneAt, resolved.doneAt, 'still done, from the same day');
  });
});

/** One random step through the lifecycle; a step that the rules refuse leaves the case as it was. */
type Step =
  | { t: 'claim' }
  | { t: 'release' }
  | { t: 'resolve'; outcome: Outcome; withReferral: boolean }
  | { t: 'cancel' }
  | { t: 'noShow' }
  | { t: 'update' }
  | { t: 'extend'; days: number }
  | { t: 'done'; outcome: Exclude<Outcome, 'referred_back_office'> }
  | { t: 'escalate' }
  | { t: 'remind' }
  | { t: 'reopen' }
  | { t: 'wait'; hours: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ t: 'claim' }),
  fc.constant<Step>({ t: 'release' }),
  fc.record({ t: fc.constant('resolve' as const), outcome: fc.constantFrom<Outcome>('resolved', 'arrangement_made', 'referred_back_office', 'not_resolved'), withReferral: fc.boolean() }),
  fc.constant<Step>({ t: 'cancel' }),
  fc.constant<Step>({ t: 'noShow' }),
  fc.constant<Step>({ t: 'update' }),
  fc.record({ t: fc.constant('extend' as const), days: fc.integer({ min: -3, max: 20 }) }),
  fc.record({ t: fc.constant('done' as const), outcome: fc.constantFrom('resolved' as const, 'arrangement_made' as const, 'not_resolved' as const) }),
  fc.constant<Step>({ t: 'escalate' }),
  fc.constant<Step>({ t: 'remind' }),
  fc.constant<Step>({ t: 'reopen' }),
  fc.record({ t: fc.constant('wait' as const), hours: fc.integer({ min: 0, max: 24 * 10 }) }),
);

function apply(c: Case, step: Step, now: Date, def: ServiceDefinition): Case {
  const by = ratepayerActor(ratepayer);
  switch (step.t) {
    case 'claim': return claimCase(c, now, thandi);
    case 'release': return releaseCase(c, now, thandi);
    case 'resolve':
      return resolveCase(c, now, thandi, { kind: step.outcome, summary: 'sum' }, 365, false, step.withReferral ? referralFor(def, c.category, now) : undefined);
    case 'cancel': return cancelCase(c, now, by, 365);
    case 'noShow': return markNoShow(c, now, thandi, { noShowMinutes: 0, retentionDays: 365 });
    case 'update': return updateRatepayer(c, now, backOffice, 'news');
    case 'extend': return extendReferral(c, def, now, backOffice, addDays(c.referral?.dueDate ?? '2022-08-01', step.days, false, []), 'reason');
    case 'done': return completeReferral(c, now, backOffice, { kind: step.outcome, summary: 'final' }, 365);
    case 'escalate': return escalate(c, def, now);
    case 'remind': return recordReminder(c, now);
    case 'reopen': return reopenCase(c, now, by, def.followThrough, 'next');
    case 'wait': return c;
  }
}

describe('follow-through: lifecycle properties (fast-check)', () => {
  it('no path closes a case without an outcome and a receipt; no referral without a due date and an owner; retention only once done', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), fc.boolean(), (steps, business) => {
        const def = business ? businessDef : pilot;
        let now = local('2022-08-01', '17:05');
        let c = open(now);
        for (const step of steps) {
          now = new Date(now.getTime() + (step.t === 'wait' ? step.hours * 3_600_000 : 60_000));
          try {
            c = apply(c, step, now, def);
          } catch (error) {
            if (!(error instanceof CaseRuleError)) throw error;
          }
          // Done (retention running) only with a receipt for that closure; a resolved, done case has its outcome.
          if (c.doneAt !== undefined || c.retentionDays !== undefined) {
            assert.ok(c.doneAt && c.retentionDays !== undefined && c.closedAt, 'done, retention and closure go together');
            const last = c.receipts?.at(-1);
            assert.ok(last, 'a receipt');
            assert.ok(['outcome', 'done', 'cancelled', 'no_show'].includes(last.kind), `the last receipt is a closing one (${last.kind})`);
            if (c.state === 'resolved') {
              assert.ok(c.outcome && c.outcome.kind !== 'referred_back_office' && c.outcome.summary, 'a final outcome');
              assert.equal(last.outcome, c.outcome.kind);
            }
          }
          if (c.state === 'resolved' && !c.outcome) assert.fail('resolved without an outcome');
          if (c.referral) {
            assert.ok(c.referral.team.code && c.referral.team.name, 'an owner');
            assert.match(c.referral.dueDate, /^\d{4}-\d{2}-\d{2}$/, 'a due date');
            assert.ok(Number.isFinite(Date.parse(c.referral.dueAt)));
            if (!c.referral.done) assert.equal(c.retentionDays, undefined, 'an open referral is not done');
          }
          if (c.outcome?.kind === 'referred_back_office') assert.ok(c.referral && !c.referral.done, 'a referral outcome is an open referral');
          // Every receipt has its own id, in order.
          assert.deepEqual(c.receipts?.map((r) => r.id) ?? [], (c.receipts ?? []).map((_, i) => `K7M3PQ-${i + 1}`));
        }
      }),
      { numRuns: 400 },
    );
  });
});
