/**
 * While a ratepayer has an open case, what they type is for it: relayed to their expert when one
 * is connected, or kept on the case for the expert who takes it while they wait (and answered
 * with their place). Files Teams hosts (a photo of a
 * meter, a statement) are kept on the case as links, whether an expert is connected yet or not;
 * anything that cannot be passed on (a pasted picture, a GIF, a link from elsewhere) is said so
 * to the ratepayer, with how to send it instead (bot/domain/attachments.ts). Nothing is dropped
 * without a word.
 */
import { sortAttachments, type SortedAttachments } from '../../domain/attachments.js';
import { firstName } from '../../domain/case.js';
import { formatReference } from '../../domain/reference.js';
import { categoryByCode } from '../../domain/serviceDefinition.js';
import { formatCount } from '../../domain/textLimits.js';
import { localeOf, t, type Locale } from '../../messages/index.js';
import { describeNotPassedOn } from '../../messages/words.js';
import { describeWait } from '../../messages/time.js';
import type { StoredCase } from '../../platform/ports/caseStore.js';
import { MessageTooLongError, told, type RelayService } from '../relay.js';
import { text as sentence, type Reply } from '../replies.js';
import type { Turn } from '../turn.js';
import { offerIntake } from './categoryChoice.js';
import { isCourtesy } from './courtesy.js';
import type { ConversationDeps } from './deps.js';
import { isGreeting, welcome } from './welcome.js';

/** What the relay needs: the intake (places, categories) and the relay service. */
export type RelayDeps = ConversationDeps & { relay: RelayService };

/** "I could not pass on a GIF or sticker…": what the sender is told about what was not passed on. */
function notPassedOnText(locale: Locale, sorted: SortedAttachments, to: string): string | undefined {
  if (!sorted.notPassedOn.length) return undefined;
  return t(locale, 'relay.notPassedOn', { what: describeNotPassedOn(locale, sorted.notPassedOn), to, how: t(locale, 'attachments.howToSend') });
}

const names = (sorted: SortedAttachments) => sorted.files.map((f) => `"${f.name}"`).join(', ');

// One store read per turn, shared by the route's test and its handler (the adapter gives one Turn per activity).
const openCases = new WeakMap<Turn, Promise<StoredCase | undefined>>();
function openCaseOf(turn: Turn, deps: RelayDeps): Promise<StoredCase | undefined> {
  let found = openCases.get(turn);
  if (!found) openCases.set(turn, (found = deps.relay.openCaseOf(turn.conversationId)));
  return found;
}

/** Whether the turn is a message (no card press) in a one-to-one chat whose conversation has an open case. */
export async function writesAboutOpenCase(turn: Turn, deps: RelayDeps): Promise<boolean> {
  return turn.channel.personal && turn.action === undefined && (await openCaseOf(turn, deps)) !== undefined;
}

/** A message about the open case: to the expert, or kept for the one who takes it (and the place told). */
export async function relay(turn: Turn, deps: RelayDeps): Promise<Reply[]> {
  const c = (await openCaseOf(turn, deps))!;
  const locale = localeOf(c);
  const text = turn.text;
  const sorted = sortAttachments(turn.attachments);
  if (c.state === 'in_progress') {
    const expertIn = (l: Locale) => firstName(c.assignedTo?.name ?? t(l, 'common.yourExpert'));
    const expert = expertIn(locale);
    if (text || sorted.files.length) {
      try {
        await deps.relay.fromRatepayer(c, { text, attachments: sorted.files });
      } catch (error) {
        if (!(error instanceof MessageTooLongError)) throw error;
        // Told on the transcript too, so the expert knows a message is coming in shorter parts.
        await deps.relay.tellRatepayer(
          c,
          told(locale, (l) => t(l, 'relay.tooLongForExpert', { characters: formatCount(error.characters), limit: formatCount(error.limit), expert: expertIn(l) })),
        );
        return [];
      }
    }
    // On the transcript, so the expert knows something was sent that did not reach them.
    const refused = notPassedOnText(locale, sorted, expert);
    if (refused) await deps.relay.tellRatepayer(c, told(locale, (l) => (l === locale ? refused : (notPassedOnText(l, sorted, expertIn(l)) ?? refused))));
    return [];
  }
  // Still waiting: what they write is for the expert who takes the case (a corrected detail,
  // more about the query), so it is kept on the case's transcript with any files beside it —
  // the expert reads it on the case page when they open or claim the case. Kept under the
  // same retention as the rest of the case (their own case, POPIA s10-11); the per-
  // conversation rate limit (bot/platform/teams/conversationGuard.ts) bounds how much one chat can add.
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
  if (other && forOtherCategory && !refused) return offerIntake(turn, deps, other);
  const [status] = (await deps.intake.status(c.ratepayer.conversationId)).filter((q) => q.case.id === c.id);
  const place = status ? t(locale, 'relay.place', { position: status.place.position, wait: describeWait(status.place.waitMinutes, locale) }) : '';
  return [sentence(t(locale, 'relay.inQueue', { kept, refused: refused ? `${refused} ` : '', reference: formatReference(c.id), place }))];
}

/** Whether the turn carries files (or things that cannot be passed on) with no open case for them. */
export async function filesWithoutCase(turn: Turn, deps: RelayDeps): Promise<boolean> {
  if (!turn.channel.personal || turn.action !== undefined) return false;
  const sorted = sortAttachments(turn.attachments);
  return (sorted.files.length > 0 || sorted.notPassedOn.length > 0) && (await openCaseOf(turn, deps)) === undefined;
}

/** No open case: a file has nowhere to go yet. Says so, then answers the rest as the category route would. */
export async function noCaseForFiles(turn: Turn, deps: RelayDeps): Promise<Reply[]> {
  const locale = turn.locale;
  const told = sentence(t(locale, 'relay.noCaseForFiles', { how: t(locale, 'attachments.howToSend') }));
  const category = turn.text ? deps.intake.categoryFor(turn.text) : undefined;
  return [told, ...(category ? await offerIntake(turn, deps, category) : await welcome(turn, deps))];
}
