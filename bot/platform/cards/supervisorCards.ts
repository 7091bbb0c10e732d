/**
 * The cards of the supervisors' channel: the live summary of a session, a wait alert with its
 * "Assign" action, and the end-of-session report. References and counts only (POPIA): no name,
 * contact detail or ID number of a ratepayer ever reaches the channel.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';
import { localParts, type SessionSlot } from '../../domain/calendar.js';
import { describeSession } from '../../messages/time.js';
import { languageName } from '../contract/staffWords.js';
import { formatReference } from '../../domain/reference.js';
import type { LiveSummary, SessionReport } from '../../domain/sessionReport.js';
import type { AlertRecord } from '../ports/supervision.js';
import { OUTCOME_LABELS } from '../contract/staffWords.js';

const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates');

/** The supervisors' card templates. */
export const SUPERVISOR_CARD_NAMES = ['supervisorSummary', 'supervisorAlert', 'supervisorReport'] as const;
export type SupervisorCardName = (typeof SUPERVISOR_CARD_NAMES)[number];

const templates = new Map<SupervisorCardName, ACData.Template>();

/** The raw template. */
export function supervisorCardTemplate(name: SupervisorCardName): object {
  return JSON.parse(readFileSync(path.join(folder, `${name}.json`), 'utf8')) as object;
}

function render(name: SupervisorCardName, data: object): Record<string, unknown> {
  let t = templates.get(name);
  if (!t) templates.set(name, (t = new ACData.Template(supervisorCardTemplate(name))));
  return t.expand({ $root: data }) as Record<string, unknown>;
}

const minutes = (n: number | undefined) => (n === undefined ? '–' : n === 1 ? '1 min' : `${Number.isInteger(n) ? n : n.toFixed(1)} min`);
const time = (at: Date | string, tz: string) => localParts(typeof at === 'string' ? new Date(at) : at, tz).time;

/** What a session card says about where it is. */
export interface SummaryCardInput {
  programmeName: string;
  regionName?: string;
  session: SessionSlot;
  timeZone: string;
  summary: LiveSummary;
  now: Date;
  closed?: boolean;
}

/** "1 agent", "3 agents": a count of agents in words, for the summary's line "… active". */
function agentsActive(count: number): string {
  return count === 1 ? '1 agent' : `${count} agents`;
}

/**
 * "3 resolved", or "3 resolved · 1 referred to the back office · 1 not resolved": a referral is
 * not resolved yet, and a case closed as not resolved is not resolved at all (tester 11, finding 7).
 */
function closedInWords(c: { resolved: number; referred: number; notResolved: number }): string {
  return `${c.resolved} resolved${c.referred ? ` · ${c.referred} referred to the back office` : ''}${c.notResolved ? ` · ${c.notResolved} not resolved` : ''}`;
}

/** The live summary card of a session. */
export function summaryCard(input: SummaryCardInput): Record<string, unknown> {
  const { summary, timeZone } = input;
  const rows = summary.categories.map((c) => ({
    name: c.name,
    waiting: String(c.waiting),
    longest: c.waiting ? minutes(c.longestWaitMinutes) + (c.overLimit ? ` (${c.overLimit} over limit)` : '') : '–',
    longestColor: c.overLimit ? 'Attention' : 'Default',
    inProgress: String(c.inProgress),
    resolved: closedInWords(c),
    cancelled: String(c.cancelledOrNoShow),
    agents: agentsActive(c.agentsActive),
    weight: 'Default',
  }));
  const t = summary.totals;
  rows.push({
    name: 'All categories',
    waiting: String(t.waiting),
    longest: t.waiting ? minutes(t.longestWaitMinutes) : '–',
    longestColor: t.overLimit ? 'Attention' : 'Default',
    inProgress: String(t.inProgress),
    resolved: closedInWords(t),
    cancelled: String(t.cancelledOrNoShow),
    agents: agentsActive(summary.agentsActive),
    weight: 'Bolder',
  });
  // Issue 16: who waits for which language, so supervisors can move a speaker onto the queue.
  const byLanguage = summary.waitingByLanguage ?? [];
  return render('supervisorSummary', {
    languages: byLanguage.some((l) => l.code !== 'en') ? `Waiting by language: ${byLanguage.map((l) => `${languageName(l.code)} ${l.waiting}`).join(' · ')}` : '',
    title: `${input.closed ? 'Session closed' : 'Live queue'}: ${input.programmeName}${input.regionName ? `, ${input.regionName}` : ''}`,
    subtitle: describeSession(input.session, timeZone),
    rows,
    footer: input.closed
      ? `Closed at ${time(input.session.closesAt, timeZone)}. The session report follows.`
      : `As of ${time(input.now, timeZone)}. This card updates itself (at most every 30 seconds, when something changes).`,
  });
}

/** An agent the alert offers. */
export interface AgentChoice {
  id: string;
  name: string;
  /** What they are doing now, e.g. "free" or "on 1 case". */
  status: string;
}

