/**
 * While a ratepayer has an open case, what they type is for it: relayed to their expert when one
 * is connected, or kept on the case for the expert who takes it while they wait (and answered
 * with their place). Files Teams hosts (a photo of a
 * meter, a statement) are kept on the case as links, whether an expert is connected yet or not;
 * anything that cannot be passed on (a pasted picture, a GIF, a link from elsewhere) is said so
 * to the ratepayer, with how to send it instead (bot/domain/attachments.ts). Nothing is dropped
 * without a word.
 */
import type { TurnContext } from 'botbuilder';
import { sortAttachments, type SortedAttachments } from '../../domain/attachments.js';
import { firstName } from '../../domain/case.js';
import { formatReference } from '../../domain/reference.js';
import { categoryByCode } from '../../domain/serviceDefinition.js';
import { formatCount } from '../../domain/textLimits.js';
import type { StoredCase } from '../../ports/caseStore.js';
import { MessageTooLongError } from '../../services/relay.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal, typedText } from '../context.js';
import { offerIntake } from './categoryChoice.js';
import { sendWelcome } from './welcome.js';
import { isGreeting } from '../../conversation/features/welcome.js';
import { isCourtesy } from '../../conversation/features/courtesy.js';
import { localeOf, t, type Locale } from '../../messages/index.js';
import { describeNotPassedOn } from '../../messages/words.js';

/** "I could not pass on a GIF or sticker…": what the sender is told about what was not passed on. */
function notPassedOnText(locale: Locale, sorted: SortedAttachments, to: string): string | undefined {
  if (!sorted.notPassedOn.length) return undefined;
  return t(locale, 'relay.notPassedOn', { what: describeNotPassedOn(locale, sorted.notPassedOn), to, how: t(locale, 'attachments.howToSend') });
}

const names = (sorted: SortedAttachments) => sorted.files.map((f) => `"${f.name}"`).join(', ');

/** Registers the relay routes: before the greetings and the free-text category route. */
export function registerRelay(app: BotApplication, deps: BotDependencies): void {
  // One store read per turn, shared by the route's selector and its handler.
  const openCase = new WeakMap<TurnContext, Promise<StoredCase | undefined>>();
  const caseOf = (context: TurnContext) => {
    let found = openCase.get(context);
    if (!found) openCase.set(context, (found = deps.relay.openCaseOf(context.activity.conversation.id)));
    return found;
  };
  const attachmentsOf = (context: TurnContext) => sortAttachments(context.activity.attachments);

  app.message(
    // Messages only: a function selector sees every activity type (a conversationUpdate was answered "You are in the queue").
    async (context) =>
      context.activity.type === 'message' && isPersonal(context) && context.activity.value === undefined && (await caseOf(context)) !== undefined,
    async (context) => {
      const c = (await caseOf(context))!;
      const locale = localeOf(c);
      const text = typedText(context);
      const sorted = attachmentsOf(context);
      if (c.state === 'in_progress') {
        const expert = firstName(c.assignedTo?.name ?? t(locale, 'common.yourExpert'));
        if (text || sorted.files.length) {
          try {
            await deps.relay.fromRatepayer(c, { text, attachments: sorted.files });
          } catch (error) {
            if (!(error instanceof MessageTooLongError)) throw error;
            // Told on the transcript too, so the expert knows a message is coming in shorter parts.
            await deps.relay.tellRatepayer(c, {
              text: t(locale, 'relay.tooLongForExpert', { characters: formatCount(error.characters), limit: formatCount(error.limit), expert }),
            });
            return;
          }
        }
        // On the transcript, so the expert knows something was sent that did not reach them.
        const refused = notPassedOnText(locale, sorted, expert);
        if (refused) await deps.relay.tellRatepayer(c, { text: refused });
        return;
      }
      // Still waiting: what they write is for the expert who takes the case (a corrected detail,
      // more about the query), so it is kept on the case's transcript with any files beside it —
      // the expert reads it on the case page when they open or claim the case. Kept under the
      // same retention as the rest of the case (their own case, POPIA s10-11); the per-
      // conversation rate limit (bot/teams/conversationGuard.ts) bounds how much one chat can add.
      // Not kept: courtesy and greetings alone ("thank you", "hi", "👍": nothing for the expert,
      // so nothing is stored), and a message naming another kind of query (offered its own form).
      const other = text && !sorted.files.length ? deps.intake.categoryFor(text) : undefined;
      const forOtherCategory = other !== undefined && other.code !== c.category;
      const named = text ? categoryByCode(deps.intake.definition, text.trim().toLowerCase()) !== undefined : false;
      const keepText = !!text && !forOtherCategory && !named && !isCourtesy(text) && !isGreeting(text);
      let kept = '';
      if (sorted.files.length || keepText) {
        const keptText = keepText || sorted.files.length ? text : '';
        try {
          await deps.relay.fromRatepayer(c, { text: keptText, attachments: sorted.files });
          if (keepText && !sorted.files.length) kept = t(locale, 'relay.textKept', { reference: formatReference(c.id) });
        } catch (error) {
          if (!(error instanceof MessageTooLongError)) throw error;
          // The files still go on; the text, too long to keep, stays with the ratepayer (and is said so).
          if (sorted.files.length) await deps.relay.fromRatepayer(c, { text: '', attachments: sorted.files });
          kept = t(locale, 'relay.tooLongToKeep', { characters: formatCount(error.characters), limit: formatCount(error.limit) });
        }
        if (sorted.files.length)
          kept += t(locale, 'relay.filesKept', { count: sorted.files.length, names: names(sorted), reference: formatReference(c.id) });
      }
      const refused = notPassedOnText(locale, sorted, t(locale, 'common.theExpert'));
      if (other && forOtherCategory && !refused) {
        await offerIntake(context, deps, other);
        return;
      }
      const [status] = (await deps.intake.status(c.ratepayer.conversationId)).filter((q) => q.case.id === c.id);
      const place = status ? t(locale, 'relay.place', { position: status.place.position, wait: status.place.waitText }) : '';
      await context.sendActivity(
        t(locale, 'relay.inQueue', { kept, refused: refused ? `${refused} ` : '', reference: formatReference(c.id), place }),
      );
    },
  );

  // No open case: a file has nowhere to go yet. Say so, then answer the rest as the category route would.
  app.message(
    async (context) => {
      if (!isPersonal(context) || context.activity.value !== undefined) return false;
      const sorted = attachmentsOf(context);
      return (sorted.files.length > 0 || sorted.notPassedOn.length > 0) && (await caseOf(context)) === undefined;
    },
    async (context) => {
      const locale = localeOf(context);
      await context.sendActivity(t(locale, 'relay.noCaseForFiles', { how: t(locale, 'attachments.howToSend') }));
      const text = typedText(context);
      const category = text ? deps.intake.categoryFor(text) : undefined;
      if (category) await offerIntake(context, deps, category);
      else await sendWelcome(context, deps);
    },
  );
}
