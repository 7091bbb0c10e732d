/**
 * What the conversation core answers with, as plain data: no channel's format in it (no Adaptive
 * Card, no Bot Framework activity). Every word is already in the ratepayer's language (the
 * catalogue, bot/messages); a renderer per kind of channel (bot/teams/render.ts for Teams) turns
 * replies into what that channel shows.
 *
 * The kinds are what today's ratepayer cards express: a sentence (`text`), a choice among options
 * (`choice`), a form with its fields, hints, kept values and an error under each field (`form`),
 * facts (`facts`) and a read-only record of something done (`receipt`). Each non-text reply names
 * its `view` (the presentation a rich channel uses for it; Teams: the template of the same name
 * in bot/cards/templates) and carries `summary`, the same content as one sentence for a channel
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
  t: { title: string; question: string };
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
  submitTitle: string;
  t: { privacyTitle: string; collectedTitle: string; readNotice: string };
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

/** A plain sentence. */
export interface TextReply {
  kind: 'text';
  text: string;
}

/** A choice among options. */
export type ChoiceReply =
  | { kind: 'choice'; view: 'welcome'; content: WelcomeContent; summary: string }
  | { kind: 'choice'; view: 'cancelChoice'; content: CancelChoiceContent; summary: string };

/** A form to fill in (again, with what was typed and an error under each field, on a retry). */
export interface FormReply {
  kind: 'form';
  view: 'intake';
  content: IntakeContent;
  summary: string;
}

/** Facts about the person's cases. */
export type FactsReply =
  | { kind: 'facts'; view: 'status'; content: StatusContent; summary: string }
  | { kind: 'facts'; view: 'myData'; content: MyDataContent; summary: string };

/** One reply of the conversation core. */
export type Reply = TextReply | ChoiceReply | FormReply | FactsReply;

/** A sentence as a reply. */
export function text(words: string): TextReply {
  return { kind: 'text', text: words };
}
