/**
 * Cosmos DB answering 429 (with x-ms-retry-after-ms) and 503 on a share of requests: a
 * fault-injecting proxy sits between the service's @azure/cosmos client and the embedded server.
 * The SDK's own retry policy is part of what is tested (it retries 429; with one region and
 * endpoint discovery off it does not retry 503). Ratepayers submit intakes and agents claim
 * while the faults run; whoever gets an error is told so clearly and tries again, as a person
 * would. Nothing may be duplicated or lost.
 */
import assert from 'node:assert/strict';
import { openCosmos } from '../../bot/platform/cosmos/database.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy.js';
import { recordFigures } from '../support/figures.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';

const RATEPAYERS = 60;
const AGENTS = 6;
const FAULT_SHARE = 0.2;

describe('resilience: Cosmos DB answering 429 and 503 on a share of requests', function () {
  this.timeout(90_000);
  let connector: LocalConnector;
  let proxy: FaultProxy;
  let service: RunningService;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const definition = definitionWithAgents(AGENTS);

  before(async () => {
    connector = await startLocalConnector();
    db = await freshDatabase();
    proxy = await startFaultProxy(db.settings.endpoint);
    const viaProxy = await openCosmos({ endpoint: proxy.url, key: db.settings.key, auth: 'key', databaseId: db.settings.databaseId });
    service = await startTestService(viaProxy, definition, { scheduler: { start: false } });
  });
  after(async () => {
    await service.close();
    await proxy.close();
    await connector.close();
  });

  it('every intake and claim completes or fails with a clear message; retried, each gets through once; no duplicates', async () => {
    const started = Date.now();
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    proxy.decide = () => {
      const x = random();
      if (x >= FAULT_SHARE) return { kind: 'pass' };
      if (x < FAULT_SHARE * 0.5) return { kind: 'before', status: 429, headers: { 'x-ms-retry-after-ms': '40', 'x-ms-substatus': '3200' } };
      // 503s: most before the store (nothing written), some after (written, the answer lost).
      return x < FAULT_SHARE * 0.85 ? { kind: 'before', status: 503 } : { kind: 'after', status: 503 };
    };

    const outcome = { acknowledged: 0, apologies: 0, unclear: 0, duplicateAnswers: 0, turnsTried: 0 };
    const unclearExamples: string[] = [];
    const references = new Map<string, string>();

    const ratepayer = async (user: TestUser) => {
      // The intake card (its draftId is what makes a second submission the same case).
      let draft: { draftId: string; category: string } | undefined;
      // A person keeps trying; with a fifth of all store requests failing, some need many tries.
      for (let tries = 0; !draft && tries < 20; tries++) {
        const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
        outcome.turnsTried++;
        await postActivity(service.url, messageFrom(user, connector.serviceUrl, { text: 'billing' }));
        const reply = connector.sent.filter((s) => s.conversationId === user.conversationId).slice(before)[0]?.body;
        const card = reply && cardOf(reply);
        if (card?.actions?.[0]?.data?.draftId) draft = card.actions[0].data;
        else if (/something went wrong on our side/.test(reply?.text ?? '')) outcome.apologies++;
        else {
          outcome.unclear++;
          unclearExamples.push(JSON.stringify(reply ?? null).slice(0, 200));
        }
      }
      assert.ok(draft, 'got an intake card');
      for (let tries = 0; tries < 20; tries++) {
        const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
        outcome.turnsTried++;
        await postActivity(
          service.url,
          messageFrom(user, connector.serviceUrl, {
            value: { verb: 'intake.submit', ...draft, accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '0821234567', email: '', description: 'My bill doubled in March.' },
          }),
        );
        const replies = connector.sent.filter((s) => s.conversationId === user.conversationId).slice(before).map((s) => s.body);
        const queued = replies.find((r) => /Your case reference is ([A-Z0-9-]+)/.test(r.summary ?? ''));
        if (queued) {
          const ref = /Your case reference is ([A-Z0-9-]+)/.exec(queued.summary)![1]!;
          if (/already have your details/i.test(JSON.stringify(cardOf(queued)))) outcome.duplicateAnswers++;
          references.set(user.conversationId, ref.replace('-', ''));
          outcome.acknowledged++;
          return;
        }
        if (replies.some((r) => /something went wrong on our side/.test(r.text ?? ''))) outcome.apologies++;
        else {
          outcome.unclear++;
          unclearExamples.push(JSON.stringify(replies).slice(0, 200));
        }
      }
    };

    const claims = { won: 0, busyAnswers: 0, unclear: 0, empty: 0, calls: 0 };
    const claimedBy = new Map<string, string[]>();
    let ratepayersDone = false;
    const agent = async (id: string) => {
      const client = await signIn(service, id).catch(async () => signIn(service, id));
      for (;;) {
        claims.calls++;
        const res = await client.post('/api/queue/claim-next');
        if (res.status === 200) {
          claims.won++;
          claimedBy.set(res.body.reference, [...(claimedBy.get(res.body.reference) ?? []), id]);
        } else if (res.status === 404) {
          claims.empty++;
          if (ratepayersDone) break;
          await new Promise((r) => setTimeout(r, 50));
        } else if (res.status === 503 && typeof res.body?.message === 'string' && /try again/i.test(res.body.message)) claims.busyAnswers++;
        else if (res.status === 409) continue;
        else {
          claims.unclear++;
          unclearExamples.push(`${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        }
      }
    };

    const users = Array.from({ length: RATEPAYERS }, () => aRatepayer());
    const agentsRun = Promise.all(Array.from({ length: AGENTS }, (_, i) => agent(`agent${String(i + 1).padStart(2, '0')}`)));
    await Promise.all(users.map((u, i) => new Promise((r) => setTimeout(r, i * 20)).then(() => ratepayer(u))));
    ratepayersDone = true;
    await agentsRun;
    proxy.decide = () => ({ kind: 'pass' });

    // Read the truth straight from the server, not through the proxy.
    const stored = (await db.cases.items.query<{ id: string; draftId: string; state: string; audit: { action: string }[] }>('SELECT c.id, c.draftId, c.state, c.audit FROM c').fetchAll()).resources;
    const perDraft = new Map<string, number>();
    for (const c of stored) perDraft.set(c.draftId, (perDraft.get(c.draftId) ?? 0) + 1);
    const duplicates = [...perDraft.values()].filter((n) => n > 1).length;
    const doubleClaims = stored.filter((c) => c.audit.filter((e) => e.action === 'claimed').length > 1).length + [...claimedBy.values()].filter((a) => a.length > 1).length;
    const missing = [...references.values()].filter((ref) => !stored.some((c) => c.id === ref)).length;
    const inProgress = stored.filter((c) => c.state === 'in_progress').length;
    const conversations = (await db.conversations.items.query<{ id: string }>('SELECT c.id FROM c').fetchAll()).resources.map((c) => c.id);
    const withoutReference = users.filter((u) => !conversations.includes(u.conversationId)).length;
    const injected = Object.values(proxy.stats.injected).reduce((a, b) => a + b, 0);
    recordFigures(
      'faults.cosmos-429-503',
      'Cosmos DB answering 429 and 503',
      {
        'requests to Cosmos DB': proxy.stats.requests,
        'faults injected': injected,
        ...Object.fromEntries(Object.entries(proxy.stats.injected).map(([k, v]) => [`injected ${k.replace('before', 'before the store').replace('after', 'after the write (answer lost)')}`, v])),
        ratepayers: RATEPAYERS,
        'bot turns tried (first tries and retries)': outcome.turnsTried,
        'intakes acknowledged with a reference': outcome.acknowledged,
        '… of which answered "we already have your details" (a retry after a lost answer)': outcome.duplicateAnswers,
        'turns answered "something went wrong… try again"': outcome.apologies,
        'claim-next calls': claims.calls,
        'claims answered 200': claims.won,
        'claims saved but their answer lost (the case is in the agent\'s own list)': inProgress - claims.won,
        'claim calls answered "busy, try again"': claims.busyAnswers,
        'unclear answers': outcome.unclear + claims.unclear,
        'cases stored': stored.length,
        'duplicate cases': duplicates,
        'acknowledged cases missing': missing,
        'acknowledged ratepayers without a stored conversation reference': withoutReference,
        'double claims': doubleClaims,
        'duration (s)': Number(((Date.now() - started) / 1000).toFixed(1)),
      },
      `A proxy in front of the embedded server answers ${FAULT_SHARE * 100}% of requests with a fault: half of them 429 with \`x-ms-retry-after-ms: 40\` (retried by the SDK), the rest 503 — 85% of those before the request reaches the store, 15% after the write happened with the answer lost. ${RATEPAYERS} ratepayers each ask for a billing card and submit it, trying again (the same card) after an apology, as a person would; ${AGENTS} agents call claim-next until every case is claimed, retrying on a "busy" answer.`,
    );
    assert.deepEqual(unclearExamples, []);
    assert.equal(outcome.acknowledged, RATEPAYERS, 'every ratepayer got through');
    assert.equal(duplicates, 0);
    assert.equal(missing, 0);
    assert.equal(stored.length, RATEPAYERS);
    assert.equal(doubleClaims, 0);
    assert.equal(inProgress, RATEPAYERS, 'every case claimed once');
    assert.equal(withoutReference, 0, 'the bot can reach every acknowledged ratepayer later');
    assert.ok(injected > 50, 'faults were injected');
  });
});
