/**
 * What the domain says to a person, as data: a catalogue code and its named parameters, never a
 * sentence. The words live in the message catalogue (bot/messages/<language>.json), which the
 * services and renderers read; the domain never imports it, so a language is added without
 * touching a rule.
 *
 * A parameter may itself be a Message (a field's name inside a validation message, say): it is
 * put into words first, in the same language. `count` is the parameter plural forms are chosen by.
 */
export interface Message {
  /** A key of the catalogue, e.g. `mobile.notMobile`. */
  code: string;
  params?: MessageParams;
}

/** Named parameters of a message: numbers, plain values (a reference, a time) or nested messages. */
export type MessageParams = Record<string, string | number | Message>;

/** Builds a Message. */
export const message = (code: string, params?: MessageParams): Message => (params ? { code, params } : { code });
