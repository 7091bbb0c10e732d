/**
 * "Assign" on a wait alert (Action.Execute, verb alert.assign): a supervisor gives the case to
 * an agent with its skill. Answered in the invoke response with the refreshed card; on success
 * the message is also updated for everyone in the channel. Anyone else's click is answered with
 * a short refusal (a message for them only), never the card.
 */
import type { BotApplication, BotDependencies } from '../application.js';
import { staffOf } from '../staffOf.js';
import { SupervisionError } from '../../flow/errors.js';

interface AssignData {
  alertId?: string;
  reference?: string;
  agentId?: string;
}

/** Registers the alert's "Assign" action. */
export function registerAssign(app: BotApplication, deps: BotDependencies): void {
  const supervision = deps.supervision;
  if (!supervision) return;
  app.adaptiveCards.actionExecute<AssignData>('alert.assign', async (context, _state, data) => {
    const who = await staffOf(context, supervision.definition);
    const clicker = who.kind === 'staff' ? who.staff : undefined;
    try {
      const card = await supervision.assignFromAlert(clicker, String(data.alertId ?? ''), data.agentId ? String(data.agentId) : undefined);
      return card as never;
    } catch (error) {
      if (error instanceof SupervisionError) return error.message;
      throw error;
    }
  });
}
