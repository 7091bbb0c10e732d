/** The intake form for a category, sent in Teams (the relay route offers it for a new category). */
import type { TurnContext } from 'botbuilder';
import { offerIntake as intakeFor } from '../../conversation/features/categoryChoice.js';
import type { Category } from '../../domain/serviceDefinition.js';
import type { BotDependencies } from '../application.js';
import { sendReplies, turnOf } from '../context.js';

/** Sends the intake card for a category, or says there is nothing to queue for. */
export async function offerIntake(context: TurnContext, deps: BotDependencies, category: Category): Promise<void> {
  await sendReplies(context, await intakeFor(turnOf(context), deps, category));
}
