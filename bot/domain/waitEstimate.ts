/**
 * The estimated wait a ratepayer is told when they join the queue and as it moves: a forecast of
 * when an expert will take each waiting case, from the cases waiting in every queue, the agents
 * on duty (what they work, and how long they have been on the case in front of them), recent
 * handling times per category and the rate at which ratepayers leave before they are served —
 * a seeded simulation of the desk's next hours, repeated, and from its spread the wait most
 * likely to keep the promise (forecastWaits). Pure: time is passed in; nothing here reads a
 * clock or a store, and the same input always gives the same forecast.
 */
import { worksCategory, type StaffIdentity } from './access.js';
import { queueKeyTime, type Case } from './case.js';

const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------
// Handling times

/** Fewer recent cases than this say more about chance than about the session. */
const MIN_SAMPLES = 3;
/** Only the latest cases count, so the estimate follows how the session is going now. */
const MAX_SAMPLES = 20;
/** σ of the log of handling times assumed until there is history (a coefficient of variation of about 0.5). */
const DEFAULT_SIGMA = 0.5;
/** How many samples' weight the category's configured handling time keeps once there is history. */
const PRIOR_WEIGHT = 2;

/** A category's handling time as a log-normal distribution (minutes). */
export interface HandlingModel {
  /** Mean handling time, minutes. */
  mean: number;
  /** Mean and standard deviation of the natural log of the handling time. */
  mu: number;
  sigma: number;
  /** 'history' once the category has MIN_SAMPLES recent cases; else the configured default. */
  basis: 'history' | 'default';
}

/**
 * A category's handling-time model from its most recent handling times (minutes, newest first;
 * the first MAX_SAMPLES finite, non-negative ones count) and its configured default (minutes,
 * read as the mean). Handling times are taken to be log-normal, as contact-centre handling
 * times typically are (Brown et al., "Statistical Analysis of a Telephone Call Center: A
 * Queueing-Science Perspective", JASA 2005). With at least MIN_SAMPLES samples the log-mean and
 * log-σ are fitted to them, the default keeping the weight of PRIOR_WEIGHT samples on the
 * log-mean (a few odd cases early in a session do not swing every estimate); σ is kept within
 * 0.2–1.2. The mean, not the median, is what a queue's wait adds up.
 */
export function handlingModel(recentMinutes: readonly number[], defaultMinutes: number): HandlingModel {
  const samples = recentMinutes.filter((m) => Number.isFinite(m) && m >= 0).slice(0, MAX_SAMPLES);
  const fallback = Number.isFinite(defaultMinutes) && defaultMinutes > 0 ? defaultMinutes : 15;
  const priorMu = Math.log(fallback) - (DEFAULT_SIGMA * DEFAULT_SIGMA) / 2;
  if (samples.length < MIN_SAMPLES) return { mean: fallback, mu: priorMu, sigma: DEFAULT_SIGMA, basis: 'default' };
  // Half a minute at least: a case closed at once has no log, and says little about the next.
  const logs = samples.map((m) => Math.log(Math.max(0.5, m)));
  const n = logs.length;
  const logMean = logs.reduce((a, b) => a + b, 0) / n;
  const variance = logs.reduce((a, b) => a + (b - logMean) ** 2, 0) / (n - 1);
  const sigma = Math.min(1.2, Math.max(0.2, Math.sqrt(variance)));
  const sampleMean = samples.reduce((a, b) => a + b, 0) / n;
  const mean = (n * sampleMean + PRIOR_WEIGHT * fallback) / (n + PRIOR_WEIGHT);
  return { mean, mu: Math.log(mean) - (sigma * sigma) / 2, sigma, basis: 'history' };
}

/** The standard normal distribution function (Abramowitz & Stegun 26.2.17, error < 7.5e-8). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return x >= 0 ? 1 - tail : tail;
}

/**
 * Minutes a case is still expected to take when it has already taken `elapsedMinutes`: the mean
 * residual life of the log-normal, E[H − e | H > e] = exp(μ + σ²/2)·Φ((μ + σ² − ln e)/σ) /
 * Φ((μ − ln e)/σ) − e. It grows with e (a case that has run long tends to run longer), which is
 * why "mean minus elapsed" would be wrong. Far in the tail, where the ratio is numerically
 * unstable, the asymptote e·σ²/(ln e − μ) is used.
 */
