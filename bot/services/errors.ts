/**
 * The services' refusals, as coded errors: the edges (the tab API, the supervisor API, the bot)
 * answer each in their own terms. A service throws them; nothing here knows who called.
 */

/** Why the desk refused: maps onto HTTP 400, 403, 404 and 409. */
export class DeskError extends Error {
  constructor(
    readonly kind: 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'queue_empty',
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DeskError';
  }
}

