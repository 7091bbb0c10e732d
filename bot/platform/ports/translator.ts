/**
 * Machine translation between a ratepayer and an expert (issue 16): what the relay needs from a
 * translation service. Production: Azure AI Translator, Text Translation REST v3
 * (bot/platform/translator/client.ts); locally and in tests the same client against the stand-in
 * that speaks that contract (devTools/translator/server.ts).
 *
 * Languages are the Translator's codes, which are our catalogue's (ISO 639: en, zu, xh, af, nso,
 * st, tn; bot/domain/language.ts).
 */

/** A translation of one text. */
export interface Translation {
  /** The text in the target language. */
  text: string;
  /** The language the text was translated from (as asked, or as the service detected it). */
  from: string;
  to: string;
}

/**
 * The translation could not be had: the service refused it (4xx), failed twice (429, 5xx),
 * did not answer in time, or answered with something that is not a translation. The caller
 * delivers the message untranslated and marks it so; a translation failing never blocks a message.
 */
export class TranslationFailedError extends Error {
  constructor(
    /** In words an agent can read beside the message ("the translation service did not answer in 3 s"). */
    readonly reason: string,
    /** The HTTP status, when the service answered. */
    readonly status?: number,
    /** The service's own error code (Translator: six digits, e.g. 429001), when it gave one. */
    readonly code?: number,
  ) {
    super(reason);
    this.name = 'TranslationFailedError';
  }
}

/** Translates text. */
export interface Translator {
  /**
   * Translates `text` from `from` (a language code; undefined: let the service detect it) to `to`.
   * Rejects with TranslationFailedError, never with anything else.
   */
  translate(text: string, from: string | undefined, to: string): Promise<Translation>;
}
