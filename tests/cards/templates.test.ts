/**
 * Every card template, and every card the bot builds from one, parsed by the Adaptive Cards SDK
 * itself: schema mistakes are caught here before Teams shows a blank card.
 */
import assert from 'node:assert/strict';
import * as AC from 'adaptivecards';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { closingOfferContent, intakeCard, myDataCard,
  intakeSentCard,
  endChatContent, queuedCard, resolvedContent, statusContent, surveyContent, welcomeContent, cancelChoiceCard, surveyAnsweredCard, endChatAnsweredCard } from '../../bot/platform/cards/ratepayerCards.js';
import { moreDetailsContent } from '../../bot/platform/cards/ratepayerCards.js';
import { CARD_NAMES, cardTemplate, renderCard } from '../../bot/platform/cards/render.js';
import { LANGUAGES, type Locale } from '../../bot/messages/index.js';
import { openCase } from '../../bot/domain/case.js';
import type { SessionNews, QueuedCase } from '../../bot/ratepayers/intake.js';

// These replies are content (bot/ratepayers/replies.ts) that the Teams renderer expands into
// their templates (cardOfReply in bot/platform/cards/render.ts, used by bot/platform/teams/render.ts).
const welcomeCard = (...args: Parameters<typeof welcomeContent>) => renderCard('welcome', welcomeContent(...args));
const statusCard = (...args: Parameters<typeof statusContent>) => renderCard('status', statusContent(...args));
const resolvedCard = (...args: Parameters<typeof resolvedContent>) => renderCard('resolved', resolvedContent(...args));
const surveyCard = (...args: Parameters<typeof surveyContent>) => renderCard('survey', surveyContent(...args));
const endChatCard = (...args: Parameters<typeof endChatContent>) => renderCard('endChat', endChatContent(...args));
const closingOfferCard = (...args: Parameters<typeof closingOfferContent>) => renderCard('closingOffer', closingOfferContent(...args));

const def = loadDefinition(LOCAL_DEFINITION);
/** The verbs the bot has routes for (bot/platform/teams/features). */
const HANDLED_VERBS = new Set(['category.choose', 'intake.submit', 'case.status', 'case.cancel', 'case.endChat', 'survey.submit', 'closing.choose', 'language.choose', 'case.reopen', 'details.submit']);

function parseProblems(card: Record<string, unknown>): string[] {
  const context = new AC.SerializationContext(new AC.Version(1, 5));
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}

function walk(node: unknown, visit: (n: Record<string, any>) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, any>);
    Object.values(node).forEach((n) => walk(n, visit));
  }
}

const session = {
  id: '2022-08-01T17:00',
  date: '2022-08-01',
  start: '17:00',
  end: '20:00',
  opensAt: new Date('2022-08-01T15:00:00Z'),
  closesAt: new Date('2022-08-01T18:00:00Z'),
};
const open: SessionNews = { open: session };
const closed: SessionNews = { next: session };

function aQueuedCase(): QueuedCase {
  const c = openCase({
    reference: 'K7M3PQ',
    programmeId: def.programme.id,
    category: 'billing',
    sessionId: session.id,
    draftId: 'draft-1',
    ratepayer: { userId: 'u', displayName: 'Lerato', conversationId: 'c', channelId: 'msteams' },
    intake: { accountNumber: '501234567' },
    now: new Date('2022-08-01T15:10:00Z'),
  });
  return { case: { ...c, etag: 'e' }, place: { position: 3, waitMinutes: 24, waitText: 'about 25 minutes', basis: 'default', agentsOnDuty: 2, agentsSignedIn: 2, handlingMinutes: 12 }, session };
}

