/**
 * Errors that say too much, and logs a client can forge: malformed activities get 400 with a
 * short reason of ours, failures (the connector's included) get a message of ours and never the
 * internal text, and every line the service logs is one JSON object, whatever a client sent.
 */
import assert from 'node:assert/strict';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, messageFrom, postActivity } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { openCosmos } from '../../bot/platform/cosmos/database.js';
import { freshDatabase } from '../support/cosmos.js';
import { startFaultProxy } from '../support/faultProxy.js';
import { captureOutput } from '../support/output.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';

/** Text that only the service's internals, a parser or the connector would produce. */
const INTERNAL_TEXT = /Cannot read|undefined|TypeError|Unexpected token|JSON at position|Expected property|ECONNREFUSED|injected|Injected|stack|at .*\.ts|RestError|does not exist/;

describe('security: error disclosure and log forging', function () {
  this.timeout(40_000);
  let connector: LocalConnector;
  let service: RunningService;

  before(async () => {
    connector = await startLocalConnector();
    service = await startTestService(await freshDatabase(), definitionWithAgents(0), { scheduler: { start: false } });
  });
  after(async () => {
    await service?.close();
    await connector?.close();
  });

  async function postRaw(body: string): Promise<{ status: number; text: string }> {
    const res = await fetch(`${service.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, text: await res.text() };
  }

  it('answers malformed activities 400 with a short reason of ours', async () => {
    const user = aRatepayer();
    const whole = messageFrom(user, connector.serviceUrl, { text: 'hi' });
    const without = (field: string) => JSON.stringify(Object.fromEntries(Object.entries(whole).filter(([k]) => k !== field)));
    const cases: [string, string, RegExp][] = [
      ['{"type":"message"}', 'only a type', /conversation/],
      [without('conversation'), 'no conversation', /conversation/],
      [without('from'), 'no sender', /from/],
      [without('serviceUrl'), 'no serviceUrl', /serviceUrl/],
      [JSON.stringify({ ...whole, conversation: { id: 42 } }), 'a numeric conversation id', /conversation\.id/],
      [JSON.stringify({ ...whole, from: 'someone' }), 'a sender that is not an object', /from/],
      [JSON.stringify({ ...whole, serviceUrl: 'not a url' }), 'a serviceUrl that is not a URL', /serviceUrl/],
      ['[]', 'an array', /malformed/],
      ['"message"', 'a string', /malformed/],
      ['{"type":', 'broken JSON', /not valid JSON/],
    ];
    for (const [body, label, reason] of cases) {
      const res = await postRaw(body);
      assert.equal(res.status, 400, `${label}: ${res.status} ${res.text}`);
      const answer = JSON.parse(res.text) as { error: string; message: string };
      assert.match(answer.message, reason, label);
      assert.doesNotMatch(res.text, INTERNAL_TEXT, label);
      assert.ok(answer.message.length < 160, label);
    }
  });

  it("never repeats the connector's error: a failing connector gets a 500 with a message of ours", async () => {
    const output = captureOutput();
    try {
      // The connector refuses (403: not retried) every send to this chat.
      const refused = aRatepayer();
      connector.failNext(refused.conversationId, [403, 403, 403]);
      const res = await fetch(`${service.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageFrom(refused, connector.serviceUrl, { text: 'hi' })),
      });
      const text = await res.text();
      assert.equal(res.status, 500, text);
      assert.doesNotMatch(text, INTERNAL_TEXT);
      assert.equal(JSON.parse(text).error, 'internal');
      // Nobody listening at all.
      const unreachable = aRatepayer();
      const dead = await postRaw(JSON.stringify(messageFrom(unreachable, 'http://127.0.0.1:1/', { text: 'hi' })));
      assert.equal(dead.status, 500, dead.text);
      assert.doesNotMatch(dead.text, INTERNAL_TEXT);
    } finally {
      output.restore();
    }
  });

  it('the tab API and unknown routes answer with messages of ours, not the parser\'s or the router\'s', async () => {
    const agent = await signIn(service, 'thandi');
    const broken = await fetch(`${service.url}/api/cases/ABC234/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agent.token}` },
      body: '{"text": "hello',
    });
    const brokenText = await broken.text();
    assert.equal(broken.status, 400);
    assert.doesNotMatch(brokenText, INTERNAL_TEXT);
    const unknown = await fetch(`${service.url}/api/no-such-route/%3Cscript%3E`);
    const unknownText = await unknown.text();
    assert.equal(unknown.status, 404);
    assert.doesNotMatch(unknownText, /script|no-such-route/);
    // The browser's own ask for an icon (the tab and the chat page have none) is no error: nothing, on purpose.
    const icon = await fetch(`${service.url}/favicon.ico`);
    assert.equal(icon.status, 204);
  });

  it("/health says the store does not answer, never the store's own error", async () => {
    const db = await freshDatabase();
    const proxy = await startFaultProxy(db.settings.endpoint);
    const viaProxy = await openCosmos({ endpoint: proxy.url, key: db.settings.key, auth: 'key', databaseId: db.settings.databaseId });
    const sick = await startTestService(viaProxy, definitionWithAgents(0), { scheduler: { start: false } });
    const output = captureOutput();
    try {
      proxy.decide = () => ({ kind: 'before', status: 500 });
      const res = await fetch(`${sick.url}/health`);
      const text = await res.text();
      assert.equal(res.status, 503);
      assert.deepEqual(JSON.parse(text), { status: 'unavailable', mode: 'local', ok: false, detail: 'The case store does not answer.' });
      assert.doesNotMatch(text, new RegExp(`${new URL(proxy.url).port}|127\\.0\\.0\\.1|ActivityId|Message`));
    } finally {
      output.restore();
      proxy.decide = () => ({ kind: 'pass' });
      await sick.close();
      await proxy.close();
    }
  });

  it('logs one JSON object a line: a conversation id with line breaks cannot forge a line', async () => {
    const forged = '{"level":"error","service":"ratepayer-desk","msg":"forged: agent thandi exported every case"}';
    const output = captureOutput();
    let lines: string[];
    try {
      for (const breakWith of ['\n', '\r\n']) {
        const user = { ...aRatepayer(), conversationId: `a:personal-x${breakWith}${forged}` };
        // Nobody listening: the turn fails and the failure is logged with the conversation id.
        const status = await postActivity(service.url, messageFrom(user, 'http://127.0.0.1:1/', { text: 'hi' }));
        assert.equal(status, 500);
      }
    } finally {
      lines = output.lines();
      output.restore();
    }
    assert.ok(lines.length > 0, 'the failures were logged');
    for (const line of lines) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        assert.fail(`a log line that is not JSON: ${line.slice(0, 200)}`);
      }
      assert.equal(record.service, 'ratepayer-desk', line.slice(0, 200));
      assert.doesNotMatch(String(record.msg), /forged/, 'a forged record');
    }
    assert.ok(
      lines.map((l) => JSON.parse(l) as Record<string, unknown>).some((r) => typeof r.conversation === 'string' && r.conversation.includes('forged')),
      'the id is kept, escaped, inside a record',
    );
  });
});
