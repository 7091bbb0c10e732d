/**
 * Who may do what in the agents' tab. A signed-in member of staff has a role (from the token:
 * Entra app roles in production, the definition in local mode) and skills and regions (from the
 * service definition). Agents work the categories they are skilled in; supervisors work all.
 */
import type { Actor, Case } from './case.js';
import type { StaffMember } from './serviceDefinition.js';

/** A role in the tab. */
export type StaffRole = 'agent' | 'supervisor';

/** A signed-in member of staff, as the API knows them after checking their token. */
export interface StaffIdentity {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  /** Category codes the person works; a supervisor's list is ignored (they work all). */
  skills: readonly string[];
  /** Region codes; empty means every region. */
  regions: readonly string[];
}

/** A member of staff listed in the service definition, as a signed-in identity (role and skills as listed). */
export function staffIdentity(s: StaffMember): StaffIdentity {
  return { id: s.id, name: s.name, email: s.email, role: s.role, skills: s.skills, regions: s.regions };
}

/** The audit actor for a member of staff. */
export function staffActor(staff: Pick<StaffIdentity, 'id' | 'name'>): Actor {
  return { kind: 'staff', id: staff.id, name: staff.name };
}

/** Whether the person works in this region: a member of staff without regions works every region. */
export function worksRegion(staff: Pick<StaffIdentity, 'regions'>, region: string): boolean {
  return staff.regions.length === 0 || staff.regions.includes(region);
}

/** Whether the person works this category (and region, when the case has one). */
export function worksCategory(staff: StaffIdentity, category: string, region?: string): boolean {
  if (staff.role === 'supervisor') return true;
  if (!staff.skills.includes(category)) return false;
  return !region || worksRegion(staff, region);
}

/** The categories whose queue the person sees: their skills, or all for a supervisor. */
export function queueCategories(staff: StaffIdentity, allCategories: readonly string[]): string[] {
  return staff.role === 'supervisor' ? [...allCategories] : allCategories.filter((c) => staff.skills.includes(c));
}

/**
 * Why an action is refused; undefined when it is allowed. `category` is the case's category code:
 * the service names it in staff's words (DeskError.refused), the domain knows no names.
 */
export type Refusal = { reason: 'outside_skills' | 'someone_elses_case'; message: string; category: string } | undefined;

/** May the person open the case page? Their categories, or a case they are working on. */
export function mayView(staff: StaffIdentity, c: Pick<Case, 'category' | 'region' | 'assignedTo'>): Refusal {
  if (worksCategory(staff, c.category, c.region) || c.assignedTo?.staffId === staff.id) return undefined;
  return { reason: 'outside_skills', message: `This case is in ${c.category}, which is not one of your categories.`, category: c.category };
}

/** May the person claim the case? Only in a category they work. */
export function mayClaim(staff: StaffIdentity, c: Pick<Case, 'category' | 'region'>): Refusal {
  if (worksCategory(staff, c.category, c.region)) return undefined;
  return { reason: 'outside_skills', message: `This case is in ${c.category}, which is not one of your categories.`, category: c.category };
}

/**
 * May the person change the case (note, release, transfer, resolve)? A case an expert is working
 * on belongs to that expert (and supervisors); a waiting case to everyone who works its category.
 */
export function mayChange(staff: StaffIdentity, c: Pick<Case, 'category' | 'region' | 'assignedTo' | 'state'>): Refusal {
  if (staff.role === 'supervisor') return undefined;
  // Outside the person's categories the answer is that, as mayView's (tester 10, finding 14):
  // who holds a case is not told to someone who may not open it.
  const outside = mayView(staff, c);
  if (outside) return outside;
  if (c.state === 'in_progress' && c.assignedTo) {
    if (c.assignedTo.staffId === staff.id) return undefined;
    return { reason: 'someone_elses_case', message: `${c.assignedTo.name} has this case.`, category: c.category };
  }
  return mayClaim(staff, c);
}