/** Every card the ratepayer can be shown, built as the bot builds them. */
function everyBuiltCard(locale: Locale = 'en'): [string, Record<string, unknown>][] {
  const built: [string, Record<string, unknown>][] = [
    ['welcome (open)', welcomeCard(def, open, locale)],
    ['welcome (closed)', welcomeCard(def, closed, locale)],
    ['welcome (no more sessions)', welcomeCard(def, {}, locale)],
    ['queued', queuedCard(def, aQueuedCase(), false, locale)],
    ['queued (duplicate)', queuedCard(def, aQueuedCase(), true, locale)],
    ['status', statusCard(def, [aQueuedCase(), aQueuedCase()], false, locale)],
    ['my cases', statusCard(def, [aQueuedCase()], true, locale)],
    [
      'resolved (referral)',
      resolvedCard(def, {
        ...aQueuedCase().case,
        outcome: { kind: 'referred_back_office', summary: 'Sent to **billing** [review](x)', dueDate: '2022-08-19' },
        assignedTo: { staffId: 'thandi', name: 'Thandi Mokoena', since: session.opensAt.toISOString() },
      }, locale),
    ],
    ['survey', surveyCard(aQueuedCase().case, locale)],
    ['survey (answered)', surveyAnsweredCard(aQueuedCase().case, 2, locale)],
    ['end the chat? (answered)', endChatAnsweredCard(aQueuedCase().case, 'continue', locale)],
    ['which case to cancel?', cancelChoiceCard(def, [aQueuedCase().case, { ...aQueuedCase().case, id: 'Z7VDDT', category: 'credit-control' }], locale)],
    ['end the chat?', endChatCard({ ...aQueuedCase().case, assignedTo: { staffId: 'thandi', name: 'Thandi Mokoena', since: session.opensAt.toISOString() } }, locale)],
    ['closing offer', closingOfferCard(def, { c: aQueuedCase().case, session, position: 4, next: session, now: session.opensAt }, locale)],
    ['my data', myDataCard(def, [{ ...aQueuedCase().case, intake: { accountNumber: '501234567', idNumber: '8001015009087', mobile: '+27821234567', description: '**x**' } }], locale)],
    ['my data (nothing held)', myDataCard(def, [], locale)],
    ['intake sent (read-only)', intakeSentCard(def, { ...aQueuedCase().case, intake: { accountNumber: '501234567', idNumber: '8001015009087', mobile: '+27821234567', description: '**x**' } }, locale)],
    ['closing offer (no next session)', closingOfferCard(def, { c: aQueuedCase().case, session, position: 4, next: undefined, now: session.opensAt }, locale)],
    // The details asked after a transfer (credit control to indigent queries), first and with errors.
    ['more details', renderCard('moreDetails', moreDetailsContent(def, { ...aQueuedCase().case, category: 'indigent', detailsAsked: { fields: ['idNumber', 'householdSize', 'monthlyHouseholdIncome'], category: 'indigent', at: session.opensAt.toISOString() } }, locale))],
    ['more details with errors', renderCard('moreDetails', moreDetailsContent(def, { ...aQueuedCase().case, category: 'metering', detailsAsked: { fields: ['meterType', 'meterNumber'], category: 'metering', at: session.opensAt.toISOString() } }, locale, { typed: { meterType: 'water', meterNumber: '**x**' }, errors: { meterNumber: 'That is not right.' } }))],
    ['receipt with its reopen button', renderCard('followReceipt', { caseId: 'K7M3PQ', lines: ['Case reference: K7M-3PQ', 'What was decided: \\*\\*x\\*\\*'], reopen: 'Not resolved: reopen' })],
  ];
  for (const category of def.categories) {
    built.push([`intake ${category.code}`, intakeCard(def, category, open, { draftId: 'draft-1' }, locale)]);
    const typed = Object.fromEntries(category.fields.map((f) => [f.name, 'x']));
    const errors = Object.fromEntries(category.fields.map((f) => [f.name, 'That is not right.']));
    built.push([`intake ${category.code} with errors`, intakeCard(def, category, closed, { draftId: 'draft-1', typed, errors }, locale)]);
  }
  return built;
}

describe('Adaptive Card templates', () => {
  for (const name of CARD_NAMES) {
    it(`${name}.json is schema 1.5 at most and parses without errors`, () => {
      const template = cardTemplate(name) as Record<string, unknown>;
      assert.ok(Number(template.version) <= 1.5, `${name} declares version ${String(template.version)}`);
      // A bound enum ("style": "${style}") is only valid once expanded; built cards are checked in full below.
      assert.deepEqual(parseProblems(template).filter((p) => !p.includes('"${')), []);
    });
  }

  // Every card in every language (issue 16): a translation must not break the schema or Teams' size limit.
  const built = LANGUAGES.flatMap((locale) => everyBuiltCard(locale).map(([label, card]) => [locale === 'en' ? label : `${label} [${locale}]`, card] as const));
  for (const [label, card] of built) {
    it(`the ${label} card parses, has labelled unique inputs, known verbs and stays small`, () => {
      assert.deepEqual(parseProblems(card), []);
      const ids = new Set<string>();
      walk(card, (n) => {
        if (typeof n.type === 'string' && n.type.startsWith('Input.')) {
          assert.ok(n.label, `input ${n.id} has a label`);
          assert.ok(!ids.has(n.id), `input id ${n.id} is unique`);
          ids.add(n.id);
        }
        if (n.type === 'Action.Submit') assert.ok(HANDLED_VERBS.has(n.data?.verb), `verb ${n.data?.verb} has a route`);
        for (const value of Object.values(n))
          if (typeof value === 'string') assert.ok(!value.includes('${'), `no unexpanded template expression in ${label}: ${value}`);
      });
      assert.ok(JSON.stringify(card).length < 28_000, `${label} is ${JSON.stringify(card).length} bytes; Teams allows ~80 KB per message`);
    });
  }

  it('tells a ratepayer in another language than English, in the privacy notice, that messages are machine-translated outside South Africa (POPIA s72)', () => {
    const billing = def.categories.find((c) => c.code === 'billing')!;
    const notice = (locale: Locale) => JSON.stringify(intakeCard(def, billing, open, { draftId: 'draft-1' }, locale));
    assert.match(notice('af'), /Microsoft Azure AI Translator\), wat hulle buite Suid-Afrika verwerk \(POPIA artikel 72\)/);
    for (const locale of LANGUAGES.filter((l) => l !== 'en')) assert.match(notice(locale), /Azure AI Translator/, locale);
    assert.doesNotMatch(notice('en'), /Translator/, 'in English nothing is translated');
  });

  it('keeps what a ratepayer typed as data: template syntax in an answer is not evaluated', () => {
    const billing = def.categories.find((c) => c.code === 'billing')!;
    const card = intakeCard(def, billing, open, { draftId: 'draft-1', typed: { accountHolder: '${draftId} ${1+1}' } });
    let value: unknown;
    walk(card, (n) => {
      if (n.id === 'accountHolder') value = n.value;
    });
    assert.equal(value, '${draftId} ${1+1}');
  });
});
