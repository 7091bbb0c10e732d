/**
 * The text renderer: the conversation core's replies (bot/ratepayers/replies.ts) as the channels
 * without cards show them (WhatsApp, SMS). A reply becomes a prompt: its words, the choices it
 * offers (each the action the core would get from the card's button) and, for a form, the form
 * to ask one question at a time (bot/platform/whatsapp/forms.ts). WhatsApp shows up to three
 * choices as reply buttons and up to ten as a list; SMS and the tab read the same prompt as text
 * with numbered choices (textOfPrompt).
 *
 * Every word comes from the reply (already in the ratepayer's language) or the catalogue's
 * `whatsapp` keys; nothing a ratepayer reads is written here.
 */
import { unescapeMarkdown } from '../cards/render.js';
import type { Locale } from '../../messages/index.js';
import { t } from '../../messages/index.js';
import type { FormField, Reply } from '../../ratepayers/replies.js';

/** What choosing an option sends to the core: a card button's verb and values. */
export interface TextAction {
  verb: string;
  values: Record<string, unknown>;
}

/** One numbered choice: its title (at most 24 characters on a WhatsApp button or list row is advised; longer titles are shortened there) and its action. */
export interface TextChoice {
  title: string;
  description?: string;
  action: TextAction;
}

/** One question of a form asked one at a time. */
export interface TextQuestion {
  /** The field's id (the value's name in the action). */
  id: string;
  label: string;
  hint: string;
  kind: 'text' | 'choice';
  options: { title: string; value: string }[];
  required: boolean;
  requiredMessage: string;
  /** The error the core found with the last answer (empty: none). */
  error: string;
  /** The answer kept from an earlier try. */
  value: string;
  /** Keyboard style of the card field ("tel": the mobile number, which WhatsApp already knows). */
  style: FormField['style'] | 'text';
}

/** A form asked one question at a time, then (for the intake) reviewed before it is sent. */
export interface TextForm {
  /** Which form (the reply's view): intake, survey, closingOffer, moreDetails. */
  view: string;
  /** The action the answers are sent with, with its fixed values (category, draftId, reference). */
  action: TextAction;
  questions: TextQuestion[];
  /** Ask "1 join the queue, 2 change something" before sending. */
  review: boolean;
  /** What the review's first option says (join now, queue for the next session). */
  submitTitle: string;
}

/** A reply as the text channels show it. */
export interface TextPrompt {
  text: string;
  choices: TextChoice[];
  form?: TextForm;
}

const lines = (...parts: (string | undefined | false)[]): string => parts.filter((p): p is string => !!p && p.trim() !== '').join('\n');

