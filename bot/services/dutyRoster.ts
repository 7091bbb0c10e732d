/**
 * Who is on duty for a category, for the wait estimate. Until agents sign in to the queue tab
 * (which will report real presence), everyone the definition lists with the skill counts.
 */
import type { ServiceDefinition } from '../domain/serviceDefinition.js';

/** Tells how many agents can take a category's cases now. */
export interface DutyRoster {
  agentsOnDuty(category: string, region?: string): Promise<number>;
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
}
