/**
 * THE WAVE-1 FORECAST, kept verbatim (its handling-time and leaving helpers, unchanged since, come from the domain) for the eta benchmark's before/after comparison
 * (commit 42c42b4's bot/domain/waitEstimate.ts); not used by the service.
 *
 * The estimated wait a ratepayer is told when they join the queue and as it moves: a forecast of
 * when an expert will take each waiting case, from the cases waiting in every queue, the agents
 * on duty (what they work, and how long they have been on the case in front of them), recent
 * handling times per category and the share of ratepayers who leave before they are served.
 * Pure: time is passed in; nothing here reads a clock or a store.
 */
import { worksCategory, type StaffIdentity } from '../bot/domain/access.js';
import { queueKeyTime, type Case } from '../bot/domain/case.js';
import { abandonmentRate, handlingModel, remainingMinutes, type HandlingModel, type WaitSpell } from '../bot/domain/waitEstimate.js';

const MINUTE = 60_000;

// Handling times and the rate of leaving are unchanged since wave 1 (abandonmentRate was only
// reorganised), so the domain's own functions serve here; only the forecast below is wave 1's.

// ---------------------------------------------------------------------------------------------
// The forecast

/** A waiting case as the forecast sees it. */
export interface WaitingCase {
  id: string;
  category: string;
  region?: string;
  /** Orders the queue, oldest first (as claim-next takes them). */
  queueKey: string;
}

/** An agent on duty and the cases they are working on now. */
export interface AgentAtDesk {
  staff: StaffIdentity;
  /** Their cases in progress: the category and when they took it. */
  working: readonly { category: string; since: Date }[];
}

/** Everything the forecast is based on. */
export interface ForecastInput {
  now: Date;
  /** Every waiting case of the programme (any order; other categories matter: shared agents take them too). */
  waiting: readonly WaitingCase[];
  /** The agents on duty. */
  agents: readonly AgentAtDesk[];
  /** Handling model per category code (a category without one is given `fallbackHandling`). */
  handling: ReadonlyMap<string, HandlingModel>;
  fallbackHandling: HandlingModel;
  /** Rate at which waiting ratepayers leave, per minute (abandonmentRate). */
  abandonmentPerMinute: number;
}

/** When an expert is expected to take a case. */
export interface WaitForecast {
  /** Whole minutes from now. */
  minutes: number;
  /** 1-based place among the waiting cases of its category (and region). */
  position: number;
  /** Agents on duty who work the case's category and region. */
  agentsOnDuty: number;
  /** Mean handling minutes of the category, and whether from history or the default. */
  handlingMinutes: number;
  basis: 'history' | 'default';
}

/**
 * Standard deviations of margin per unit of the share of ratepayers expected to leave before a
 * case is reached (forecastWaits). Chosen with `npm run bench -- --only eta`: with 0, 30 % of the
 * ratepayers of an overloaded session were told less than they waited; with 2, 17 %, while a
 * busy session's estimates stay within ±25 % (or 5 minutes) for over 80 % of ratepayers (larger
 * margins cost that).
 */
export const LEAVING_MARGIN = 2;

