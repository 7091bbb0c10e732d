/**
 * What the conversation core answers with, as plain data: no channel's format in it (no Adaptive
 * Card, no Bot Framework activity). Every word is already in the ratepayer's language (the
 * catalogue, bot/messages); a renderer per kind of channel (bot/platform/teams/render.ts for Teams) turns
 * replies into what that channel shows.
 *
 * The kinds are what today's ratepayer cards express: a sentence (`text`), a choice among options
 * (`choice`), a form with its fields, hints, kept values and an error under each field (`form`),
 * facts (`facts`) and a read-only record of something done (`receipt`). Each non-text reply names
 * its `view` (the presentation a rich channel uses for it; Teams: the template of the same name
 * in bot/platform/cards/templates) and carries `summary`, the same content as one sentence for a channel
 * that shows text only (and for Teams' notification preview).
 */

/** One option of a choice: what the person reads and what pressing it sends back. */
export interface Option {
  /** What the option says. */
  title: string;
  /** The value sent back when it is chosen (a category code, a case id…). */
  value: string;
}

/** One label and its value, as on a statement. */
export interface Fact {
  label: string;
  value: string;
}

/** The welcome: the programme, whether it is open, and the categories to choose from. */
export interface WelcomeContent {
  organisation: string;
  intro: string;
  sessionLine: string;
  categories: { code: string; name: string }[];
  /** The served languages, each in its own name (empty when the programme serves one). */
  languages: Option[];
  /** The language the card is in (the choice's starting value). */
  current: string;
  t: { title: string; question: string; language: string; languageButton: string };
}

/** The language choice (issue 16): one option per served language, each in its own name. */
export interface LanguageContent {
  languages: Option[];
  t: { title: string; intro: string };
}

/** A form field: label, hint, the value kept from the last try and the error under it (empty: none). */
export interface FormField {
  id: string;
  kind: 'choice' | 'multiline' | 'text';
  label: string;
  /** The hint shown inside the empty field. */
  placeholder: string;
  /** What is said when a required field is left empty. */
  requiredMessage: string;
  choices: Option[];
  /** What the person typed last time (kept on a retry): nothing they typed is lost. */
  value: string;
  required: boolean;
  /** The keyboard to offer. */
  style: 'tel' | 'email' | 'text';
  /** The error under this field, in words; empty when there is none. */
  error: string;
}

/** The intake form for a category, with its privacy notice. */
export interface IntakeContent {
  categoryName: string;
  categoryCode: string;
  greeting: string;
  sessionLine: string;
  sessionStyle: 'good' | 'warning';
  /** Above the form on a retry: how many fields need another look. Empty on a first try. */
  errorSummary: string;
  notice: { summary: string; items: { text: string }[]; who: string; retention: string; rights: string };
  fields: FormField[];
  /** Identifies one filling-in of the form, so a double press queues one case. */
  draftId: string;
  /** The earlier case this form's case will follow (its reference; issue 19), or '' for none: sent back with the answers. */
  follows: string;
  submitTitle: string;
  t: { privacyTitle: string; collectedTitle: string; readNotice: string };
}

/**
 * The details a case's new category needs after a transfer (bot/domain/transferDetails.ts): only
 * the missing fields, each required, with why each is collected (POPIA s18); on a retry, what was
 * typed and an error under each wrong field. Sent back with `caseId` (action `details.submit`).
 */
export interface MoreDetailsContent {
  caseId: string;
  /** The category the details are for (its code): a text channel checks each answer by its rules. */
  categoryCode: string;
  title: string;
  intro: string;
  /** Above the form on a retry: how many fields need another look. Empty on a first try. */
  errorSummary: string;
  /** Why each detail is asked (the intake notice's items for these fields) and the person's rights. */
  notice: { items: { text: string }[]; rights: string };
  fields: FormField[];
  submitTitle: string;
  t: { collectedTitle: string };
}

/** "status" / "my cases": one entry per case. */
export interface StatusContent {
  cases: { reference: string; categoryName: string; stateText: string; position: string; waitText: string; sessionText: string }[];
  t: { title: string; status: string; place: string; wait: string; session: string; cancelHint: string };
}

/** "my data" (POPIA s23): what is held, for how long, and the rights. */
export interface MyDataContent {
  intro: string;
  reach: string;
  cases: { title: string; stateText: string; opened: string; keptUntil: string; messages: string; details: Fact[] }[];
  rights: string;
  t: { title: string; status: string; opened: string; keptUntil: string; messages: string; details: string };
}

/** Which of several waiting cases to leave: one option per case (its id). */
export interface CancelChoiceContent {
  cases: { caseId: string; title: string }[];
  t: { title: string; body: string };
}

