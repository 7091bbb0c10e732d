/**
 * Who is typing or clicking, as the programme's staff: Teams gives the user's ids; the
 * connector's member API gives their email and user principal name, which are matched to the
 * service definition's staff (case insensitive) — or, for an entry that lists its Entra object id
 * (`oid`), the member's object id and nothing else. Undefined when the person is not staff or the
 * member API could not answer.
 */
import { TeamsInfo, type TurnContext } from 'botbuilder';
import { staffIdentity, type StaffIdentity } from '../../domain/access.js';
import type { ServiceDefinition } from '../../domain/serviceDefinition.js';

/** The result of looking someone up. */
export type StaffLookup = { kind: 'staff'; staff: StaffIdentity } | { kind: 'not_staff'; name: string } | { kind: 'unknown'; reason: string };

export async function staffOf(context: TurnContext, definition: ServiceDefinition): Promise<StaffLookup> {
  const from = context.activity.from;
  let member: { email?: string; userPrincipalName?: string; name?: string; aadObjectId?: string };
  try {
    member = await TeamsInfo.getMember(context, from.id);
  } catch (error) {
    return { kind: 'unknown', reason: (error as Error)?.message ?? String(error) };
  }
  const names = [member.email, member.userPrincipalName].filter((v): v is string => !!v).map((v) => v.toLowerCase());
  // An entry that lists its Entra object id is that person only, whatever the directory's addresses say.
  const aad = (member.aadObjectId ?? from.aadObjectId ?? '').toLowerCase();
  const found =
    definition.staff.find((s) => !!s.oid && s.oid.toLowerCase() === aad) ??
    definition.staff.find((s) => !s.oid && names.includes(s.email.toLowerCase()));
  return found ? { kind: 'staff', staff: staffIdentity(found) } : { kind: 'not_staff', name: member.name ?? from.name ?? 'You' };
}
