/**
 * How the text of the bot's messages is shown in Teams: as written, never rendered, with its line
 * breaks.
 *
 * What the documentation says. "Format your bot messages"
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages):
 * `textFormat` is `plain` ("the text must be treated as raw text with no formatting applied"),
 * `markdown` (the default when a message names none) or `xml` ("simple XML markup"; "Teams
 * supports a subset of markdown and xml or HTML formatting tags"). The page says nothing of line
 * breaks. For Markdown, Microsoft's answers are that Teams ignores a single "\n" and needs "\n\n"
 * (MicrosoftDocs/msteams-docs issue 740; "Format cards in Teams", Newlines for Adaptive Cards:
 * "If you need newlines elsewhere in the textblock, use \n\n") or two spaces before it
 * (microsoft/botframework-sdk issue 5575: "Teams uses a Markdown parser").
 *
 * What Teams does (seen in the Microsoft 365 Agents Playground, tester 7's findings 5 and 6):
 * a message's text becomes the HTML body of the chat message. So a `plain` text still has its
 * HTML read: "<b>x</b>" turned bold and "<img src=…>" showed an image (one at an outside address
 * would be fetched by the ratepayer's client), while its "\n" collapsed
 * like any HTML whitespace (a receipt arrived as one run-on paragraph). And a `markdown` text
 * renders what someone typed: "**bold**", "[link](http://evil.example)" hiding its address.
 *
 * So, on Teams only (`forTeams`): a text message that has a line break or one of & < > is sent
 * as `xml`, the HTML it then is: every & < > entity-escaped (typed tags show as typed) and each
 * line break a `<br>`. Markdown's marks (* _ ` ~ [ ] \ | # !, and a list, quote or heading
 * marker opening the message) become numeric character references: HTML shows them as the
 * characters, and a client that also reads the text as Markdown (the Playground renders `xml`
 * text through a Markdown parser) sees text, not marks. A message with neither a line break nor
 * & < > reads the same either way and stays `plain`. Worst case a character grows to 5 ("&#42;"),
 * so a 4,000-character part (bot/domain/textLimits.ts) stays about 20 KB, under Teams' limit.
 *
 * Not Teams: Web Chat and the Direct Line channel show `plain` text as text with its line breaks
 * (botframework-webchat), WhatsApp and SMS are sent by their own adapters as text; escaping there
 * would show "&lt;" to the ratepayer. The tab and email escape at their own edge.
 *
 * A message that means its Markdown (the link to the personal chat) says so with
 * `markdownMessage`. Adaptive Cards have no textFormat: their TextBlocks escape typed values
 * instead (bot/platform/cards/render.ts).
 */
import { MessageFactory, type Activity, type TurnContext } from 'botbuilder';

/** Marks a text message plain unless it already names its format. Cards and other types are left as they are. */
function withPlainText<T extends Partial<Activity>>(activity: T): T {
  if ((activity.type ?? 'message') === 'message' && typeof activity.text === 'string' && !activity.textFormat) activity.textFormat = 'plain';
  return activity;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
/** Markdown's inline marks, anywhere in a text. */
const MARKDOWN_MARKS = /[*_`~[\]\\|#!]/g;
/** What opens a Markdown block at the start of a text (after any indentation): "-", "+", "=", or "1." / "1)". */
const BLOCK_OPENING = /^(?:[-+=]|\d{1,9}[.)])/;

const reference = (ch: string) => `&#${ch.codePointAt(0)};`;

/**
 * A plain text as Teams must get it to show it as written, with its line breaks (see above).
 * `text`: what is to be read; returns the activity's `text` and `textFormat`. A text with no line
 * break and none of & < > is returned unchanged, `plain`.
 */
function teamsText(text: string): { text: string; textFormat: 'plain' | 'xml' } {
  if (!/[\r\n&<>]/.test(text)) return { text, textFormat: 'plain' };
  // Indentation would open a code block, a leading "-" or "1." a list: their characters become references.
  const indent = /^[ \t]*/.exec(text)![0];
  const opening = BLOCK_OPENING.exec(text.slice(indent.length))?.[0] ?? '';
  const start = [...indent].map(reference).join('') + opening.slice(0, -1) + (opening ? reference(opening.at(-1)!) : '');
  const rest = text.slice(indent.length + opening.length);
  const body = rest
    .replace(/[&<>]/g, (ch) => HTML_ESCAPES[ch]!)
    .replace(MARKDOWN_MARKS, reference)
    .replace(/\r\n?|\n/g, '<br>');
  return { text: start + body, textFormat: 'xml' };
}

/** A plain text message on Teams becomes what Teams shows as written (teamsText); other channels' messages are left as they are. */
function forTeams<T extends Partial<Activity>>(activity: T): T {
  if (activity.channelId === 'msteams' && activity.textFormat === 'plain' && typeof activity.text === 'string') Object.assign(activity, teamsText(activity.text));
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

/**
 * Makes every text message sent or updated in this turn plain unless it names its format, and on
 * Teams the form Teams shows as written (see above).
 */
export function sendPlainTextByDefault(context: TurnContext): void {
  context.onSendActivities(async (_context, activities, next) => {
    activities.forEach((a) => forTeams(withPlainText(a)));
    return next();
  });
  context.onUpdateActivity(async (_context, activity, next) => {
    forTeams(withPlainText(activity));
    return next();
  });
}