/** The reply as a prompt (see the file's comment). */
export function promptOfReply(reply: Reply, locale: Locale): TextPrompt {
  switch (reply.kind) {
    case 'text':
      return { text: reply.text, choices: [] };
    case 'choice':
      switch (reply.view) {
        case 'welcome': {
          const c = reply.content;
          return {
            text: lines(`*${c.t.title}*`, c.intro, c.sessionLine, '', c.t.question),
            choices: c.categories.map((k) => ({ title: k.name, action: { verb: 'category.choose', values: { category: k.code } } })),
          };
        }
        case 'cancelChoice': {
          const c = reply.content;
          return {
            text: lines(`*${c.t.title}*`, c.t.body),
            choices: c.cases.map((k) => ({ title: k.title, action: { verb: 'case.cancel', values: { reference: k.caseId } } })),
          };
        }
        case 'language': {
          const c = reply.content;
          return {
            text: lines(`*${c.t.title}*`, c.t.intro),
            choices: c.languages.map((l) => ({ title: l.title, action: { verb: 'language.choose', values: { language: l.value } } })),
          };
        }
        case 'endChat': {
          const c = reply.content;
          return {
            text: lines(`*${c.t.title}*`, c.t.body),
            choices: [
              { title: c.t.yes, action: { verb: 'case.endChat', values: { reference: c.caseId, choice: 'end' } } },
              { title: c.t.no, action: { verb: 'case.endChat', values: { reference: c.caseId, choice: 'continue' } } },
            ],
          };
        }
      }
      break;
    case 'form':
      switch (reply.view) {
        case 'intake': {
          const c = reply.content;
          const notice = lines(
            `*${c.t.privacyTitle}*`,
            c.notice.summary,
            ...c.notice.items.map((i) => i.text),
            c.notice.who,
            c.notice.retention,
            t(locale, 'whatsapp.privacyCarriers'),
            c.notice.rights,
          );
          return {
            text: lines(c.errorSummary ? c.errorSummary : c.greeting, !c.errorSummary && c.sessionLine, !c.errorSummary && '', !c.errorSummary && notice),
            choices: [],
            form: {
              view: 'intake',
              action: { verb: 'intake.submit', values: { category: c.categoryCode, draftId: c.draftId, ...(c.follows ? { follows: c.follows } : {}) } },
              questions: c.fields.map(questionOfField),
              review: true,
              submitTitle: c.submitTitle,
            },
          };
        }
        case 'moreDetails': {
          const c = reply.content;
          return {
            text: lines(`*${c.title}*`, c.errorSummary || c.intro, !c.errorSummary && '', !c.errorSummary && c.t.collectedTitle, ...(!c.errorSummary ? c.notice.items.map((i) => i.text) : [])),
            choices: [],
            form: {
              view: 'moreDetails',
              action: { verb: 'details.submit', values: { reference: c.caseId, category: c.categoryCode } },
              questions: c.fields.map(questionOfField),
              review: false,
              submitTitle: c.submitTitle,
            },
          };
        }
        case 'survey': {
          const c = reply.content;
          return {
            text: lines(`*${c.t.title}*`, c.t.intro),
            choices: [],
            form: {
              view: 'survey',
              action: { verb: 'survey.submit', values: { reference: c.caseId } },
              questions: [
                { id: 'rating', label: c.t.question, hint: c.t.choose, kind: 'choice', options: c.ratings, required: true, requiredMessage: c.t.choose, error: '', value: '', style: 'text' },
                { id: 'comment', label: c.t.comment, hint: '', kind: 'text', options: [], required: false, requiredMessage: '', error: '', value: '', style: 'text' },
              ],
              review: false,
              submitTitle: c.t.send,
            },
          };
        }
        case 'closingOffer': {
          const c = reply.content;
          // On a text channel the offer is its first choice (keep the place) and a call back at a
          // day and time asked one after the other.
          return {
            text: lines(`*${c.headline}*`, c.situation, c.hasNextSession && c.nextSessionText, c.callbackText),
            choices: [
              { title: c.t.keep, action: { verb: 'closing.choose', values: { reference: c.caseId, choice: 'next_session' } } },
              { title: c.t.callMe, action: { verb: 'whatsapp.form', values: { form: 'callback', reference: c.caseId, minDate: c.minDate, maxDate: c.maxDate } } },
            ],
          };
        }
      }
      break;
    case 'facts':
      switch (reply.view) {
        case 'status': {
          const c = reply.content;
          return {
            text: lines(
              `*${c.t.title}*`,
              ...c.cases.map((k) =>
                lines('', `*${k.reference}* · ${k.categoryName}`, `${c.t.status}: ${unescapeMarkdown(k.stateText)}`, k.position && `${c.t.place}: ${k.position}`, k.waitText && `${c.t.wait}: ${k.waitText}`, k.sessionText && `${c.t.session}: ${k.sessionText}`),
              ),
              '',
              c.t.cancelHint,
            ),
            choices: [],
          };
        }
        case 'myData': {
          const c = reply.content;
          return {
            text: lines(
              `*${c.t.title}*`,
              c.intro,
              c.reach,
              ...c.cases.map((k) =>
                lines('', `*${k.title}*`, `${c.t.status}: ${k.stateText}`, `${c.t.opened}: ${k.opened}`, `${c.t.keptUntil}: ${k.keptUntil}`, `${c.t.messages}: ${k.messages}`, ...k.details.map((d) => `${d.label}: ${unescapeMarkdown(d.value)}`)),
              ),
              '',
              c.rights,
            ),
            choices: [],
          };
        }
        case 'queued': {
          const c = reply.content;
          return {
            text: lines(`*${c.headline}*`, c.categoryName, `${c.t.reference}: *${c.reference}*`, `${c.t.place}: ${c.position}`, `${c.t.wait}: ${c.waitText}`, `${c.t.session}: ${c.sessionText}`, c.waitNote, '', c.nextSteps),
            choices: [
              { title: c.t.checkPlace, action: { verb: 'case.status', values: {} } },
              { title: c.t.leave, action: { verb: 'case.cancel', values: { reference: c.caseId } } },
            ],
          };
        }
      }
      break;
    case 'receipt':
      switch (reply.view) {
        case 'intakeSent':
          return { text: lines(`*${reply.content.t.title}*`, reply.content.note, ...reply.content.details.map((d) => `${d.label}: ${unescapeMarkdown(d.value)}`)), choices: [] };
        case 'answered':
          return { text: lines(reply.content.t.title, reply.content.t.answer), choices: [] };
        case 'resolved': {
          const c = reply.content;
          return {
            text: lines(
              `*${c.headline}*`,
              `${c.t.reference}: ${c.reference} · ${c.categoryName}`,
              `${c.t.outcome}: ${c.outcomeText}`,
              `${c.t.expert}: ${c.expert}`,
              c.dueDate && `${c.t.due}: ${c.dueDate}`,
              `${c.t.whatWasDone}: ${unescapeMarkdown(c.summary)}`,
              c.nextSteps && `${c.t.nextSteps}: ${c.nextSteps}`,
            ),
            choices: [],
          };
        }
      }
  }
  // A view this renderer does not know yet: its one-sentence summary.
  return { text: (reply as { summary?: string }).summary ?? '', choices: [] };
}

