/**
 * The City's own rules on the case page (issue 20): the expert lodges a billing dispute, records
 * a repayment arrangement, records an ESP registration. Each is checked by the pure rules
 * (bot/domain/dispute.ts, arrangement.ts, indigent.ts) against the definition's `rules` block,
 * then made through the case lifecycle (bot/domain/case.ts) by the agents' desk, so it has the
 * same access checks, ETag retry, audit trail and publication as every other change; the
 * ratepayer's receipt goes with the change (bot/ratepayers/cityRulesUpdates.ts).
 */
import { lodgeDispute, recordArrangement, recordEspRegistration, CaseRuleError } from '../domain/case.js';
import { staffActor, type StaffIdentity } from '../domain/access.js';
import { calculateArrangement, limitsFor, type ArrangementError, type ArrangementInput } from '../domain/arrangement.js';
import { buildDispute, checkDispute, disputesAllowed, type DisputeInput } from '../domain/dispute.js';
import { buildRegistration, espIncomeProblem, registrationProblem } from '../domain/indigent.js';
import { localParts } from '../domain/calendar.js';
import { categoryByCode, type ServiceDefinition } from '../domain/serviceDefinition.js';
import { centsFromRands, formatCents } from '../domain/money.js';
import type { Clock } from '../platform/ports/clock.js';
import { DeskError, ServiceError } from '../platform/flow/errors.js';
import type { CasePage } from '../platform/contract/tabApi.js';
import type { AgentDesk } from './agentDesk.js';

/** An arrangement error in words for staff, naming the field at fault. */
function arrangementProblem(error: ArrangementError): { field: string; message: string } {
  switch (error.code) {
    case 'debtInvalid':
      return { field: 'debtCents', message: 'The arrears must be an amount above R0.00 (at most R100 000 000.00).' };
    case 'incomeInvalid':
      return { field: 'monthlyIncomeCents', message: 'The monthly income must be an amount of R0.00 or more.' };
    case 'termOutOfRange':
      return { field: 'months', message: `For this account type the term is ${error.minMonths} to ${error.maxMonths} months.` };
    case 'debtTooSmallForTerm':
      return { field: 'months', message: `The amount left after the down payment covers at most ${error.maxMonths} monthly instalments of ${formatCents(1)}.` };
  }
}

/** The rules actions of the case page. */
export class CityRulesDesk {
  constructor(
    private readonly definition: ServiceDefinition,
    private readonly desk: AgentDesk,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return localParts(this.clock.now(), this.definition.timeZone).date;
  }

  /**
   * Lodges a formal dispute on a case in one of `rules.dispute.categories`. 400 with one problem
   * per field for bad input; 409 when one is already lodged or the case is not being worked on.
   */
  lodgeDispute(staff: StaffIdentity, reference: string, input: DisputeInput): Promise<CasePage> {
    const problems = checkDispute(input, this.today(), this.definition.rules.dispute);
    if (problems.length)
      throw new ServiceError('invalid_input', `The dispute is not complete: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}. Nothing was saved.`, {}, problems.map((p) => ({ field: p.field, message: p.problem })));
    const rules = this.definition.rules.dispute;
    return this.desk.applyRule(staff, reference, 'case.dispute_lodged', (c, now) => {
      if (!disputesAllowed(rules, c.category)) {
        const allowed = rules.categories.map((code) => categoryByCode(this.definition, code)?.name ?? code).join(', ');
        throw new CaseRuleError(`Formal disputes are lodged on cases in ${allowed}; transfer the case there first.`, 'invalid');
      }
      const today = localParts(now, this.definition.timeZone).date;
      const dispute = buildDispute(c.id, input, rules, { now, today }, { staffId: staff.id, name: staff.name });
      return lodgeDispute(c, now, staffActor(staff), dispute, staff.role === 'supervisor');
    });
  }

  /**
   * Records the arrangement agreed: the plan is worked out again here, within the account type's
   * limits. While a dispute is open, `arrearsCents` is required and the plan may cover only the
   * undisputed arrears (400 otherwise, saying why: case.ts `recordArrangement`).
   */
  recordArrangement(staff: StaffIdentity, reference: string, input: ArrangementInput): Promise<CasePage> {
    const result = calculateArrangement(input, limitsFor(this.definition.rules, input.accountType));
    if (!result.ok) {
      const problem = arrangementProblem(result.error);
      throw new DeskError('invalid', `${problem.message} Nothing was saved.`, { field: problem.field });
    }
    return this.desk.applyRule(staff, reference, 'case.arrangement_recorded', (c, now) =>
      recordArrangement(c, now, staffActor(staff), result.plan, staff.role === 'supervisor', input.arrearsCents),
    );
  }

  /**
   * Records an ESP registration made on `registeredOn`; its lapse and reminder dates follow from
   * `rules.esp`. When the household income on the case is above the threshold in force that day,
   * only with `confirmAboveThreshold: true` (400 otherwise, with the comparison: indigent.ts
   * `espIncomeProblem`); the confirmation is kept on the registration and the audit trail.
   */
  recordEspRegistration(
    staff: StaffIdentity,
    reference: string,
    input: { registeredOn: string; applicationNumber?: string; confirmAboveThreshold?: boolean },
  ): Promise<CasePage> {
    const rules = this.definition.rules.esp;
    const problem = registrationProblem(rules, input, this.today());
    if (problem) throw new DeskError('invalid', `${problem.problem} Nothing was saved.`, { field: problem.field });
    return this.desk.applyRule(staff, reference, 'case.esp_registered', (c, now) => {
      const income = c.intake.monthlyHouseholdIncome;
      const incomeCents = typeof income === 'number' && Number.isFinite(income) ? centsFromRands(income) : undefined;
      const check = espIncomeProblem(rules, incomeCents, input.registeredOn, input.confirmAboveThreshold === true);
      if (!check.ok) throw new CaseRuleError(`${check.problem} Nothing was saved.`, 'invalid');
      const registration = buildRegistration(rules, { registeredOn: input.registeredOn, ...(input.applicationNumber ? { applicationNumber: input.applicationNumber } : {}) }, { now }, { staffId: staff.id, name: staff.name });
      return recordEspRegistration(c, now, staffActor(staff), check.aboveThreshold ? { ...registration, aboveThreshold: check.aboveThreshold } : registration, staff.role === 'supervisor');
    });
  }
}