export function remainingMinutes(model: HandlingModel, elapsedMinutes: number): number {
  if (!(elapsedMinutes > 0)) return model.mean;
  const lnE = Math.log(elapsedMinutes);
  const survival = normalCdf((model.mu - lnE) / model.sigma);
  if (survival < 1e-6) return (elapsedMinutes * model.sigma * model.sigma) / Math.max(1e-9, lnE - model.mu);
  const conditionalMean = (model.mean * normalCdf((model.mu + model.sigma * model.sigma - lnE) / model.sigma)) / survival;
  return Math.max(0, conditionalMean - elapsedMinutes);
}

// ---------------------------------------------------------------------------------------------
// Abandonment

/** One ratepayer's wait in the queue: how long, and whether it ended with them leaving. */
export interface WaitSpell {
  minutes: number;
  /** Cancelled while waiting (true), or taken by an expert / still waiting (false: censored). */
  left: boolean;
}

/**
 * Minutes of waiting assumed with nobody leaving before the observed spells count: with little
 * history the rate stays near zero, which errs towards a longer estimate.
 */
const ABANDONMENT_PRIOR_MINUTES = 120;

/**
 * The rate at which waiting ratepayers leave, per minute, from today's waits: the maximum
 * likelihood estimate for exponential patience with censoring (those served or still waiting
 * count with the time they have waited so far), leaves ÷ minutes waited (patience measured with
 * censoring as in Brown et al. 2005; the Erlang-A model's θ, Garnett, Mandelbaum & Reiman, "Designing a Call Center with Impatient
 * Customers", MSOM 2002). ABANDONMENT_PRIOR_MINUTES of waiting without a leave is added, so a
 * handful of early cancellations do not make everyone's estimate short.
 */
export function abandonmentRate(spells: readonly WaitSpell[]): number {
  const { leaves, minutes } = abandonmentEvidence(spells);
  return leaves / minutes;
}

/**
 * What abandonmentRate rests on: the leaves counted and the minutes waited (ABANDONMENT_PRIOR_MINUTES
 * included). The rate is known only as well as the leaves are many: forecastWaits draws it, run by
 * run, from its posterior given these (a gamma distribution: the conjugate prior of an exponential
 * rate, Jeffreys' ½ added to the leaves), so a forecast resting on a handful of leaves is spread
 * accordingly.
 */
function abandonmentEvidence(spells: readonly WaitSpell[]): { leaves: number; minutes: number } {
  let leaves = 0;
  let minutes = ABANDONMENT_PRIOR_MINUTES;
  for (const s of spells) {
    if (!Number.isFinite(s.minutes) || s.minutes < 0) continue;
    minutes += s.minutes;
    if (s.left) leaves++;
  }
  return { leaves, minutes };
}

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
  /** False for a roster stand-in (listed, not signed in); absent: signed in. Only for saying what the wait rests on. */
  present?: boolean;
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
  /**
   * What that rate rests on (abandonmentEvidence); when given, each simulated run draws the rate
   * from its posterior instead of taking abandonmentPerMinute as exact.
   */
  abandonmentEvidence?: { leaves: number; minutes: number };
  /** What one broken promise costs in kept ones (promisePoint); LATE_WEIGHT when absent. forecastInput sets it by overloadLateWeight. */
  lateWeight?: number;
}

/** When an expert is expected to take a case. */
export interface WaitForecast {
  /** Whole minutes from now: the wait the ratepayer is told (see forecastWaits for which point of the forecast). */
  minutes: number;
  /** 1-based place among the waiting cases of its category (and region). */
  position: number;
  /** Agents on duty who work the case's category and region. */
  agentsOnDuty: number;
  /** Of those, the ones with the tab open now (a fresh presence report; not the roster's stand-ins): none means the wait rests on the usual staffing. */
  agentsSignedIn: number;
  /** Mean handling minutes of the category, and whether from history or the default. */
  handlingMinutes: number;
  basis: 'history' | 'default';
}

/**
 * What a kept promise is (issue 21's measure): the real wait within ±WITHIN_SHARE of the wait
 * told, or within WITHIN_MINUTES of it; a broken one, a wait more than LATE_MINUTES longer than
 * told. (The issue's targets: at least 80 % kept and at most 10 % broken.)
 */
const PROMISE = { WITHIN_SHARE: 0.25, WITHIN_MINUTES: 5, LATE_MINUTES: 5 } as const;

/** Simulated futures per forecast, as case-runs shared out over the waiting cases (CPU budget). */
const SAMPLE_BUDGET = 6_000;
const MIN_RUNS = 12;
const MAX_RUNS = 300;
/** The sampler's seed: the forecast is a pure function of its input (the same desk, the same words). */
const SEED = 0x2f6b_9a1d;