/** The wait alert: reference, category, wait; "Assign" while the case waits, who took it after. */
export function alertCard(alert: AlertRecord, input: { categoryName: string; waitLimitMinutes: number; agents: AgentChoice[]; timeZone: string; problem?: string }): Record<string, unknown> {
  const open = !alert.taken;
  const taken = alert.taken
    ? alert.taken.how === 'assigned'
      ? `Assigned to ${alert.taken.name} by ${alert.taken.by} at ${time(alert.taken.at, input.timeZone)}.`
      : alert.taken.how === 'claimed'
        ? `Taken by ${alert.taken.name} at ${time(alert.taken.at, input.timeZone)}.`
        : `No longer waiting: the case was closed at ${time(alert.taken.at, input.timeZone)}.`
    : '';
  return render('supervisorAlert', {
    title: open ? 'Waiting past the limit' : 'Wait alert: dealt with',
    titleColor: open ? 'Attention' : 'Good',
    reference: formatReference(alert.reference),
    referenceId: alert.reference,
    alertId: alert.id,
    categoryName: input.categoryName,
    waitText: `${alert.waitMinutes} minutes (limit ${input.waitLimitMinutes})`,
    raisedText: time(alert.raisedAt, input.timeZone),
    taken,
    problem: input.problem ?? '',
    open: open && input.agents.length > 0,
    noAgents: open && input.agents.length === 0,
    firstAgent: input.agents[0]?.id ?? '',
    agents: input.agents.map((a) => ({ id: a.id, title: `${a.name} (${a.status})` })),
  });
}

const OUTCOME_NAMES: Readonly<Record<string, string>> = OUTCOME_LABELS;

/** The end-of-session report. */
export function reportCard(input: { programmeName: string; regionName?: string; session: SessionSlot; timeZone: string; report: SessionReport }): Record<string, unknown> {
  const { report } = input;
  const t = report.totals;
  const carried = [...report.carriedOver.waiting, ...report.carriedOver.inProgress];
  const shown = carried.slice(0, 30).map(formatReference);
  return render('supervisorReport', {
    title: `Session report: ${input.programmeName}${input.regionName ? `, ${input.regionName}` : ''}`,
    subtitle: describeSession(input.session, input.timeZone),
    totals: [
      { title: 'Cases', value: String(t.total) },
      { title: 'Resolved', value: String(t.resolved) },
      { title: 'Referred to the back office', value: String(t.referred) },
      { title: 'Not resolved', value: String(t.notResolved) },
      { title: 'Cancelled', value: String(t.cancelled) },
      { title: 'No-show', value: String(t.noShow) },
      { title: 'Average wait', value: minutes(t.averageWaitMinutes) },
      { title: '90th percentile wait', value: minutes(t.p90WaitMinutes) },
      { title: 'Average handling time', value: minutes(t.averageHandlingMinutes) },
      {
        title: 'Satisfaction',
        value: report.satisfaction.count ? `${report.satisfaction.average!.toFixed(1)} out of 5 (${report.satisfaction.count} ${report.satisfaction.count === 1 ? 'answer' : 'answers'})` : 'no answers',
      },
      { title: 'Carried over', value: String(t.carriedOver) },
    ],
    rows: report.categories.map((c) => ({
      name: c.name,
      total: String(c.total),
      // A narrow column, wrapped: "2 · 1 referred · 1 not resolved" (the totals above name the back office).
      resolved: [String(c.resolved), c.referred ? `${c.referred} referred` : '', c.notResolved ? `${c.notResolved} not resolved` : ''].filter(Boolean).join(' · '),
      avgWait: minutes(c.averageWaitMinutes),
      p90Wait: minutes(c.p90WaitMinutes),
      avgHandling: minutes(c.averageHandlingMinutes),
      carried: String(c.carriedOver),
    })),
    outcomes: Object.entries(report.outcomes).map(([k, v]) => ({ title: OUTCOME_NAMES[k] ?? k, value: String(v) })),
    // Issue 19: per category and per expert, and in all.
    followThrough: report.followThrough
      ? [...report.followThrough.byCategory.filter((m) => m.finished > 0), ...report.followThrough.byExpert, { key: 'all', name: 'All', ...report.followThrough.totals }].map((m) => ({
          title: m.name,
          value:
            `${m.finished} finished, ${m.firstContact} at first contact, ${m.reopened} reopened, ${m.referred} referred (${m.overdue} overdue)` +
            (m.medianDaysToDone !== undefined ? `, median ${m.medianDaysToDone} days to done` : ''),
        }))
      : [],
    carriedText: carried.length
      ? `Carried over to the next session (${report.carriedOver.waiting.length} waiting, ${report.carriedOver.inProgress.length} with an expert): ${shown.join(', ')}${carried.length > shown.length ? ` and ${carried.length - shown.length} more` : ''}.`
      : 'Nothing carried over: every case was dealt with.',
  });
}
