/**
 * A fuzz run of card submissions (through the bot endpoint, as Teams would POST them) and tab
 * API bodies (over HTTP): missing and extra fields, wrong types, huge strings (up to 1 MB),
 * control characters, script and markup injection, template expressions, Unicode look-alikes
 * and numbers at the edges. Each must get a clear error card or a 4xx naming what was wrong, the
 * service must stay up, nothing may be stored from a rejected input, and nothing typed may reach
 * a card's text unescaped. The generator is seeded, so a failure can be replayed.
 */
import assert from 'node:assert/strict';
import type { RunningService } from '../../bot/service.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import { aRatepayer, cardOf, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { recordFigures } from '../support/figures.js';
import { definitionWithAgents, seedCase, signIn, startTestService, type ApiClient } from '../support/tabApi.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20220801);
const CARD_INPUTS = Number(process.env.FUZZ_CARDS ?? 1500);
const API_INPUTS = Number(process.env.FUZZ_API ?? 8500);
const HUGE_INPUTS = 24;
const AT_ONCE = 12;

/** mulberry32: small, fast and seeded. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

/** Payloads people and attackers type. Markers let the test find them in what comes back. */
const NASTY = [
  '<script>alert("xss")</script>',
  '"><img src=x onerror=alert(1)>',
  '[click me](javascript:alert(1))',
  '**bold** _it_ # heading',
  '${$root.ratepayer}',
  '${intake.idNumber}',
  '{{constructor.constructor("return process")()}}',
  "'; DROP TABLE cases; --",
  'SELECT * FROM c WHERE 1=1',
  '\u0000\u0001\u0007\u001b[31m',
  '\u202eevil\u202c',
  'zero\u200bwidth\u200d',
  '５０１２３４５６７', // full-width digits
  '٥٠١٢٣٤٥٦٧', // Arabic-Indic digits
  'Lеrato Mоlefe', // Cyrillic е and о
  '0８2 123 4567',
  '𝟓𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕',
  '🏠💧⚡',
  'a'.repeat(5000),
  '\n'.repeat(200),
  '\ud800', // a lone surrogate
  '%00%0d%0a',
  '../../etc/passwd',
  '__proto__',
];
const EDGE_NUMBERS = [0, -0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 5e-324, 999999999, 1000000000];
const WRONG_TYPES: unknown[] = [null, true, false, [], ['501234567'], {}, { value: '501234567' }, ...EDGE_NUMBERS];

function nastyString(r: Rng): string {
  switch (r.int(6)) {
    case 0:
      return r.pick(NASTY);
    case 1:
      return r.pick(NASTY) + r.pick(NASTY);
    case 2:
      return Array.from({ length: r.int(40) }, () => String.fromCharCode(r.int(0x3000))).join('');
    case 3:
      return String(r.pick(EDGE_NUMBERS));
    case 4:
      return ' '.repeat(r.int(5)) + r.pick(['501234567', '5012 345 67', '+27821234567', '8001015009087', 'Lerato Molefe']) + r.pick(['', ' ', 'x', r.pick(NASTY)]);
    default:
      return 'x'.repeat(r.int(3) === 0 ? 100_000 : r.int(300));
  }
}

const GOOD_BILLING: Record<string, unknown> = {
  accountNumber: '501234567',
  accountHolder: 'Lerato Molefe',
  mobile: '082 123 4567',
  email: '',
  description: 'My bill doubled in March and nobody has explained why.',
};

/** A mutated intake submission: at least one thing wrong, often several. */
function fuzzCard(r: Rng, draftId: string): Record<string, unknown> {
  const value: Record<string, unknown> = { verb: 'intake.submit', category: 'billing', draftId, ...GOOD_BILLING };
  const mutations = 1 + r.int(3);
  for (let i = 0; i < mutations; i++) {
    const field = r.pick([...Object.keys(GOOD_BILLING), 'category', 'draftId']);
    switch (r.int(5)) {
      case 0:
        delete value[field];
        break;
      case 1:
        value[field] = r.pick(WRONG_TYPES);
        break;
      case 2:
        value[r.pick(['extra', '__proto__', 'constructor', 'ttl', 'state', 'assignedTo', 'id', '$root', 'x'.repeat(300)])] = nastyString(r);
        break;
      default:
        value[field] = nastyString(r);
    }
  }
  return value;
}

