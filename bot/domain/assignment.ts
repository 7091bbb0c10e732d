/**
 * A supervisor gives a case to an agent: a waiting case (an alert's "Assign", or the supervisor
 * view) or one another agent is working on (reassign). The agent must work the case's category
 * and region. Recorded on the case's audit trail as the supervisor's act.
 */
import { worksCategory, type StaffIdentity } from './access.js';
import { CaseRuleError, isClosed, type Actor, type Case } from './case.js';

/** Gives the case to `agent`; `by` is the supervisor. */
export function assignCase(c: Case, now: Date, by: Actor, agent: StaffIdentity): Case {
  if (agent.role !== 'agent') throw new CaseRuleError(`${agent.name} is not an agent.`, 'invalid');
  if (!worksCategory(agent, c.category, c.region))
    throw new CaseRuleError(`${agent.name} does not work ${c.category} cases.`, 'invalid');
  if (isClosed(c)) throw new CaseRuleError('This case is already closed.', 'closed');
  if (c.state === 'in_progress' && c.assignedTo?.staffId === agent.id)
    throw new CaseRuleError(`${agent.name} already has this case.`, 'invalid');
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
 * The order in which an agent takes waiting cases (claim-next): the oldest first (lowest queue
 * key: arrival time, carried-over cases ahead) across every category and region the agent works;
 * cases outside them are left out. `waiting` may be in any order; it is not changed. The wait
 * estimate (waitEstimate.ts) forecasts with this same rule.
 */
export function claimOrder<C extends Pick<Case, 'category' | 'region' | 'queueKey'>>(agent: StaffIdentity, waiting: readonly C[]): C[] {
  return waiting.filter((c) => worksCategory(agent, c.category, c.region)).sort((a, b) => (a.queueKey < b.queueKey ? -1 : a.queueKey > b.queueKey ? 1 : 0));
}