/** A case just queued (or the same card again): its reference, place, wait and what happens next. */
export interface QueuedContent {
  caseId: string;
  headline: string;
  categoryName: string;
  reference: string;
  position: string;
  waitText: string;
  sessionText: string;
  waitNote: string;
  nextSteps: string;
  t: { reference: string; place: string; wait: string; session: string; checkPlace: string; leave: string };
}

/** What a sent form becomes: the details sent (ID numbers masked), read-only. */
export interface IntakeSentContent {
  note: string;
  details: Fact[];
  t: { title: string };
}

/** What an answered question becomes: the question and the answer given, read-only. */
export interface AnsweredContent {
  t: { title: string; answer: string };
}

/** A case's closing summary: outcome, expert, due date, what was done and next steps. */
export interface ResolvedContent {
  headline: string;
  categoryName: string;
  reference: string;
  outcomeText: string;
  expert: string;
  dueDate: string;
  summary: string;
  nextSteps: string;
  t: { reference: string; outcome: string; expert: string; due: string; whatWasDone: string; nextSteps: string };
}

/** Whether to end the chat with the expert: two options, for the case `caseId`. */
export interface EndChatContent {
  caseId: string;
  t: { title: string; body: string; yes: string; no: string };
}

/** A receipt (issue 19) with its lines and the button to reopen the case (`reopen`: the button's words). */
export interface FollowReceiptContent {
  caseId: string;
  lines: string[];
  reopen: string;
}

/** The satisfaction survey: a rating among five options and a comment. */
export interface SurveyContent {
  caseId: string;
  ratings: Option[];
  t: { title: string; intro: string; question: string; choose: string; comment: string; send: string };
}

/** The offer at closing time: keep the place for the next session, or a callback on a chosen day and time. */
export interface ClosingOfferContent {
  headline: string;
  situation: string;
  hasNextSession: boolean;
  nextSessionText: string;
  callbackText: string;
  caseId: string;
  /** The first and last day a callback may be asked for (YYYY-MM-DD, the programme's zone). */
  minDate: string;
  maxDate: string;
  t: { keepTitle: string; keep: string; callbackTitle: string; day: string; chooseDay: string; time: string; chooseTime: string; callMe: string };
}

/** A plain sentence. */
export interface TextReply {
  kind: 'text';
  text: string;
}

/** A choice among options. */
export type ChoiceReply =
  | { kind: 'choice'; view: 'welcome'; content: WelcomeContent; summary: string }
  | { kind: 'choice'; view: 'cancelChoice'; content: CancelChoiceContent; summary: string }
  | { kind: 'choice'; view: 'endChat'; content: EndChatContent; summary: string }
  | { kind: 'choice'; view: 'language'; content: LanguageContent; summary: string }
  | { kind: 'choice'; view: 'followReceipt'; content: FollowReceiptContent; summary: string };

/** A form to fill in (again, with what was typed and an error under each field, on a retry). */
export type FormReply =
  | { kind: 'form'; view: 'intake'; content: IntakeContent; summary: string }
  | { kind: 'form'; view: 'survey'; content: SurveyContent; summary: string }
  | { kind: 'form'; view: 'closingOffer'; content: ClosingOfferContent; summary: string }
  | { kind: 'form'; view: 'moreDetails'; content: MoreDetailsContent; summary: string };

/** Facts about the person's cases. */
export type FactsReply =
  | { kind: 'facts'; view: 'status'; content: StatusContent; summary: string }
  | { kind: 'facts'; view: 'myData'; content: MyDataContent; summary: string }
  | { kind: 'facts'; view: 'queued'; content: QueuedContent; summary: string };

/**
 * A read-only record of something done: a form sent, a question answered (these two take the
 * place of the form or question the person just answered, `replacesPressed`, so it cannot be
 * answered again; a channel that cannot change a sent message, or no longer finds it, leaves it,
 * and a second answer is then answered plainly by the feature), or a case's closing summary.
 */
export type ReceiptReply =
  | { kind: 'receipt'; replacesPressed: true; view: 'intakeSent'; content: IntakeSentContent }
  | { kind: 'receipt'; replacesPressed: true; view: 'answered'; content: AnsweredContent }
  | { kind: 'receipt'; replacesPressed: false; view: 'resolved'; content: ResolvedContent; summary: string };

/** One reply of the conversation core. */
export type Reply = TextReply | ChoiceReply | FormReply | FactsReply | ReceiptReply;

/** A reply that is shown as something more than a sentence where the channel can (every kind but text). */
export type ViewReply = Exclude<Reply, TextReply>;

/** A reply sent outside a turn (proactive): shown to the person with its sentence kept on the case. */
export type SentLaterReply = Exclude<ViewReply, { replacesPressed: true }>;

/** A sentence as a reply. */
export function text(words: string): TextReply {
  return { kind: 'text', text: words };
}