/** mulberry32: 32-bit words. */
function words(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The standard normal quantile function (Acklam's rational approximation, relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/**
 * A draw from the gamma distribution with the given shape (scale 1), from 32-bit words: Marsaglia
 * & Tsang, "A Simple Method for Generating Gamma Variables" (ACM TOMS 2000), with the boost
 * U^(1/shape) for a shape below 1.
 */
function gammaDraw(shape: number, next: () => number): number {
  const uniform = () => (next() + 0.5) / 4294967296;
  if (shape < 1) return gammaDraw(shape + 1, next) * Math.pow(uniform(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normalQuantile(uniform());
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    if (Math.log(uniform()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Draws are taken from STRATA equal-probability strata (the distribution's value at the middle of
 * each), picked by STRATA_BITS bits of a generator word (a handling time and a patience from one
 * word): as exact as a sample of this size needs, and a table look-up instead of a logarithm per
 * draw (the forecast runs on every submission).
 */
const STRATA_BITS = 8;
const STRATA = 1 << STRATA_BITS;
const STRATA_MASK = STRATA - 1;
/** The standard normal at each stratum. */
const STRATA_Z = Float64Array.from({ length: STRATA }, (_, i) => normalQuantile((i + 0.5) / STRATA));
/** The unit exponential at each stratum. */
const STRATA_EXP = Float64Array.from({ length: STRATA }, (_, i) => -Math.log((i + 0.5) / STRATA));

/**
 * What one broken promise costs, in kept promises (promisePoint): the told wait maximises the
 * chance of keeping the promise minus LATE_WEIGHT × the chance of breaking it. 1 (a broken
 * promise undoes a kept one) is the setting under which a busy desk's ratepayers are told within
 * ±25 % (or 5 minutes) four times in five on sessions the choice was not made on; 2 keeps the
 * overloaded desk's "told less" to a quarter but costs the busy desk seven points of that
 * (docs/performance.md, "Wait estimates", has the figures for 0 to 3: no single value meets
 * every target of issue 21, not even with the true distributions). Hence one value for the busy
 * desk and a higher one for the overloaded desk, told apart by how many leave (overloadLateWeight).
 */
const LATE_WEIGHT = 1;

/**
 * An overloaded desk: when this share of today's ratepayers who stopped waiting left rather than
 * being taken, LATE_WEIGHT rises by OVERLOAD_EXTRA_WEIGHT (linearly from OVERLOAD_FROM, in full
 * at OVERLOAD_FULL). On an overloaded desk (more arrive than the agents can take: the queue keeps
 * growing and a third leave) the waits run longer than the session's history says, and with
 * LATE_WEIGHT alone the forecast told less than the real wait to 32 % of those served (issue 21:
 * at most a quarter). The share who leave tells that desk apart from a busy one: about an eighth
 * leave there, a fifth after an agent leaves or in an hour's flood (the benchmark's scenarios),
 * so those keep the weight their targets need and the ramp sits between a fifth and a third. The
 * share leaving is the Erlang-A model's own sign of overload (Garnett, Mandelbaum & Reiman 2002:
 * with more work offered than capacity, abandonment takes the excess). Chosen on the benchmark's
 * tuning seeds; on the held-out ones it brings the overloaded desk's "told less" to 22 % and
 * moves the others by at most a point and a half (docs/performance.md, "Wait estimates").
 */
const OVERLOAD_FROM = 0.2;
const OVERLOAD_FULL = 0.3;
const OVERLOAD_EXTRA_WEIGHT = 3;
/** Fewer stopped waits than this say too little about the desk. */
const OVERLOAD_MIN_SPELLS = 10;

/** LATE_WEIGHT for a desk where `leaves` of `leaves + taken` ratepayers who stopped waiting today left (see OVERLOAD_FROM). */
export function overloadLateWeight(leaves: number, taken: number): number {
  const stopped = leaves + taken;
  if (!(stopped >= OVERLOAD_MIN_SPELLS)) return LATE_WEIGHT;
  const share = leaves / stopped;
  return LATE_WEIGHT + OVERLOAD_EXTRA_WEIGHT * Math.min(1, Math.max(0, (share - OVERLOAD_FROM) / (OVERLOAD_FULL - OVERLOAD_FROM)));
}

/**
 * The wait to tell, from simulated waits of one case (ascending, minutes) and their weights: the
 * point t that maximises P(the promise is kept) − LATE_WEIGHT × P(it is broken) (PROMISE: kept
 * when the real wait W is within ±25 % or 5 minutes of t, broken when W > t + 5) — the Bayes act
 * for the loss the promise is judged by, rather than the mean (which a right-skewed wait
 * overshoots) or a fixed quantile. t keeps the promise for every W in
 * [min(t − 5, 0.8t), max(t + 5, 4t/3)]; the objective only changes where a sample enters that
 * window or stops being late, so those points (and 0) are the only candidates: a sweep with
 * three pointers, linear in the samples.
 */
export function promisePoint(sorted: ArrayLike<number>, weights: ArrayLike<number>, scratch?: Float64Array, lateWeight = LATE_WEIGHT): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const { WITHIN_SHARE: share, WITHIN_MINUTES: near, LATE_MINUTES: lateBy } = PROMISE;
  // Cumulative weights (scratch: a buffer of at least n + 1 to reuse across calls).
  const cumulative = scratch && scratch.length > n ? scratch : new Float64Array(n + 1);
  cumulative[0] = 0;
  for (let i = 0; i < n; i++) cumulative[i + 1] = cumulative[i]! + weights[i]!;
  const total = cumulative[n]!;
  if (!(total > 0)) return sorted[n - 1]!;
  const lower = (t: number) => Math.min(t - near, t / (1 + share));
  const upper = (t: number) => Math.max(t + near, t / (1 - share));
  // Candidates, ascending: where sample i enters the window (upper(t) = W_i), where it stops
  // being late (t = W_i − 5); each list ascends with i, so they are merged.
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  let lo = 0; // first sample ≥ lower(t)
  let hi = 0; // first sample > upper(t)
  let late = 0; // first sample ≤ t + 5 is before this: first sample > t + 5
  let i = 0;
  let j = 0;
  let t = 0;
  for (;;) {
    while (lo < n && sorted[lo]! < lower(t)) lo++;
    while (hi < n && sorted[hi]! <= upper(t)) hi++;
    while (late < n && sorted[late]! <= t + lateBy) late++;
    const score = cumulative[hi]! - cumulative[lo]! - lateWeight * (total - cumulative[late]!);
    if (score > bestScore + 1e-12) {
      bestScore = score;
      best = t;
    }
    const a = i < n ? Math.max(t, Math.min(sorted[i]! - near, sorted[i]! * (1 - share))) : Number.POSITIVE_INFINITY;
    const b = j < n ? Math.max(t, sorted[j]! - lateBy) : Number.POSITIVE_INFINITY;
    if (a === Number.POSITIVE_INFINITY && b === Number.POSITIVE_INFINITY) break;
    if (a <= b) {
      t = a;
      i++;
    } else {
      t = b;
      j++;
    }
  }
  return Math.max(0, best);
}

/**
 * Forecasts when each waiting case will be taken, by simulating the desk forward from now many
 * times over (a seeded Monte Carlo, so the same desk always gets the same forecast): each agent on
 * duty is free once the cases they are on are done — each one's rest drawn from its category's
 * log-normal handling time given how long it has run already (H | H > elapsed) — then takes the
 * oldest waiting case among the categories and regions they work (claimOrder, the claim-next
 * rule) and is busy for a handling time drawn from that category's model, unless that case's
 * ratepayer has left by then (exponential patience at rate θ, abandonmentRate), in which case
 * the agent goes straight on to the next. A case's simulated wait is the instant an agent gets to
 * it (whether or not its own ratepayer would still be there: what is told is the wait they get if
 * they stay).
 *
 * The rate of leaving is itself an estimate from a handful of leaves: given abandonmentEvidence,
 * each run draws θ from its posterior (gamma), so a forecast that rests on many leaving is spread
 * as widely as what is known about leaving.
 *
 * From its simulated waits each case is told promisePoint: the point that best keeps the promise
 * (within ±25 % or 5 minutes of the real wait) net of LATE_WEIGHT (the input's lateWeight: more on an overloaded desk) × the chance of breaking it
 * (more than 5 minutes late) — not the mean, which a right-skewed wait overshoots. The waits are
 * weighted by e^(−θW), the chance that a ratepayer facing that wait stays to be served: the
 * promise is judged by those who are served, and they are the ones whose wait turned out short
 * enough for them to stay (the wait tilted by the patience survival function).
 *
 * Why simulate rather than add up means: the first in line waits for the first of several agents
 * to finish (the minimum of their remaining times, shorter and less spread than any one of them,
 * which a sum of means cannot see), a single agent's case in progress leaves a wait as spread as
 * a whole handling time, and whether those ahead leave is a chance, not a fraction of a case; the
 * spread is what decides which told wait keeps the promise most often (measured: `npm run bench
 * -- --only eta`, docs/performance.md "Wait estimates"). It is a queue-state predictor, computed
 * by simulation rather than by formula: Ibrahim & Whitt ("Real-Time Delay Estimation Based on
 * Delay History", MSOM 2009: predictors from the queue's state beat those from recent delays;
 * "Wait-Time Predictors for Customer Service Systems with Time-Varying Demand and Capacity",
 * Operations Research 2011); for agents who share queues see Thiongane, Chan & L'Ecuyer ("Delay
 * Predictors in Multi-Skill Call Centers: An Empirical Comparison with Real Data", 2016).
 *
 * Assumptions: the agents on duty stay and keep taking work while there is any in their skills
 * (an agent who leaves cannot be foreseen; the honest update, waitSlip, tells the ratepayer when
 * the forecast has moved, the next time a queue gets shorter); cases that join later never get ahead (they are younger); handling times
 * are independent and log-normal per category (handlingModel); patience is exponential (the
 * Erlang-A assumption); a released or transferred case keeps its queue key, so it is simply a
 * waiting case here. A case no agent on duty can take is forecast as if one such agent were
 * about to start on its queue (the first to sign in): its place × the mean handling time.
 *
 * Cost: runs × waiting cases steps, each O(log agents) (a heap of agents by the instant they are
 * free) plus the oldest case among the agent's queues, then a sort and a linear sweep of each
 * case's runs; runs = SAMPLE_BUDGET ÷ waiting cases within MIN_RUNS–MAX_RUNS (300 runs for a
 * queue of 20, 12 for 500 — whose far end is told "more than 3 hours" whatever the draw): about
 * 1.3 ms for 500 cases and 50 agents.
 */
export function forecastWaits(input: ForecastInput): Map<string, WaitForecast> {
  return simulateDesk(input).forecasts;
}

/**
 * A forecast that can take newcomers: what forecastWaits gives for every waiting case, and
 * `arrival`, the forecast of a case that joins behind all of them, without simulating the desk
 * again (the service keeps one of these per programme for a second or two and forecasts each
 * submission with it).
 */
export interface LiveForecast {
  /** By case id: the cases of the input, then those `join`ed since. */
  readonly forecasts: ReadonlyMap<string, WaitForecast>;
  /**
   * The forecast of a case that joins the queue behind every waiting case of the input (its queue
   * key after all of theirs), as forecastWaits would give it with the case added; undefined for
   * a case that would not be behind them all (then simulate again). Changes nothing.
   */
  arrival(c: WaitingCase): WaitForecast | undefined;
  /**
   * Adds such a case to the desk: later arrivals wait behind it (an agent is drawn a handling time
   * for it, unless its ratepayer leaves first). Returns its forecast, as `arrival` gave it; undefined
   * (nothing added) when `arrival` would be.
   */
  join(c: WaitingCase): WaitForecast | undefined;
}

/**
 * forecastWaits, keeping the runs' end state so that newcomers can be added (LiveForecast). Why a
 * newcomer needs no new simulation: claimOrder takes the oldest case first, so a case behind every
 * waiting case is reached by each agent who works its queue only once that agent's queues are
 * empty, and no case ahead of it is taken differently for its being there. In each run its wait is
 * therefore the earliest instant at which one of those agents runs out of older work, which the
 * runs record; adding it moves only that agent's instant on (by a handling time drawn as in the
 * runs, unless the ratepayer has left by then). Same model, same assumptions; the draws for
 * newcomers come from a stream of their own, so the forecast of the input's cases is exactly
 * forecastWaits'. Cost: runs × agents per newcomer.
 */
export function liveForecast(input: ForecastInput): LiveForecast {
  return simulateDesk(input);
}

function simulateDesk(input: ForecastInput): LiveForecast & { forecasts: Map<string, WaitForecast> } {
  const theta = Number.isFinite(input.abandonmentPerMinute) && input.abandonmentPerMinute > 0 ? input.abandonmentPerMinute : 0;
  const lateWeight = input.lateWeight !== undefined && Number.isFinite(input.lateWeight) && input.lateWeight >= 0 ? input.lateWeight : LATE_WEIGHT;
  const modelOf = (category: string) => input.handling.get(category) ?? input.fallbackHandling;
  const byKey = (a: WaitingCase, b: WaitingCase) => (a.queueKey < b.queueKey ? -1 : a.queueKey > b.queueKey ? 1 : 0);

  // The waiting cases grouped by category and region, each group oldest first; every case gets
  // an index into the sample table and its rank in the whole queue (oldest 0).
  type Group = { category: string; region: string | undefined; model: HandlingModel; cases: WaitingCase[]; first: number; next: number; handling: Float64Array };
  // One sort of the whole queue: groups fill in that order (so each is oldest first), and each
  // case's rank in it decides which of an agent's queues comes first.
  const queue = [...input.waiting].sort(byKey);
  const groups = new Map<string, Group>();
  const ranks = new Map<Group, number[]>();
  const positions = new Map<string, number>();
  const perCategory = new Map<string, number>();
  queue.forEach((c, r) => {
    const key = `${c.category}\u0000${c.region ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      groups.set(key, (g = { category: c.category, region: c.region, model: modelOf(c.category), cases: [], first: 0, next: 0, handling: STRATA_Z }));
      ranks.set(g, []);
    }
    g.cases.push(c);
    ranks.get(g)!.push(r);
    // Places count within the category, whatever the region (as the ratepayer is told them).
    const place = (perCategory.get(c.category) ?? 0) + 1;
    perCategory.set(c.category, place);
    positions.set(c.id, place);
  });
  const allGroups = [...groups.values()];
  const count = queue.length;
  const rank = new Int32Array(count);
  let offset = 0;
  for (const g of allGroups) {
    g.first = offset;
    rank.set(ranks.get(g)!, offset);
    offset += g.cases.length;
    // The category's handling time at each of the STRATA equal-probability strata.
    g.handling = STRATA_Z.map((z) => Math.exp(g.model.mu + g.model.sigma * z));
  }
  // Minutes until each waiting ratepayer would leave (memoryless: from now), per stratum, at
  // this run's rate: θ itself, or a draw from its posterior (abandonmentEvidence).
  const evidence = input.abandonmentEvidence;
  const uncertain = !!evidence && Number.isFinite(evidence.leaves) && evidence.minutes > 0 && (evidence.leaves > 0 || theta > 0);
  const leaving = theta > 0 || uncertain ? new Float64Array(STRATA) : undefined;

  // The agents who can take any of these cases, with what they are on now: for each case in
  // progress, its model and where its elapsed time sits in the distribution (Φ of the log).
  const now = input.now.getTime();
  const agents = input.agents
    .map((a, index) => ({
      index,
      groups: allGroups.filter((g) => worksCategory(a.staff, g.category, g.region)),
      working: a.working.map((w) => {
        const model = modelOf(w.category);
        const elapsed = Math.max(0, (now - w.since.getTime()) / MINUTE);
        const done = elapsed > 0 ? normalCdf((Math.log(elapsed) - model.mu) / model.sigma) : 0;
        return { model, elapsed, done };
      }),
    }))
    .filter((a) => a.groups.length > 0);
  // Every agent on duty, idle ones too, for newcomers (LiveForecast): their rest on the cases in
  // progress, drawn from a stream of their own so the runs above draw exactly as before.
  const idle = input.agents
    .map((a, index) => ({ index, working: a.working.map((w) => ({ model: modelOf(w.category), elapsed: Math.max(0, (now - w.since.getTime()) / MINUTE) })) }))
    .filter((a) => !agents.some((b) => b.index === a.index));

  const runs = Math.min(MAX_RUNS, Math.max(MIN_RUNS, Math.floor(SAMPLE_BUDGET / Math.max(1, count))));
  const waits = new Float64Array(count * runs);
  // Per run and agent (of input.agents): the instant they run out of work; per run, θ.
  const everyone = input.agents.length;
  const endOf = new Float64Array(runs * everyone);
  const rateOf = new Float64Array(runs);
  const newcomerWords = words(SEED ^ 0x5bd1_e995);
  const newcomerUniform = () => (newcomerWords() + 0.5) / 4294967296;
  const reachable = new Uint8Array(count);
  const next = words(SEED);
  const freeAt = new Float64Array(agents.length);
  const heap = new Int32Array(agents.length);
  let size = 0;
  const before = (x: number, y: number) => freeAt[x]! < freeAt[y]! || (freeAt[x] === freeAt[y] && x < y);
  const siftDown = (from: number) => {
    let i = from;
    const item = heap[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const m = l + 1 < size && before(heap[l + 1]!, heap[l]!) ? l + 1 : l;
      if (!before(heap[m]!, item)) break;
      heap[i] = heap[m]!;
      i = m;
    }
    heap[i] = item;
  };

  for (let run = 0; run < runs; run++) {
    if (leaving) {
      const rate = uncertain ? gammaDraw(evidence!.leaves + 0.5, next) / evidence!.minutes : theta;
      rateOf[run] = rate;
      for (let i = 0; i < STRATA; i++) leaving[i] = STRATA_EXP[i]! / rate;
    }
    for (const a of idle) endOf[run * everyone + a.index] = restOf(a.working, newcomerUniform);
    // When each agent is free: the rest of each case in progress, drawn given its elapsed time
    // (the inverse distribution function of the log-normal above the elapsed time).
    for (let i = 0; i < agents.length; i++) {
      let t = 0;
      for (const w of agents[i]!.working) {
        if (w.done > 1 - 1e-9) {
          t += remainingMinutes(w.model, w.elapsed);
          continue;
        }
        const z = normalQuantile(w.done + (1 - w.done) * ((next() + 0.5) / 4294967296));
        t += Math.max(0, Math.exp(w.model.mu + w.model.sigma * z) - w.elapsed);
      }
      freeAt[i] = t;
    }
    for (const g of allGroups) g.next = 0;
    size = agents.length;
    for (let i = 0; i < size; i++) heap[i] = i;
    for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i);

    while (size > 0) {
      const a = heap[0]!;
      // The oldest case in that agent's queues.
      let from: Group | undefined;
      let oldest = count;
      for (const g of agents[a]!.groups) {
        if (g.next < g.cases.length && rank[g.first + g.next]! < oldest) {
          from = g;
          oldest = rank[g.first + g.next]!;
        }
      }
      if (!from) {
        // Nothing left that this agent can take.
        endOf[run * everyone + agents[a]!.index] = freeAt[a]!;
        heap[0] = heap[--size]!;
        siftDown(0);
        continue;
      }
      const k = from.first + from.next++;
      const t = freeAt[a]!;
      waits[k * runs + run] = t;
      reachable[k] = 1;
      const draw = next();
      // A ratepayer who has left takes no expert time: the agent goes on to the next at once.
      if (leaving && leaving[draw & STRATA_MASK]! < t) continue;
      freeAt[a] = t + from.handling[(draw >>> STRATA_BITS) & STRATA_MASK]!;
      siftDown(0);
    }
  }

  const out = new Map<string, WaitForecast>();
  const weights = new Float64Array(runs);
  const scratch = new Float64Array(runs + 1);
  const staffing = (category: string, region: string | undefined) => {
    const working = input.agents.filter((a) => worksCategory(a.staff, category, region));
    return { working, agentsOnDuty: working.length, agentsSignedIn: working.filter((a) => a.present !== false).length };
  };
  for (const g of allGroups) {
    const { agentsOnDuty, agentsSignedIn } = staffing(g.category, g.region);
    g.cases.forEach((c, index) => {
      const k = g.first + index;
      let minutes: number;
      if (!reachable[k]) {
        // Nobody on duty can take it: as if one agent were about to start on this queue.
        minutes = (index + 1) * g.model.mean;
      } else {
        const sample = waits.subarray(k * runs, (k + 1) * runs).sort();
        for (let r = 0; r < runs; r++) weights[r] = Math.exp(-theta * sample[r]!);
        minutes = promisePoint(sample, weights, scratch, lateWeight);
      }
      out.set(c.id, { minutes: Math.max(0, Math.round(minutes)), position: positions.get(c.id)!, agentsOnDuty, agentsSignedIn, handlingMinutes: Math.round(g.model.mean * 10) / 10, basis: g.model.basis });
    });
  }

  // Newcomers (LiveForecast): behind the input's last case; their own places counted on from it.
  const lastKey = queue.length ? queue[queue.length - 1]!.queueKey : '';
  // Counted once, then kept up to date as newcomers join: every arrival needs these counts, and
  // passing over the whole queue for each made a submission cost grow with the queue (a thousand
  // waiting cost a pass over a thousand rows per submission and per place told).
  const sameQueueKey = (category: string, region: string | undefined) => `${category}\u0000${region ?? '\u0001'}`;
  const queuedInSameQueue = new Map<string, number>();
  for (const q of queue) queuedInSameQueue.set(sameQueueKey(q.category, q.region), (queuedInSameQueue.get(sameQueueKey(q.category, q.region)) ?? 0) + 1);
  const joinedByCategory = new Map<string, JoinedKeys>();
  const joinedBySameQueue = new Map<string, JoinedKeys>();
  const sample = new Float64Array(runs);
  const who = new Int32Array(runs);
  const arrive = (c: WaitingCase, join: boolean): WaitForecast | undefined => {
    if (queue.length && !(c.queueKey > lastKey)) return undefined;
    const model = modelOf(c.category);
    const { working, agentsOnDuty, agentsSignedIn } = staffing(c.category, c.region);
    const same = sameQueueKey(c.category, c.region);
    const position = 1 + (perCategory.get(c.category) ?? 0) + joinedBefore(joinedByCategory.get(c.category), c.queueKey);
    let minutes: number;
    if (working.length === 0) {
      const sameQueue = 1 + (queuedInSameQueue.get(same) ?? 0) + joinedBefore(joinedBySameQueue.get(same), c.queueKey);
      minutes = sameQueue * model.mean;
    } else {
      const eligible = working.map((a) => input.agents.indexOf(a));
      for (let run = 0; run < runs; run++) {
        let first = eligible[0]!;
        for (const i of eligible) if (endOf[run * everyone + i]! < endOf[run * everyone + first]!) first = i;
        who[run] = first;
        sample[run] = endOf[run * everyone + first]!;
      }
      if (join) {
        for (let run = 0; run < runs; run++) {
          const t = sample[run]!;
          const rate = leaving ? rateOf[run]! : 0;
          const draw = newcomerWords();
          if (rate > 0 && STRATA_EXP[draw & STRATA_MASK]! / rate < t) continue;
          endOf[run * everyone + who[run]!] = t + Math.exp(model.mu + model.sigma * STRATA_Z[(draw >>> STRATA_BITS) & STRATA_MASK]!);
        }
      }
      const sorted = Float64Array.from(sample).sort();
      for (let r = 0; r < runs; r++) weights[r] = Math.exp(-theta * sorted[r]!);
      minutes = promisePoint(sorted, weights, scratch, lateWeight);
    }
    const forecast: WaitForecast = { minutes: Math.max(0, Math.round(minutes)), position, agentsOnDuty, agentsSignedIn, handlingMinutes: Math.round(model.mean * 10) / 10, basis: model.basis };
    if (join) {
      addJoined(joinedByCategory, c.category, c.queueKey);
      addJoined(joinedBySameQueue, same, c.queueKey);
      out.set(c.id, forecast);
    }
    return forecast;
  };
  return { forecasts: out, arrival: (c) => arrive(c, false), join: (c) => arrive(c, true) };
}

/** The queue keys of the newcomers joined to one queue, and the greatest of them. */
interface JoinedKeys {
  keys: string[];
  greatest: string;
}

function addJoined(byQueue: Map<string, JoinedKeys>, queue: string, queueKey: string): void {
  const joined = byQueue.get(queue);
  if (!joined) byQueue.set(queue, { keys: [queueKey], greatest: queueKey });
  else {
    joined.keys.push(queueKey);
    if (queueKey > joined.greatest) joined.greatest = queueKey;
  }
}

/** How many joined newcomers are ahead of a queue key: all of them when it is behind the greatest (a newcomer's usual place), else counted. */
function joinedBefore(joined: JoinedKeys | undefined, queueKey: string): number {
  if (!joined) return 0;
  if (queueKey > joined.greatest) return joined.keys.length;
  let ahead = 0;
  for (const key of joined.keys) if (key < queueKey) ahead++;
  return ahead;
}

/** Minutes until an agent is done with the cases they are on: each rest drawn given its elapsed time (H | H > elapsed). */
function restOf(working: readonly { model: HandlingModel; elapsed: number }[], uniform: () => number): number {
  let t = 0;
  for (const w of working) {
    const done = w.elapsed > 0 ? normalCdf((Math.log(w.elapsed) - w.model.mu) / w.model.sigma) : 0;
    if (done > 1 - 1e-9) {
      t += remainingMinutes(w.model, w.elapsed);
      continue;
    }
    const z = normalQuantile(done + (1 - done) * uniform());
    t += Math.max(0, Math.exp(w.model.mu + w.model.sigma * z) - w.elapsed);
  }
  return t;
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
  // Waits that ended with an expert taking the case (today's, the open ones included).
  let taken = 0;
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
    else if (c.assignedTo) {
      spells.push({ minutes: (Date.parse(c.assignedTo.since) - queued) / MINUTE, left: false });
      taken++;
    }
  }
  for (const c of snapshot.open) {
    const queued = queuedAtMs({ queueKey: c.queueKey, createdAt: snapshot.now.toISOString() });
    if (c.state === 'waiting') spells.push({ minutes: (now - queued) / MINUTE, left: false });
    else if (c.assignedTo) {
      spells.push({ minutes: (Date.parse(c.assignedTo.since) - queued) / MINUTE, left: false });
      taken++;
    }
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
      present,
      staff,
      working: working.get(staff.id) ?? (present || !staff.skills[0] ? [] : [{ category: staff.skills[0], since: snapshot.now }]),
    })),
    handling,
    fallbackHandling: handlingModel([], 15),
    abandonmentPerMinute: abandonmentRate(spells),
    abandonmentEvidence: abandonmentEvidence(spells),
    lateWeight: overloadLateWeight(spells.filter((s) => s.left).length, taken),
  };
}

/** Forecasts every waiting case of the snapshot (forecastInput, then forecastWaits). */
export function forecastDesk(snapshot: DeskSnapshot): Map<string, WaitForecast> {
  return forecastWaits(forecastInput(snapshot));
}
