/**
 * How the text of the bot's messages is rendered in Teams. A message's `textFormat` is `markdown`
 * unless it says otherwise, so words someone typed (an expert's reply relayed to the ratepayer,
 * a file name, a value quoted back) were rendered: "**bold**" turned bold and
 * "[link](http://evil.example)" showed a clickable "link" hiding its address. Every text message
 * the bot sends is therefore `plain`: Teams shows it exactly as written. A message that means its
 * Markdown (the link to the personal chat) says so with `markdownMessage`.
 *
 * Source: Microsoft Teams, "Format your bot messages" (textFormat plain | markdown | xml:
 * "plain: the text should be treated as raw text with no formatting applied at all"),
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages.
 * Adaptive Cards have no textFormat: their TextBlocks escape typed values instead (bot/platform/cards/render.ts).
 */
import { MessageFactory, type Activity, type TurnContext } from 'botbuilder';

/** Marks a text message plain unless it already names its format. Cards and other types are left as they are. */
function withPlainText<T extends Partial<Activity>>(activity: T): T {
  if ((activity.type ?? 'message') === 'message' && typeof activity.text === 'string' && !activity.textFormat) activity.textFormat = 'plain';
  return activity;
}

/** A plain text message: shown exactly as written. */
export function plainMessage(text: string): Partial<Activity> {
  return withPlainText(MessageFactory.text(text));
}

/** A message whose Markdown is ours and meant (a link of the bot's own, never typed text). */
export function markdownMessage(text: string): Partial<Activity> {
  return { ...MessageFactory.text(text), textFormat: 'markdown' };
}

/** Makes every text message sent in this turn plain unless it names its format (see above). */
export function sendPlainTextByDefault(context: TurnContext): void {
  context.onSendActivities(async (_context, activities, next) => {
    activities.forEach(withPlainText);
    return next();
  });
}
