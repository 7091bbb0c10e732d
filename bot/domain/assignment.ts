/**
 * A supervisor gives a case to an agent: a waiting case (an alert's "Assign", or the supervisor
 * view) or one another agent is working on (reassign). The agent must work the case's category
 * and region. Recorded on the case's audit trail as the supervisor's act.
 */
import { worksCategory, type StaffIdentity } from './access.js';
import { CaseRuleError, ChatWithOtherExpertError, isClosed, otherExpertInChat, queueKeyTime, type Actor, type Case } from './case.js';

/**
 * Gives the case to `agent`; `by` is the supervisor. `sameChat`: the other cases of its chat as
 * read: ChatWithOtherExpertError while one of them is with another agent (one expert per chat,
 * otherExpertInChat in case.ts; a reassignment too, when the agent it leaves has another of the
 * chat's cases).
 */
export function assignCase(c: Case, now: Date, by: Actor, agent: StaffIdentity, sameChat: readonly Case[] = []): Case {
  if (agent.role !== 'agent') throw new CaseRuleError(`${agent.name} is not an agent.`, 'invalid');
  if (!worksCategory(agent, c.category, c.region))
    throw new CaseRuleError(`${agent.name} does not work ${c.category} cases.`, 'invalid');
  if (isClosed(c)) throw new CaseRuleError('This case is already closed.', 'closed');
  if (c.state === 'in_progress' && c.assignedTo?.staffId === agent.id)
    throw new CaseRuleError(`${agent.name} already has this case.`, 'invalid');
  const busy = otherExpertInChat(c, sameChat, agent.id);
  if (busy) throw new ChatWithOtherExpertError(busy);
  const at = now.toISOString();
  const reassigned = c.state === 'in_progress' && c.assignedTo;
  return {
    ...c,
    state: 'in_progress',
    assignedTo: { staffId: agent.id, name: agent.name, since: at },
    updatedAt: at,
    audit: [
      ...c.audit,
      { at, by, action: reassigned ? 'reassigned' : 'assigned', detail: reassigned ? `from ${c.assignedTo!.name} to ${agent.name}` : `to ${agent.name}` },
    ],
  };
}

/**
 * What claim-next weighs besides age (issue 16): who speaks which language. English is everyone's
 * (the experts' working language); `speaks` gives the others, from the definition's staff.
 */
export interface LanguagePreference {
  now: Date;
  /** The languages a member of staff speaks besides English (the definition's `staff[].languages`). */
  speaks: (staffId: string) => readonly string[];
  /** The agents free now: present in the tab and working on no case. */
  freeAgents: readonly StaffIdentity[];
  /** A category's wait limit, in minutes (the definition's `waitLimitMinutes`). */
  waitLimitMinutes: (category: string) => number;
}

/**
 * The order in which an agent takes waiting cases (claim-next): the oldest first (lowest queue
 * key: arrival time, carried-over cases ahead) across every category and region the agent works;
 * cases outside them are left out. `waiting` may be in any order; it is not changed. The wait
 * estimate (waitEstimate.ts) forecasts with the oldest-first rule (not with the language preference).
 *
 * With `preference` (issue 16: "routing prefers an expert who speaks the ratepayer's language when
 * one is free, without making anyone wait longer than the category's limit for it"):
 * - a case in a language the agent does not speak, which another free agent who works its
 *   category (and region) speaks, is left for that agent: it goes last, still within its limit;
 * - a case in a language other than English that the agent speaks comes first, but never before a
 *   case already waiting past its category's limit (those stay in age order with it);
 * - a case past its limit is never held back: anyone takes it in its turn.
 * Nothing else changes: without a case in another language the order is oldest first, as before.
 */
export function claimOrder<C extends Pick<Case, 'category' | 'region' | 'queueKey' | 'language'>>(
  agent: StaffIdentity,
  waiting: readonly C[],
  preference?: LanguagePreference,
): C[] {
  const byAge = (a: C, b: C) => (a.queueKey < b.queueKey ? -1 : a.queueKey > b.queueKey ? 1 : 0);
  const mine = waiting.filter((c) => worksCategory(agent, c.category, c.region)).sort(byAge);
  if (!preference || !mine.some((c) => c.language && c.language !== 'en')) return mine;
  const speaks = (staffId: string, language: string | undefined) => !language || language === 'en' || preference.speaks(staffId).includes(language);
  const overLimit = (c: C) => {
    const since = Date.parse(queueKeyTime(c.queueKey) ?? '');
    return Number.isFinite(since) && preference.now.getTime() - since >= preference.waitLimitMinutes(c.category) * 60_000;
  };
  const preferred = (c: C) => !!c.language && c.language !== 'en' && speaks(agent.id, c.language);
  const held = (c: C) =>
    !speaks(agent.id, c.language) &&
    !overLimit(c) &&
    preference.freeAgents.some((other) => other.id !== agent.id && other.role === 'agent' && worksCategory(other, c.category, c.region) && speaks(other.id, c.language));
  const anyPreferred = mine.some(preferred);
  const group = (c: C) => (held(c) ? 2 : preferred(c) || (anyPreferred && overLimit(c)) ? 0 : 1);
  const groups = new Map(mine.map((c) => [c, group(c)]));
  return mine.sort((a, b) => groups.get(a)! - groups.get(b)! || byAge(a, b));
}

/** The languages a member of staff speaks besides English, as the definition lists them. */
export function languagesOf(staff: readonly { id: string; languages?: readonly string[] }[], staffId: string): readonly string[] {
  return staff.find((s) => s.id === staffId)?.languages ?? [];
}