function questionOfField(f: FormField): TextQuestion {
  return {
    id: f.id,
    label: f.label,
    hint: f.placeholder,
    kind: f.kind === 'choice' ? 'choice' : 'text',
    options: f.choices,
    required: f.required,
    requiredMessage: f.requiredMessage,
    // Escaped for a card (what the ratepayer typed, in the message): shown here as typed.
    error: unescapeMarkdown(f.error),
    value: f.value,
    // Only the mobile number is confirmed from the WhatsApp number ("tel"): other numbers (a
    // household size, a ward) have the number keyboard on a card but are asked here like any answer.
    style: f.id === 'mobile' ? f.style : 'text',
  };
}

/** The prompt as one text with numbered choices: what SMS sends and what the tab shows for a text channel. */
export function textOfPrompt(prompt: TextPrompt, locale: Locale): string {
  // A form: its questions, as they are then asked one at a time.
  if (prompt.form)
    return lines(prompt.text, '', ...prompt.form.questions.map((q) => lines(`- ${q.label}`, ...q.options.map((o, i) => `  ${i + 1}. ${o.title}`))));
  if (!prompt.choices.length) return prompt.text;
  return lines(prompt.text, '', ...prompt.choices.map((c, i) => `${i + 1}. ${c.title}`), t(locale, 'whatsapp.replyWithNumber'));
}

/** A reply as one text with numbered choices (what an SMS ratepayer was shown; staff's English words of a card). */
export function textOfReply(reply: Reply, locale: Locale): string {
  return textOfPrompt(promptOfReply(reply, locale), locale);
}

/**
 * How WhatsApp shows a prompt's choices: up to 3 whose titles fit a reply button (20 characters)
 * as buttons, up to 10 as a list (its rows' titles cut to 24), more (or none) within the text,
 * numbered. WhatsApp's limits: Meta's Cloud API reference for interactive messages.
 */
export function whatsAppShapeOf(prompt: TextPrompt): 'buttons' | 'list' | 'text' {
  const n = prompt.choices.length;
  if (prompt.form || n === 0 || n > 10) return 'text';
  return n <= 3 && prompt.choices.every((c) => [...c.title].length <= 20) ? 'buttons' : 'list';
}

/**
 * A reply as a WhatsApp ratepayer was shown it, for the staff's copy on the transcript: its words,
 * and the choices it offered as WhatsApp showed them (reply buttons or a list's rows, their whole
 * titles), not the numbered choices and "reply with the number" of SMS; those only when WhatsApp
 * got the choices as text too. A form (asked one question at a time) as its questions.
 */
export function whatsAppShownReply(reply: Reply, locale: Locale): { text: string; choices?: { as: 'buttons' | 'list'; titles: string[] } } {
  const prompt = promptOfReply(reply, locale);
  const as = whatsAppShapeOf(prompt);
  return as === 'text' ? { text: textOfPrompt(prompt, locale) } : { text: prompt.text, choices: { as, titles: prompt.choices.map((c) => c.title) } };
}

/** The channels that show text rather than cards: their replies are rendered here. */
export const TEXT_CHANNELS: readonly string[] = ['whatsapp', 'sms'];
