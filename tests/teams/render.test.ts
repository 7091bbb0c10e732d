/**
 * The Teams renderer (bot/platform/teams/render.ts) turns the conversation core's replies into the cards
 * the bot sent before the core existed, byte for byte: tests/teams/cardsBeforeCore.json holds the
 * cards the card builders of commit 32e7ea9 (before issue 15's conversation core) built for the
 * inputs below, and each reply built from the same inputs renders to the same JSON text. One
 * change since, on purpose: a field's error block has an id (`<field>Error`), so the public web
 * page ties the error to its field for screen readers (web/src/card.tsx).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import * as C from '../../bot/platform/cards/ratepayerCards.js';
import { text, type Reply } from '../../bot/ratepayers/replies.js';
import { openCase } from '../../bot/domain/case.js';
import type { QueuedCase, SessionNews } from '../../bot/ratepayers/intake.js';
import { renderReply } from '../../bot/platform/teams/render.js';

const before = JSON.parse(readFileSync(new URL('./cardsBeforeCore.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const def = loadDefinition(LOCAL_DEFINITION);
const session = {
  id: '2022-08-01T17:00',
  date: '2022-08-01',
  start: '17:00',
  end: '20:00',
  opensAt: new Date('2022-08-01T15:00:00Z'),
  closesAt: new Date('2022-08-01T18:00:00Z'),
};
const open: SessionNews = { open: session };
function aQueuedCase(state: 'waiting' | 'in_progress' = 'waiting'): QueuedCase {
  const c = openCase({
    reference: 'K7M3PQ',
    programmeId: def.programme.id,
    category: 'billing',
    sessionId: session.id,
    draftId: 'draft-1',
    ratepayer: { userId: 'u', displayName: 'Lerato', conversationId: 'c', channelId: 'msteams' },
    // Markdown and HTML a ratepayer typed, a mobile number, an ID number and an amount: escaped, formatted, masked.
    intake: { accountNumber: '501234567', fullName: 'Lerato <b>**M**</b>', mobile: '0821234567', idNumber: '8001015009087', arrears: 14000.12 },
    now: new Date('2022-08-01T15:10:00Z'),
  });
  const withExpert = state === 'in_progress' ? { state, assignedTo: { staffId: 'thandi', name: 'Thandi Mokoena', since: session.opensAt.toISOString() } } : {};
  return { case: { ...c, ...withExpert, etag: 'e' }, place: { position: 3, waitMinutes: 24, waitText: 'about 25 minutes', basis: 'default', agentsOnDuty: 2, agentsSignedIn: 2, handlingMinutes: 12 }, session };
}
const resolved = {
  ...aQueuedCase('in_progress').case,
  state: 'resolved' as const,
  outcome: { kind: 'resolved' as const, summary: 'Explained the _March_ bill.', dueDate: '2022-08-15' },
  closedAt: '2022-08-01T16:00:00Z',
};

const wroteToThandi = (() => {
  const c = aQueuedCase('in_progress').case;
  return { ...c, transcript: [{ id: 'm1', at: c.assignedTo!.since, from: 'ratepayer' as const, author: 'Lerato', text: 'Is my bill right?' }] };
})();

// A programme serving one language: its welcome has no language choice (issue 16), as before.
const english = { ...def, programme: { ...def.programme, languages: ['en' as const] } };
const category = def.categories[0]!;
const q = aQueuedCase();
const s = 'the summary';
/** The replies the core builds for the inputs the fixture's cards were built from. */
const replies: Record<string, Reply> = {
  welcome: { kind: 'choice', view: 'welcome', content: C.welcomeContent(english, open), summary: s },
  'welcome (no sessions)': { kind: 'choice', view: 'welcome', content: C.welcomeContent(english, {}), summary: s },
  intake: { kind: 'form', view: 'intake', content: C.intakeContent(def, category, open, { draftId: 'draft-0001' }), summary: s },
  'intake (retry)': {
    kind: 'form',
    view: 'intake',
    content: C.intakeContent(def, category, open, { draftId: 'draft-0001', typed: { accountNumber: '12 **x**' }, errors: { accountNumber: 'Check it.' } }),
    summary: s,
  },
  queued: { kind: 'facts', view: 'queued', content: C.queuedContent(def, q, false), summary: s },
  'queued (duplicate)': { kind: 'facts', view: 'queued', content: C.queuedContent(def, q, true), summary: s },
  intakeSent: { kind: 'receipt', replacesPressed: true, view: 'intakeSent', content: C.intakeSentContent(def, q.case) },
  status: { kind: 'facts', view: 'status', content: C.statusContent(def, [q, aQueuedCase('in_progress')]), summary: s },
  'my cases': { kind: 'facts', view: 'status', content: C.statusContent(def, [q], true), summary: s },
  myData: { kind: 'facts', view: 'myData', content: C.myDataContent(def, [q.case, resolved]), summary: s },
  cancelChoice: { kind: 'choice', view: 'cancelChoice', content: C.cancelChoiceContent(def, [q.case, { ...q.case, id: 'AB12CD' }]), summary: s },
  // The fixture's question says Thandi "has seen what you wrote": Lerato wrote to her (since bodyNothingWritten, only then).
  endChat: { kind: 'choice', view: 'endChat', content: C.endChatContent(wroteToThandi), summary: s },
  'endChat answered': { kind: 'receipt', replacesPressed: true, view: 'answered', content: C.endChatAnsweredContent(aQueuedCase('in_progress').case, 'continue') },
  resolved: { kind: 'receipt', replacesPressed: false, view: 'resolved', content: C.resolvedContent(def, resolved), summary: s },
  survey: { kind: 'form', view: 'survey', content: C.surveyContent(resolved), summary: s },
  'survey answered': { kind: 'receipt', replacesPressed: true, view: 'answered', content: C.surveyAnsweredContent(resolved, 2) },
  closingOffer: {
    kind: 'form',
    view: 'closingOffer',
    content: C.closingOfferContent(def, { c: q.case, session, position: 4, next: session, now: session.opensAt }),
    summary: s,
  },
};

describe('the Teams renderer: replies as the cards sent before the conversation core, byte for byte', () => {
  it('has a reply for every card of the fixture', () => {
    assert.deepEqual(Object.keys(replies).sort(), Object.keys(before).sort());
  });

  for (const [name, reply] of Object.entries(replies)) {
    it(`renders "${name}" as the same card, with its summary as the preview`, () => {
      const activity = renderReply(reply);
      assert.equal(activity.type, 'message');
      assert.equal(activity.attachments?.length, 1);
      assert.equal(activity.attachments![0]!.contentType, 'application/vnd.microsoft.card.adaptive');
      assert.equal(JSON.stringify(activity.attachments![0]!.content), JSON.stringify(before[name]));
      if ('summary' in reply) assert.equal(activity.summary, s);
    });
  }

  it('renders a sentence as a plain message, as context.sendActivity(text) did', () => {
    assert.deepEqual(renderReply(text('You are 3rd in the queue.')), { type: 'message', text: 'You are 3rd in the queue.', inputHint: 'acceptingInput' });
  });
});
