/**
 * The follow-through job (issue 19), run by the session scheduler on the instance that holds its
 * lease, so once across instances: reminds owning teams before a referral's due date and escalates
 * overdue referrals along the definition's ladder. Each step is recorded on the case first, under
 * its ETag (recordReminder / escalate refuse a second time), then told: the supervisors' channels
 * (an alert), the back-office tabs (a published change), and, for an escalation, the ratepayer
 * ("escalated on …", in their language).
 */
import { localParts } from '../domain/calendar.js';
import { CaseRuleError, type Case } from '../domain/case.js';
import { escalate, escalationsDue, recordReminder, reminderDue } from '../domain/followThrough.js';
import { formatReference } from '../domain/reference.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';
import { localeOf, t, type Locale } from '../messages/index.js';
import { changeCase } from '../platform/flow/caseChanges.js';
import type { CaseEvents } from '../platform/flow/caseEvents.js';
import { log as rootLog } from '../platform/log.js';
import type { CaseStore } from '../platform/ports/caseStore.js';
import { told, type RelayService } from '../ratepayers/relay.js';
import type { FollowThroughAlerts } from '../supervisors/followThroughAlerts.js';
import { longDate } from '../messages/time.js';

/** Open referrals looked at per round, at most. */
const BATCH = 500;

/** The follow-through job. */
export class FollowThroughJobs {
  private lastRun = 0;

  constructor(
    private readonly definition: ServiceDefinition,
    private readonly cases: CaseStore,
    private readonly events: CaseEvents,
    private readonly relay: RelayService,
    private readonly alerts: FollowThroughAlerts,
    /** How often a round runs at most (the scheduler ticks every few seconds). */
    private readonly everyMs = 60_000,
    private readonly log = rootLog.child({ component: 'follow-through' }),
  ) {}

  /** One round at `now`: reminders, then escalations. Returns what it did (for tests and logs). */
  async run(now: Date, force = false): Promise<{ reminded: string[]; escalated: string[] }> {
    const done = { reminded: [] as string[], escalated: [] as string[] };
    if (!force && now.getTime() - this.lastRun < this.everyMs) return done;
    this.lastRun = now.getTime();
    for (const c of await this.cases.listOpenReferrals(this.definition.programme.id, BATCH)) {
      try {
        if (reminderDue(c, this.definition, now)) {
          const saved = await this.step(c, (current) => recordReminder(current, now));
          if (saved) {
            done.reminded.push(c.id);
            await this.alerts.reminder(saved);
          }
        }
        const due = escalationsDue(c, this.definition, now);
        if (due.length > 0) {
          const saved = await this.step(c, (current) => escalate(current, this.definition, now));
          if (saved) {
            done.escalated.push(c.id);
            const levels = due.map((d) => d.name);
            await this.alerts.escalated(saved, levels);
            const locale = localeOf(saved);
            const today = localParts(now, this.definition.timeZone).date;
            const params = (l: Locale) => ({ team: saved.referral!.team.name, date: longDate(today, l), level: levels.at(-1)! });
            const words = told(locale, (l) => t(l, 'followThrough.escalated', { reference: formatReference(saved.id), ...params(l) }));
            // A notice: outside a chat window it goes as its template, or by SMS (docs/whatsapp.md).
            await this.relay.tellRatepayer(saved, { ...words, notice: 'escalated', noticeParams: params(locale) });
          }
        }
      } catch (error) {
        // One case's trouble does not stop the others; the next round tries again.
        this.log.error({ err: error, reference: c.id }, 'a follow-through step failed');
      }
    }
    return done;
  }

  /** Records a step on the case (under its ETag) and publishes it; undefined when another instance did it first. */
  private async step(c: Case, apply: (current: Case) => Case): Promise<Case | undefined> {
    const result = await changeCase(this.cases, c.id, (current) => {
      try {
        return apply(current);
      } catch (error) {
        if (error instanceof CaseRuleError) return undefined;
        throw error;
      }
    });
    if (result.kind !== 'saved') return undefined;
    await this.events.publish({ kind: 'case.updated', before: result.before, after: result.saved, by: { kind: 'system', id: 'follow-through', name: 'Follow-through' } });
    return result.saved;
  }
}