/** Text of every TextBlock / TextRun / FactSet fact in a card: what Teams renders as Markdown. */
function renderedTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if ((n.type === 'TextBlock' || n.type === 'TextRun') && typeof n.text === 'string') out.push(n.text);
      if (typeof n.title === 'string' && typeof n.value === 'string' && !('type' in n)) out.push(n.title, n.value);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out;
}
/** A URL cannot carry a lone surrogate: replaced (as a browser would) with U+FFFD. */
const wellFormed = (s: string): string => (s as string & { toWellFormed(): string }).toWellFormed();
const UNESCAPED = [/<script/i, /<img/i, /\]\(javascript:/i, /\$\{/, /(?<!\\)\*\*bold/];

describe('resilience: a fuzz run of card submissions and tab API bodies', function () {
  this.timeout(150_000);
  let connector: LocalConnector;
  let service: RunningService;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let store: CosmosCaseStore;
  const definition = definitionWithAgents(1);

  before(async () => {
    connector = await startLocalConnector();
    db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    // The limits are tested on their own (limits.test.ts); here they would only slow the fuzz down.
    service = await startTestService(db, definition, {
      scheduler: { start: false },
      rateLimits: { api: { burst: 1e9, perSecond: 1e9 }, bot: { burst: 1e9, perSecond: 1e9 } },
    });
  });
  after(async () => {
    await service.close();
    await connector.close();
  });

  it('answers every card submission with the card back and what to fix, or one case; stores nothing else; escapes what was typed', async () => {
    const r = rng(SEED);
    const started = Date.now();
    const outcome = { errorCard: 0, couldNotRead: 0, unknownCategory: 0, foreignCard: 0, queued: 0, tooLarge: 0, other: 0, unescaped: 0, serverErrors: 0 };
    const queuedDrafts = new Set<string>();
    const rejectedDrafts = new Set<string>();
    // A multiple of the lanes: lane l only ever uses ratepayers l, l + AT_ONCE, …, so one conversation never has two submissions in flight.
    const users: TestUser[] = Array.from({ length: AT_ONCE * 21 }, () => aRatepayer());
    const examples: string[] = [];

    const one = async (i: number) => {
      const user = users[i % users.length]!;
      const draftId = `fuzz-${SEED}-${i}-${r.int(1e9)}`;
      const value = fuzzCard(r, draftId);
      const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
      const status = await postActivity(service.url, messageFrom(user, connector.serviceUrl, { value }));
      if (status >= 500) {
        outcome.serverErrors++;
        return;
      }
      const replies = connector.sent.filter((s) => s.conversationId === user.conversationId).slice(before).map((s) => s.body);
      const first = replies[0];
      const card = first ? cardOf(first) : undefined;
      for (const reply of replies) {
        for (const text of [...renderedTexts(cardOf(reply)), reply.text ?? '']) {
          if (UNESCAPED.some((re) => re.test(text))) {
            outcome.unescaped++;
            if (examples.length < 3) examples.push(text.slice(0, 120));
          }
        }
      }
      const effectiveDraft = typeof value.draftId === 'string' ? value.draftId : undefined;
      if (card && JSON.stringify(card).includes('intake.submit') && /Please check/.test(first?.summary ?? '')) {
        outcome.errorCard++;
        if (effectiveDraft) rejectedDrafts.add(effectiveDraft);
      } else if (card && /Your case reference is/.test(first?.summary ?? '')) {
        outcome.queued++;
        if (effectiveDraft) queuedDrafts.add(effectiveDraft);
      } else if (/could not be read/.test(first?.text ?? '')) outcome.couldNotRead++;
      else if (/no longer offered/.test(first?.text ?? '')) outcome.unknownCategory++;
      // A mutated draftId ("9007199254740991") that another fuzzed chat already queued a case with:
      // a card is bound to its chat, so it is refused here without a word about that case.
      else if (/sent to another chat/.test(first?.text ?? '')) outcome.foreignCard++;
      else {
        outcome.other++;
        if (examples.length < 6) examples.push(JSON.stringify(first ?? { status }).slice(0, 200));
      }
    };

    let next = 0;
    await Promise.all(
      Array.from({ length: AT_ONCE }, async (_, lane) => {
        // Each lane keeps to its own ratepayers, so one conversation's replies never interleave.
        for (let i = lane; i < CARD_INPUTS; i += AT_ONCE) {
          next++;
          await one(i);
        }
      }),
    );

    // Whole activities over the body limit (Teams' own limit is about 100 KB): refused before the bot.
    for (let i = 0; i < HUGE_INPUTS; i++) {
      const user = aRatepayer();
      const value = { ...GOOD_BILLING, verb: 'intake.submit', category: 'billing', draftId: `huge-${i}`, [r.pick(Object.keys(GOOD_BILLING))]: 'A'.repeat(1024 * 1024) };
      const res = await fetch(`${service.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(messageFrom(user, connector.serviceUrl, { value })) });
      const body = await res.text();
      if (res.status === 413 && /exceeds/i.test(body)) outcome.tooLarge++;
      else outcome.other++;
      rejectedDrafts.add(`huge-${i}`);
    }

    const health = await fetch(`${service.url}/health`);
    const stored = (await db.cases.items.query<{ draftId: string }>('SELECT c.draftId FROM c').fetchAll()).resources;
    // A fuzzed draftId can repeat ("501234567x" is a well-formed one): a case counts as rejected
    // input when no submission with its draftId was ever answered with a reference.
    const storedFromRejected = stored.filter((c) => !queuedDrafts.has(c.draftId)).length;
    const rejectedOnly = [...rejectedDrafts].filter((d) => !queuedDrafts.has(d)).length;
    recordFigures(
      'input.fuzz-cards',
      'Fuzzed card submissions (bot endpoint)',
      {
        'card submissions': CARD_INPUTS,
        '1 MB activities': HUGE_INPUTS,
        seed: SEED,
        'answered with the card and what to fix': outcome.errorCard,
        'answered "that form could not be read" + categories': outcome.couldNotRead,
        'answered "no longer offered" + categories': outcome.unknownCategory,
        'answered "sent to another chat" (a card id another chat used)': outcome.foreignCard,
        'valid after mutation (extra fields only): queued once': outcome.queued,
        '1 MB refused with 413 before the bot': outcome.tooLarge,
        'other answers': outcome.other,
        'HTTP 5xx': outcome.serverErrors,
        'typed markup or template text rendered unescaped': outcome.unescaped,
        'cases stored': stored.length,
        'card ids only ever rejected': rejectedOnly,
        'cases stored from a rejected input': storedFromRejected,
        'service healthy afterwards': health.status === 200,
        'duration (s)': Number(((Date.now() - started) / 1000).toFixed(1)),
      },
      'Each submission is the billing intake card with 1–3 mutations: a field removed, given a wrong type (null, boolean, array, object, edge numbers such as 1e308, -0, 2^53+1), an extra field (`__proto__`, `ttl`, `state`, `assignedTo`…), or replaced with script/markup (`<script>`, `[x](javascript:…)`, `**`), template expressions (`${$root…}`), SQL, control and bidi characters, zero-width joiners, look-alike digits (full-width, Arabic-Indic, mathematical) and letters (Cyrillic), lone surrogates, or strings up to 100 KB. Every reply card\'s TextBlocks are searched for the markup unescaped. Then whole 1 MB activities.',
    );
    assert.equal(outcome.serverErrors, 0);
    assert.equal(outcome.other, 0, examples.join('\n'));
    assert.equal(outcome.unescaped, 0, examples.join('\n'));
    assert.equal(storedFromRejected, 0);
    assert.equal(stored.length, queuedDrafts.size);
    assert.equal(health.status, 200);
  });

  it('answers every fuzzed tab API body with 400 naming the field (or 403/404/409/413/415), never 500, and changes nothing', async () => {
    const r = rng(SEED + 1);
    const started = Date.now();
    const thandi = await signIn(service, 'thandi');
    const holder = await signIn(service, 'agent01');
    const target = await seedCase(db, definition, 'billing');
    assert.equal((await holder.post(`/api/cases/${target.id}/claim`)).status, 200);
    const before = await store.get(target.id);

    const statuses = new Map<number, number>();
    let namedField = 0;
    let unnamed400 = 0;
    const unnamedExamples: string[] = [];
    const bodyFields: Record<string, string[]> = {
      notes: ['text'],
      messages: ['text'],
      release: ['note'],
      transfer: ['toCategory', 'note'],
      resolve: ['outcome', 'summary', 'dueDate'],
    };
    const fuzzValue = (): unknown => (r.int(3) === 0 ? r.pick(WRONG_TYPES) : nastyString(r));
    const fuzzBody = (fields: string[]): unknown => {
      if (r.int(12) === 0) return r.pick([null, 'text', 42, [], [{ text: 'x' }], true]);
      const body: Record<string, unknown> = {};
      for (const f of fields) if (r.int(4) !== 0) body[f] = fuzzValue();
      if (r.int(4) === 0) body[r.pick(['extra', '__proto__', 'constructor', 'staffId', 'state', nastyString(r).slice(0, 40)])] = fuzzValue();
      return body;
    };
    const request = async (client: ApiClient): Promise<{ status: number; body: any }> => {
      const kind = r.int(10);
      if (kind < 6) {
        const route = r.pick(Object.keys(bodyFields));
        return client.post(`/api/cases/${target.id}/${route}`, fuzzBody(bodyFields[route]!));
      }
      if (kind === 6) {
        const q: Record<string, string> = {};
        if (r.int(3)) q[r.pick(['reference', 'account', 'extra'])] = wellFormed(nastyString(r).slice(0, 2000));
        if (r.int(3) === 0) q[r.pick(['reference', 'account'])] = wellFormed(nastyString(r).slice(0, 2000));
        return client.post('/api/search', q);
      }
      if (kind === 7) return client.get(`/api/cases/${encodeURIComponent(wellFormed(nastyString(r).slice(0, 500)))}`);
      if (kind === 8) return client.post(`/api/local/token`, r.int(2) ? { staffId: fuzzValue() } : fuzzBody(['staffId']));
      // Not JSON at all, or JSON that does not parse.
      const res = await fetch(`${client.baseUrl}/api/cases/${target.id}/notes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${client.token}`, 'content-type': r.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml']) },
        body: r.pick(['{"text": "unterminated', '<xml/>', 'text=hello', '\u0000\u0000', '{"text": "a", "text": 1}', '[]']),
      });
      const text = await res.text();
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        body = { raw: text };
      }
      return { status: res.status, body };
    };

    const one = async () => {
      const res = await request(thandi);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 400) {
        const named = Array.isArray(res.body?.problems) && res.body.problems.every((p: any) => typeof p.field === 'string' && p.field && typeof p.message === 'string');
        const message = typeof res.body?.message === 'string' && res.body.message.length > 5;
        if (named || message) namedField++;
        else {
          unnamed400++;
          if (unnamedExamples.length < 5) unnamedExamples.push(JSON.stringify(res.body).slice(0, 200));
        }
      }
    };
    let done = 0;
    await Promise.all(
      Array.from({ length: AT_ONCE }, async () => {
        while (done < API_INPUTS) {
          done++;
          await one();
        }
      }),
    );
    // 1 MB bodies on every body route.
    let tooLarge = 0;
    for (let i = 0; i < HUGE_INPUTS; i++) {
      const route = r.pick(Object.keys(bodyFields));
      const res = await thandi.post(`/api/cases/${target.id}/${route}`, { [bodyFields[route]![0]!]: 'B'.repeat(1024 * 1024) });
      if (res.status === 413 && /exceeds/i.test(res.body?.message ?? '')) tooLarge++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    const after = await store.get(target.id);
    const health = await fetch(`${service.url}/health`);
    const unchanged =
      after?.state === before?.state &&
      JSON.stringify(after?.notes ?? []) === JSON.stringify(before?.notes ?? []) &&
      after?.transcript?.length === before?.transcript?.length &&
      after?.audit.filter((e) => e.action !== 'viewed').length === before?.audit.filter((e) => e.action !== 'viewed').length;
    const count = (s: number) => statuses.get(s) ?? 0;
    recordFigures(
      'input.fuzz-api',
      'Fuzzed tab API bodies (HTTP)',
      {
        'API requests': API_INPUTS,
        '1 MB bodies': HUGE_INPUTS,
        seed: SEED + 1,
        'refused 400 naming the field or the problem': namedField,
        'refused 400 without a clear answer': unnamed400,
        'refused 403 (valid body, someone else\'s case)': count(403),
        'refused 404 (no such case)': count(404),
        'refused 409 (conflict)': count(409),
        'refused 413 (body over 256 KB)': count(413),
        'refused 415 (not JSON)': count(415),
        'answered 200 (valid searches)': count(200),
        'HTTP 5xx': [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0),
        'the target case unchanged (notes, transcript, state, audit)': unchanged,
        'service healthy afterwards': health.status === 200,
        'duration (s)': Number(((Date.now() - started) / 1000).toFixed(1)),
      },
      'A billing agent sends fuzzed bodies to the notes, messages, release, transfer and resolve routes of a case another agent holds (so a valid body is refused 403 and nothing may change), fuzzed search queries, fuzzed case references in the path, fuzzed local sign-in bodies, and bodies that are not JSON or do not parse; then 1 MB bodies. Values are drawn from the same generator as the cards.',
    );
    assert.equal([...statuses].filter(([s]) => s >= 500).length, 0, JSON.stringify([...statuses]));
    assert.equal(unnamed400, 0, unnamedExamples.join('\n'));
    assert.equal(tooLarge, HUGE_INPUTS);
    assert.ok(unchanged, 'nothing stored from rejected input');
    assert.equal(health.status, 200);
  });
});
