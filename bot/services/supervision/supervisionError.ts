/** Why a supervisor's action was refused: maps onto 400, 403, 404, 409 (bot/http/supervisorApi.ts). */
export class SupervisionError extends Error {
  constructor(
    readonly kind: 'invalid' | 'forbidden' | 'not_found' | 'conflict',
    message: string,
    /** For 'invalid': the input at fault (default: the agent chosen). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SupervisionError';
  }
}