/**
 * Forecasts when each waiting case will be taken, by simulating the desk forward from now: each
 * agent on duty is free once the case they are on is done (its expected remaining time given how
 * long they have been on it, remainingMinutes), then takes the oldest waiting case among the
 * categories and regions they work (claimOrder, the claim-next rule), and is busy for that
 * category's mean handling time — weighted by the chance that the ratepayer is still there when
 * their turn comes, exp(−θ·t) for exponential patience at rate θ (abandonmentRate), since a
 * ratepayer who left takes no expert time. The case's own forecast is the time an agent reaches
 * it (conditional on its ratepayer staying: that is the wait they would get).
 *
 * This is the deterministic ("fluid") counterpart of the discrete-event simulation used for
 * contact-centre waiting-time prediction: a queue-state predictor in the sense of Ibrahim &
 * Whitt ("Real-Time Delay Estimation Based on Delay History", MSOM 2009, where predictors from
 * the queue's state beat those from recent delays; "Wait-Time Predictors for Customer Service
 * Systems with Time-Varying Demand and Capacity", Operations Research 2011), extended to agents
 * who share queues as Thiongane, Chan & L'Ecuyer compare for multi-skill centres ("Delay
 * Predictors in Multi-Skill Call Centers: An Empirical Comparison with Real Data", 2016).
 * Assumptions: agents keep working while there is work in their skills and nobody joins the
 * desk before the case is reached; cases that join later never get ahead (they are younger);
 * handling times are independent and log-normal per category; patience is exponential (the
 * Erlang-A assumption); a released or transferred case keeps its queue key, so it is simply a
 * waiting case here. A case no agent on duty can take is forecast as if one such agent were
 * about to start on its queue (the first to sign in).
 *
 * What is told is that expected instant plus a margin that grows with how much the forecast rests
 * on people leaving, its least certain input: LEAVING_MARGIN × (1 − e^(−θt)) standard deviations
 * of the work ahead (each case adds its handling-time variance and the variance of whether its
 * ratepayer is still there, divided among the agents who can take the case). A quiet desk, where
 * almost nobody leaves, gets the plain expectation; an overloaded one, where many of those ahead
 * are expected to give up, errs long, since a ratepayer told too short a wait is the promise
 * broken. (The margin can exceed what leaving takes off, so a ratepayer near the front of a
 * queue many leave can be told a little more than if nobody left.)
 *
 * Cost: one pass over the waiting cases, each step choosing the agent free soonest (O(agents))
 * and the oldest case in that agent's queues (O(queues)): under a millisecond for 500 cases and
 * 50 agents.
 */
