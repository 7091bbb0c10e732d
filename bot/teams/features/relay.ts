/**
 * While a ratepayer has an open case, what they type is for it: relayed to their expert when one
 * is connected (with any files, kept as links), or answered with their place while they wait.
 */
import type { Attachment, TurnContext } from 'botbuilder';
import { firstName, type TranscriptEntry } from '../../domain/case.js';
import { formatCount } from '../../domain/textLimits.js';
import { MessageTooLongError } from '../../services/relay.js';
import { formatReference } from '../../domain/reference.js';
import type { StoredCase } from '../../ports/caseStore.js';
import type { BotApplication, BotDependencies } from '../application.js';
import { isPersonal, typedText } from '../context.js';
import { offerIntake } from './categoryChoice.js';

type Link = NonNullable<TranscriptEntry['attachments']>[number];

/** Files the ratepayer attached, as links; the HTML copy of the message Teams adds is not a file. */
export function attachmentLinks(attachments: Attachment[] | undefined): Link[] {
  const links: Link[] = [];
  for (const a of attachments ?? []) {
    const content = (a.content ?? {}) as { downloadUrl?: unknown; fileType?: unknown };
    const url =
      a.contentType === 'application/vnd.microsoft.teams.file.download.info' && typeof content.downloadUrl === 'string'
        ? content.downloadUrl
        : a.contentUrl;
    if (!url || !/^https?:\/\//i.test(url) || a.contentType === 'text/html') continue;
    links.push({
      name: (a.name ?? 'attachment').slice(0, 200),
      contentType: (typeof content.fileType === 'string' ? content.fileType : a.contentType).slice(0, 100),
      url: url.slice(0, 2000),
    });
  }
  return links;
}

/** Registers the relay route: before the greetings and the free-text category route. */
export function registerRelay(app: BotApplication, deps: BotDependencies): void {
  // One store read per turn, shared by the route's selector and its handler.
  const openCase = new WeakMap<TurnContext, Promise<StoredCase | undefined>>();
  const caseOf = (context: TurnContext) => {
    let found = openCase.get(context);
    if (!found) openCase.set(context, (found = deps.relay.openCaseOf(context.activity.conversation.id)));
    return found;
  };

  app.message(
    async (context) => isPersonal(context) && context.activity.value === undefined && (await caseOf(context)) !== undefined,
    async (context) => {
      const c = (await caseOf(context))!;
      const text = typedText(context);
      if (c.state === 'in_progress') {
        const attachments = attachmentLinks(context.activity.attachments);
        if (!text && attachments.length === 0) return;
        try {
          await deps.relay.fromRatepayer(c, { text, attachments });
        } catch (error) {
          if (!(error instanceof MessageTooLongError)) throw error;
          // Told on the transcript too, so the expert knows a message is coming in shorter parts.
          await deps.relay.tellRatepayer(c, {
            text:
              `Your message has ${formatCount(error.characters)} characters, more than we can pass on in one message ` +
              `(at most ${formatCount(error.limit)}). Nothing of it has reached ${firstName(c.assignedTo?.name ?? 'your expert')} yet: ` +
              'please send it again in two or more shorter messages.',
          });
        }
        return;
      }
      const other = text ? deps.intake.categoryFor(text) : undefined;
      if (other && other.code !== c.category) {
        await offerIntake(context, deps, other);
        return;
      }
      const [status] = (await deps.intake.status(c.ratepayer.conversationId)).filter((q) => q.case.id === c.id);
      const place = status ? ` You are number ${status.place.position} (estimated wait ${status.place.waitText}).` : '';
      await context.sendActivity(
        `You are in the queue with case ${formatReference(c.id)}.${place} An expert will message you here as soon as it is your turn; you do not need to do anything. Type "status" to check your place or "cancel" to leave the queue.`,
      );
    },
  );
}
