/**
 * The unsent intake form of a Teams chat, remembered by the service (bot/platform/ports/openForms.ts).
 *
 * The public web page says with each message which intake form it shows and has not sent
 * (`channelData.openForm`, web/src/openForm.ts), so a language chosen then brings that form again
 * in the new language (bot/ratepayers/features/language.ts `formAgain`). The Teams client sends no
 * such thing, and the bot cannot read a card back, so for Teams the service keeps it itself:
 *
 * - at the start of a turn without `channelData.openForm`, the remembered form becomes
 *   `Turn.openForm` (the turn's read of the conversation: no request of its own);
 * - at its end, the last intake form the turn sent is remembered (a form offered later replaces
 *   an earlier one); else a submit of the remembered form (`intake.submit` with its draftId)
 *   forgets it. Written with the record of the turn's activity (markProcessed): no request of its
 *   own either, and none at all when nothing changed.
 *
 * The core sees only `Turn.openForm`, as from the page; the form again has the same draftId, so
 * the old card and the new one queue one case (IntakeService.submit).
 */
import type { TurnContext } from 'botbuilder';
import type { OpenForms, RememberedForm } from '../ports/openForms.js';
import type { Reply } from '../../ratepayers/replies.js';
import type { Turn } from '../../ratepayers/turn.js';

/** The channels whose client does not say which form it shows: Teams (the Bot Framework's channel id "msteams"). */
function remembersOpenForm(channelId: string | undefined): boolean {
  return channelId === 'msteams';
}

// Per activity: the remembered form the turn began with, and the intake form it last sent.
const recalled = new WeakMap<TurnContext, RememberedForm | undefined>();
const offered = new WeakMap<TurnContext, RememberedForm>();

/**
 * Before the features run: the remembered form as `turn.openForm`, unless the client named one
 * (`channelData.openForm` wins: it is what the person sees). A personal Teams message only.
 */
export async function recallOpenForm(context: TurnContext, turn: Turn, forms: OpenForms): Promise<void> {
  if (context.activity.type !== 'message' || !turn.channel.personal || !remembersOpenForm(context.activity.channelId)) return;
  const form = await forms.openFormOf(turn.conversationId);
  recalled.set(context, form);
  if (form && !turn.openForm) turn.openForm = form;
}

/** Notes an intake form a reply of this turn sends (called as each reply is sent: the last one sent counts). */
export function noteSentForm(context: TurnContext, reply: Reply): void {
  if (reply.kind !== 'form' || reply.view !== 'intake') return;
  const { categoryCode, draftId, follows } = reply.content;
  offered.set(context, { category: categoryCode, draftId, ...(follows ? { follows } : {}) });
}

/**
 * After the features: remembers the intake form the turn sent, or forgets the remembered one
 * when the turn submitted it (whatever became of the submit: queued, a duplicate, a closed case;
 * a submit with errors sends the same draft's form back, which is then remembered again).
 */
export async function keepOpenForm(context: TurnContext, turn: Turn, forms: OpenForms): Promise<void> {
  if (!recalled.has(context)) return;
  const sent = offered.get(context);
  if (sent) return forms.rememberOpenForm(turn.conversationId, sent);
  const before = recalled.get(context);
  const submitted = turn.action?.verb === 'intake.submit' ? turn.action.values.draftId : undefined;
  if (before && submitted === before.draftId) await forms.rememberOpenForm(turn.conversationId, null);
}
