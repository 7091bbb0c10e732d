/**
 * Who is on duty for a category, for the wait estimate. Until agents sign in to the queue tab
 * (which will report real presence), everyone the definition lists with the skill counts.
 */
import type { StaffIdentity } from '../domain/access.js';
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
  return definition.staff
    .filter((s) => s.role === 'agent')
    .map((s) => ({ id: s.id, name: s.name, email: s.email, role: 'agent' as const, skills: s.skills, regions: s.regions }));
}

/** Counts the agents the service definition gives the skill (and region, when known). */
export class DefinitionDutyRoster implements DutyRoster {
  constructor(private readonly definition: ServiceDefinition) {}

  async agentsOnDuty(category: string, region?: string): Promise<number> {
    return this.definition.staff.filter(
      (s) =>
        s.role === 'agent' &&
        s.skills.includes(category) &&
        (!region || s.regions.length === 0 || s.regions.includes(region)),
    ).length;
  }

  async onDuty(): Promise<{ staff: StaffIdentity; present: boolean }[]> {
    return definitionAgents(this.definition).map((staff) => ({ staff, present: false }));
  }
}
