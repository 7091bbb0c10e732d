/**
 * Every refusal the services give, in one place: a code, the HTTP status the APIs answer it with
 * (bot/platform/http/errors.ts maps them, once, for the tab API and the supervisor API) and a message in
 * the reader's terms. A service throws a ServiceError (or one of the subclasses below, which keep
 * the shapes their callers know); nothing here knows who called.
 */

import type { Refusal } from '../../domain/access.js';
import { categoryByCode, type ServiceDefinition } from '../../domain/serviceDefinition.js';

/** The codes, and the HTTP status each is answered with. */
export const ERROR_CODES = {
  /** The request or its content is not acceptable: `problems` names the fields. */
  invalid_input: 400,
  /** The person may not do this (their role, categories or region). */
  forbidden: 403,
  /** The supervisor view asked by someone who is not a supervisor. */
  supervisors_only: 403,
  not_found: 404,
  /** Nothing waits in the person's categories. */
  queue_empty: 404,
  /** The case is not in a state that allows it (someone else has it, it is closed…). */
  conflict: 409,
  /**
   * The case's ratepayer is talking with another expert about another case of the same chat
   * (one expert per chat: bot/domain/case.ts otherExpertInChat): it waits until that one is done.
   * `busyWith` names that case, its expert and its category.
   */
  ratepayer_with_other_expert: 409,
  /** The case store is throttled or unavailable after the SDK's retries: try again shortly. */
  busy: 503,
} as const;

/** One of the codes. */
type ErrorCode = keyof typeof ERROR_CODES;

/** A field at fault and what is wrong with it, in the reader's terms. */
export interface Problem {
  field: string;
  message: string;
}

/**
 * A refusal with its code. `detail` goes into the answer beside the code and message (who has
 * the case, the state it is in: never personal details); `problems` names the fields at fault
 * (for `invalid_input`).
 */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail: Record<string, unknown> = {},
    readonly problems?: readonly Problem[],
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  /** The HTTP status the APIs answer it with. */
  get status(): number {
    return ERROR_CODES[this.code];
  }
}

/** Why the desk refused: `kind` as the desk names it; `detail.field` names the input at fault for 'invalid'. */
export class DeskError extends ServiceError {
  /**
   * A refusal from the domain's access rules as a 403, the case's category named as staff know it
   * ("Indigent-related queries and registration (ESP)", not "indigent").
   */
  static refused(refusal: NonNullable<Refusal>, definition: ServiceDefinition): DeskError {
    const name = categoryByCode(definition, refusal.category)?.name ?? refusal.category;
    return new DeskError('forbidden', refusal.reason === 'outside_skills' ? `This case is in ${name}, which is not one of your categories.` : refusal.message, {
      reason: refusal.reason,
    });
  }

  constructor(
    readonly kind: 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'queue_empty' | 'ratepayer_with_other_expert',
    message: string,
    detail: Record<string, unknown> = {},
  ) {
    super(
      kind === 'invalid' ? 'invalid_input' : kind,
      message,
      detail,
      kind === 'invalid' ? [{ field: String(detail.field ?? 'body'), message }] : undefined,
    );
    this.name = 'DeskError';
  }
}

/** Why a supervisors' action was refused; `field` names the input at fault for 'invalid' (default: the agent chosen). */
export class SupervisionError extends ServiceError {
  constructor(
    readonly kind: 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'ratepayer_with_other_expert',
    message: string,
    readonly field?: string,
    detail: Record<string, unknown> = {},
  ) {
    super(kind === 'invalid' ? 'invalid_input' : kind, message, detail, kind === 'invalid' ? [{ field: field ?? 'agentId', message }] : undefined);
    this.name = 'SupervisionError';
  }
}

/**
 * The refusal of a claim or an assignment while the ratepayer talks with another expert about
 * another case of the same chat (bot/domain/case.ts ChatWithOtherExpertError), in staff's terms:
 * the expert's name and the category's name. `detail.busyWith`: that case's reference, expert
 * and category code (no personal details).
 */
export function withOtherExpert(busy: { id: string; category: string; assignedTo: { name: string } }, definition: ServiceDefinition): { message: string; detail: Record<string, unknown> } {
  const category = categoryByCode(definition, busy.category)?.name ?? busy.category;
  return {
    message: `This ratepayer is already talking with ${busy.assignedTo.name} about ${category}; this case waits until that one is done.`,
    detail: { busyWith: { reference: busy.id, expert: busy.assignedTo.name, category: busy.category } },
  };
}
