/**
 * A phone and a service on the local Communication Services stand-in (devTools/acs.ts), for the
 * WhatsApp tests: the service's ACS settings pointing at the stand-in, and a phone that says or
 * presses something and waits for the answer that matches.
 */
import assert from 'node:assert/strict';
import type { AcsStandIn, Received } from '../../devTools/acs.js';
import type { AcsSettings } from '../../bot/platform/config/settings.js';

/** The service's ACS settings for the stand-in: its endpoint and key, its WhatsApp channel, the Event Grid secret. */
export function acsSettingsFor(acs: AcsStandIn, eventsSecret: string): AcsSettings {
  return { endpoint: acs.endpoint, auth: { kind: 'key', accessKey: acs.accessKey }, whatsappChannelId: acs.channelRegistrationId, eventsSecret };
}

/** A phone number on the stand-in. */
export interface Phone {
  /** Sends `text`, then waits for the next message to this phone whose text matches `expect`. */
  say(text: string, expect: RegExp): Promise<Received>;
  /**
   * Presses the choice labelled `key` ("c0", "c1"…) on the latest message with choices, as
   * WhatsApp does (that button's id and title), then waits as `say` does.
   */
  press(key: string, expect: RegExp): Promise<Received>;
  /** Presses the choice labelled `key` on `message`, a message received earlier (WhatsApp keeps its buttons pressable), then waits as `say` does. */
  pressOn(message: Received, key: string, expect: RegExp): Promise<Received>;
  /** Presses a button with this id and title whatever the phone was sent (an id of the form sent before ids were tagged: "c1"), then waits as `say` does. */
  pressId(id: string, title: string, expect: RegExp): Promise<Received>;
  /**
   * The intake's first steps in English: "Hi", the category whose title starts with `category`
   * ("Account and billing"), the account number and holder; resolves with the question after the
   * holder (the mobile number's confirmation, for a WhatsApp number the stand-in knows).
   */
  startIntake(category: string, after: RegExp): Promise<Received>;
  /**
   * The whole intake in English: startIntake up to the mobile number's confirmation (`mobile`
   * matches that question), the number confirmed, no email, `description` typed and the review
   * confirmed; resolves with the case reference as the queued message shows it ("K7M-3PQ").
   */
  joinQueue(category: string, mobile: RegExp, description: string): Promise<string>;
  /** joinQueue up to the review, not confirmed: resolves with the review. */
  toReview(category: string, mobile: RegExp, description: string): Promise<Received>;
}

export function phoneOn(acs: AcsStandIn, number: string): Phone {
  // Marked before sending, so an answer faster than the send's own response is still the one waited for.
  const answered = async (send: () => Promise<number>, expect: RegExp): Promise<Received> => {
    const mark = acs.mark(number);
    assert.equal(await send(), 200);
    return acs.waitFor(number, (m) => expect.test(m.text), mark);
  };
  const phone: Phone = {
    say: (text, expect) => answered(() => acs.say(number, text), expect),
    press: (key, expect) => answered(() => acs.press(number, key), expect),
    pressOn: (message, key, expect) => {
      const choice = message.choices?.find((c) => c.key === key);
      assert.ok(choice, `no ${key} on: ${message.text}`);
      return answered(() => acs.pressId(number, choice.id, choice.title, { row: choice.row }), expect);
    },
    pressId: (id, title, expect) => answered(() => acs.pressId(number, id, title), expect),
    startIntake: async (category, after) => {
      const welcome = await phone.say('Hi', /What is your query about\?/);
      const choice = new RegExp(`\\[(c\\d+)\\] ${category}`).exec(welcome.text)?.[1];
      assert.ok(choice, welcome.text);
      await phone.press(choice, /account number/i);
      await phone.say('501234567', /account holder|name/i);
      return phone.say('Lerato Molefe', after);
    },
    toReview: async (category, mobile, description) => {
      await phone.startIntake(category, mobile);
      await phone.press('c0', /e-?mail/i);
      await phone.say('0', /describe|query/i);
      return phone.say(description, /check your details/i);
    },
    joinQueue: async (category, mobile, description) => {
      await phone.toReview(category, mobile, description);
      const queued = await phone.press('c0', /You are in the queue/);
      return /reference: \*([A-Z0-9-]+)\*/i.exec(queued.text)![1]!;
    },
  };
  return phone;
}