export function forecastWaits(input: ForecastInput): Map<string, WaitForecast> {
  const theta = Number.isFinite(input.abandonmentPerMinute) && input.abandonmentPerMinute > 0 ? input.abandonmentPerMinute : 0;
  const modelOf = (category: string) => input.handling.get(category) ?? input.fallbackHandling;

  // The waiting cases grouped by category and region, each group oldest first.
  type Group = { category: string; region: string | undefined; cases: WaitingCase[]; next: number };
  const groups = new Map<string, Group>();
  for (const c of input.waiting) {
    const key = `${c.category}\u0000${c.region ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { category: c.category, region: c.region, cases: [], next: 0 }));
    g.cases.push(c);
  }
  for (const g of groups.values()) g.cases.sort((a, b) => (a.queueKey < b.queueKey ? -1 : a.queueKey > b.queueKey ? 1 : 0));
  const allGroups = [...groups.values()];

  // Each agent: when they are free (minutes from now), how uncertain that is (variance,
  // minutes²), and which groups they take from.
  const now = input.now.getTime();
  const spread = (m: HandlingModel) => Math.exp(m.sigma * m.sigma) - 1; // squared coefficient of variation
  const agents = input.agents
    .map((a) => {
      let freeAt = 0;
      let variance = 0;
      for (const w of a.working) {
        const model = modelOf(w.category);
        const rest = remainingMinutes(model, (now - w.since.getTime()) / MINUTE);
        freeAt += rest;
        variance += rest * rest * spread(model);
      }
      return { freeAt, variance, done: false, groups: allGroups.filter((g) => worksCategory(a.staff, g.category, g.region)) };
    })
    .filter((a) => a.groups.length > 0);
  const sharing = new Map(allGroups.map((g) => [g, Math.max(1, agents.filter((a) => a.groups.includes(g)).length)]));

  const reached = new Map<string, number>();
  for (;;) {
    // The agent free soonest who still has work in their queues.
    let agent: (typeof agents)[number] | undefined;
    for (const a of agents) if (!a.done && (!agent || a.freeAt < agent.freeAt)) agent = a;
    if (!agent) break;
    // The oldest case in that agent's queues.
    let from: Group | undefined;
    for (const g of agent.groups) {
      if (g.next >= g.cases.length) continue;
      if (!from || g.cases[g.next]!.queueKey < from.cases[from.next]!.queueKey) from = g;
    }
    if (!from) {
      agent.done = true;
      continue;
    }
    const taken = from.cases[from.next++]!;
    // The margin: LEAVING_MARGIN × the share expected to leave by then × the spread of the work
    // ahead (shared among the agents who can take the case). See forecastWaits.
    const spreadAhead = Math.sqrt(agent.variance / sharing.get(from)!);
    reached.set(taken.id, agent.freeAt + LEAVING_MARGIN * (1 - Math.exp(-theta * agent.freeAt)) * spreadAhead);
    const model = modelOf(taken.category);
    const stays = Math.exp(-theta * agent.freeAt);
    agent.freeAt += stays * model.mean;
    agent.variance += stays * model.mean * model.mean * spread(model) + stays * (1 - stays) * model.mean * model.mean;
  }

  // Places count within the category, whatever the region (as the ratepayer is told them).
  const positions = new Map<string, number>();
  const byCategory = new Map<string, WaitingCase[]>();
  for (const g of allGroups) {
    const list = byCategory.get(g.category);
    if (list) list.push(...g.cases);
    else byCategory.set(g.category, [...g.cases]);
  }
  for (const list of byCategory.values()) {
    list.sort((a, b) => (a.queueKey < b.queueKey ? -1 : a.queueKey > b.queueKey ? 1 : 0));
    list.forEach((c, i) => positions.set(c.id, i + 1));
  }

  const out = new Map<string, WaitForecast>();
  for (const g of allGroups) {
    const model = modelOf(g.category);
    const agentsOnDuty = input.agents.filter((a) => worksCategory(a.staff, g.category, g.region)).length;
    g.cases.forEach((c, index) => {
      // Nobody on duty can take it: as if one agent were about to start on this queue.
      const minutes = reached.get(c.id) ?? (index + 1) * model.mean;
      out.set(c.id, { minutes: Math.max(0, Math.round(minutes)), position: positions.get(c.id)!, agentsOnDuty, handlingMinutes: Math.round(model.mean * 10) / 10, basis: model.basis });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// From what the store holds

/** A waiting or in-progress case, as far as the forecast needs it. */
export type OpenCaseRow = Pick<Case, 'id' | 'category' | 'region' | 'queueKey' | 'state' | 'assignedTo'>;
/** A recently closed case (or one in progress), for handling times and waits. */
export type RecentCaseRow = Pick<Case, 'category' | 'state' | 'queueKey' | 'createdAt' | 'closedAt' | 'assignedTo' | 'handlingMinutes'>;

/** What the service reads to forecast: the open cases, the recent ones, the agents on duty. */
export interface DeskSnapshot {
  now: Date;
  /** Every waiting case and every case in progress of the programme (plus, for a place being worked out before its case is saved, that case). */
  open: readonly OpenCaseRow[];
  /** Cases closed recently (today's session), any category; not the open ones. */
  recent: readonly RecentCaseRow[];
  /**
   * The agents on duty. `present`: signed in to the tab now; false for the roster's stand-ins
   * (the definition's agents, counted when nobody with a category's skill is signed in).
   */
  agents: readonly { staff: StaffIdentity; present: boolean }[];
  /** The categories' configured handling times (minutes), by code. */
  defaultHandlingMinutes: ReadonlyMap<string, number>;
}

/** When a case joined the queue (its queue key's time), ms; createdAt when the key holds none. */
function queuedAtMs(c: Pick<Case, 'queueKey' | 'createdAt'>): number {
  return Date.parse(queueKeyTime(c.queueKey) ?? c.createdAt);
}

/**
 * The inputs of forecastWaits from what the store holds: handling times per category from the
 * recent cases (a resolved case's handling minutes; a no-show's minutes from being taken to being
 * closed, since the expert's time went to it too), newest first; waiting spells for the
 * abandonment rate (cancelled: left; taken: waited until taken; still waiting: waited so far);
 * each agent's cases in progress. A stand-in (listed, not signed in) with no case in progress is
 * taken to be starting one of their first category now: when they will come is unknown, and
 * telling such a queue "less than 5 minutes" would be a promise nobody is there to keep.
 */
export function forecastInput(snapshot: DeskSnapshot): ForecastInput {
  const now = snapshot.now.getTime();
  const samples = new Map<string, { at: string; minutes: number }[]>();
  const spells: WaitSpell[] = [];
  for (const c of snapshot.recent) {
    const queued = queuedAtMs(c);
    if (c.state === 'resolved' || c.state === 'no_show') {
      const minutes =
        c.state === 'resolved' && typeof c.handlingMinutes === 'number'
          ? c.handlingMinutes
          : c.assignedTo && c.closedAt
            ? (Date.parse(c.closedAt) - Date.parse(c.assignedTo.since)) / MINUTE
            : undefined;
      if (minutes !== undefined && c.closedAt) {
        const list = samples.get(c.category);
        if (list) list.push({ at: c.closedAt, minutes });
        else samples.set(c.category, [{ at: c.closedAt, minutes }]);
      }
    }
    if (c.state === 'cancelled' && c.closedAt) spells.push({ minutes: (Date.parse(c.closedAt) - queued) / MINUTE, left: true });
    else if (c.assignedTo) spells.push({ minutes: (Date.parse(c.assignedTo.since) - queued) / MINUTE, left: false });
  }
  for (const c of snapshot.open) {
    const queued = queuedAtMs({ queueKey: c.queueKey, createdAt: snapshot.now.toISOString() });
    if (c.state === 'waiting') spells.push({ minutes: (now - queued) / MINUTE, left: false });
    else if (c.assignedTo) spells.push({ minutes: (Date.parse(c.assignedTo.since) - queued) / MINUTE, left: false });
  }
  const handling = new Map<string, HandlingModel>();
  for (const [code, defaultMinutes] of snapshot.defaultHandlingMinutes) {
    const recent = (samples.get(code) ?? []).sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).map((s) => s.minutes);
    handling.set(code, handlingModel(recent, defaultMinutes));
  }
  const working = new Map<string, { category: string; since: Date }[]>();
  for (const c of snapshot.open) {
    if (c.state !== 'in_progress' || !c.assignedTo) continue;
    const list = working.get(c.assignedTo.staffId);
    const entry = { category: c.category, since: new Date(c.assignedTo.since) };
    if (list) list.push(entry);
    else working.set(c.assignedTo.staffId, [entry]);
  }
  return {
    now: snapshot.now,
    waiting: snapshot.open.filter((c) => c.state === 'waiting').map((c) => ({ id: c.id, category: c.category, ...(c.region ? { region: c.region } : {}), queueKey: c.queueKey })),
    agents: snapshot.agents.map(({ staff, present }) => ({
      staff,
      working: working.get(staff.id) ?? (present || !staff.skills[0] ? [] : [{ category: staff.skills[0], since: snapshot.now }]),
    })),
    handling,
    fallbackHandling: handlingModel([], 15),
    abandonmentPerMinute: abandonmentRate(spells),
  };
}

/** Forecasts every waiting case of the snapshot (forecastInput, then forecastWaits). */
export function forecastDesk(snapshot: DeskSnapshot): Map<string, WaitForecast> {
  return forecastWaits(forecastInput(snapshot));
}

/**
 * A wait in words, rounded to 5 minutes: "less than 5 minutes", "about 15 minutes",
 * "about 1 hour 10 minutes", "more than 3 hours".
 */
export function describeWait(minutes: number): string {
  if (Number.isNaN(minutes) || minutes < 5) return 'less than 5 minutes';
  const rounded = Math.round(minutes / 5) * 5;
  if (rounded > 180) return 'more than 3 hours';
  if (rounded < 60) return `about ${rounded} minutes`;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  const h = `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  return rest === 0 ? `about ${h}` : `about ${h} ${rest} minutes`;
}
