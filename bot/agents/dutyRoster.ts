/**
 * Who is on duty for a category, for the wait estimate. Until agents sign in to the queue tab
 * (which will report real presence), everyone the definition lists with the skill counts.
 */
import { staffIdentity, worksCategory, type StaffIdentity } from '../domain/access.js';
import type { ServiceDefinition } from '../domain/serviceDefinition.js';

/** Tells who can take cases now. */
export interface DutyRoster {
  /** How many agents can take the category's cases (in the region, when given). */
  agentsOnDuty(category: string, region?: string): Promise<number>;
  /**
   * The agents on duty, with their skills and regions (for the wait forecast); `present` is false
   * for stand-ins counted from the definition because nobody with their skill is signed in.
   */
  onDuty(): Promise<{ staff: StaffIdentity; present: boolean }[]>;
}

/** The definition's agents as identities. */
function definitionAgents(definition: ServiceDefinition): StaffIdentity[] {
  return definition.staff.filter((s) => s.role === 'agent').map(staffIdentity);
}

/** Counts the agents the service definition gives the skill (and region, when known). */
export class DefinitionDutyRoster implements DutyRoster {
  constructor(private readonly definition: ServiceDefinition) {}

  async agentsOnDuty(category: string, region?: string): Promise<number> {
    return definitionAgents(this.definition).filter((s) => worksCategory(s, category, region)).length;
  }

  async onDuty(): Promise<{ staff: StaffIdentity; present: boolean }[]> {
    return definitionAgents(this.definition).map((staff) => ({ staff, present: false }));
  }
}
