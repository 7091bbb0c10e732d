/**
 * What the service logs during a ratepayer's whole journey (issue 13 §4, POPIA): intake with a
 * mistake, queue, claim, the conversation both ways, a message that cannot be delivered, the
 * resolution and the survey. Every line is one JSON object, and none holds anything the ratepayer
 * gave: account, ID or mobile number, email, name, or the words they typed.
 */
import assert from 'node:assert/strict';
import type { RunningService } from '../../bot/service.js';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { captureOutput, type CapturedOutput } from '../support/output.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';

const intake = {
  accountNumber: '501 234 567',
  accountHolder: 'Nomvula Zungu-Khanyile',
  mobile: '082 765 4321',
  email: 'nomvula.zk@example.org',
  idNumber: '8001015009087',
  householdSize: '4',
  monthlyHouseholdIncome: '3500',
  description: 'Ngicela usizo: my mother passed away and the marula account is in her name.',
};
const typedLater = ['Is the jacaranda form still needed?', 'My other number is 0731112222.'];
const surveyComment = 'The baobab lady was very kind.';

/** Every form in which what the ratepayer gave could appear in a log. */
const PERSONAL = [
  '501234567', '501 234 567', '8001015009087', '9087"', '0827654321', '082 765 4321', '+27827654321', '827654321',
  'nomvula.zk@example.org', 'Nomvula', 'Zungu', 'Khanyile', 'Sibongile', 'marula', 'Ngicela', 'jacaranda', '0731112222', 'baobab',
];

describe('security: nothing personal in the service log (a whole journey)', function () {
  this.timeout(60_000);
  let connector: LocalConnector;
  let service: RunningService;
  let output: CapturedOutput | undefined;

  before(async () => {
    connector = await startLocalConnector();
    service = await startTestService(await freshDatabase(), definitionWithAgents(0), {
      scheduler: { start: false },
      pacing: { ...TEAMS_LIMITS, maxAttempts: 2, baseBackoffMs: 20, maxBackoffMs: 40, outageBudgetMs: 2000 },
    });
  });
  after(async () => {
    output?.restore();
    await service?.close();
    await connector?.close();
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  async function say(user: TestUser, fields: { text?: string; value?: unknown }) {
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, fields)), 200);
  }
  async function inChat(user: TestUser, pattern: RegExp): Promise<Record<string, any>> {
    for (let waited = 0; ; waited += 25) {
      const found = sentTo(user).find((a) => pattern.test(`${a.text ?? ''}\n${cardText(cardOf(a) ?? {})}`));
      if (found) return found;
      if (waited > 8000) assert.fail(`no message matching ${pattern}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  /** A value somewhere in a card's actions (the intake card's draftId, say). */
  function findValue(node: unknown, key: string): string | undefined {
    if (Array.isArray(node)) return node.map((n) => findValue(n, key)).find((v) => v !== undefined);
    if (!node || typeof node !== 'object') return undefined;
    const record = node as Record<string, unknown>;
    if (typeof record[key] === 'string') return record[key] as string;
    return Object.values(record).map((v) => findValue(v, key)).find((v) => v !== undefined);
  }

  it('logs only JSON lines without a trace of the ratepayer, through intake, claim, relay, a failed delivery and resolution', async () => {
    const user = aRatepayer('Sibongile Zungu');
    output = captureOutput();
    try {
      await say(user, { text: 'indigent' });
      const card = cardOf(await inChat(user, /ID number/))!;
      const draftId = findValue(card, 'draftId');
      assert.ok(draftId, 'the intake card carries its draftId');
      // A mistake first (the ID number's check digit), then the right details.
      await say(user, { value: { verb: 'intake.submit', category: 'indigent', draftId, ...intake, idNumber: '8001015009088' } });
      await inChat(user, /check digit|not a valid|ID number/i);
      await say(user, { value: { verb: 'intake.submit', category: 'indigent', draftId, ...intake } });
      const confirmation = await inChat(user, /Your case reference/);
      const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(cardOf(confirmation)))![1]!.replace('-', '');

      // While waiting, the chat cannot be answered: the turn fails and is logged.
      connector.failNext(user.conversationId, [403, 403, 403, 403, 403, 403]);
      assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { text: 'status of the marula account, Nomvula here' })), 500);
      connector.failNext(user.conversationId, []);

      const priya = await signIn(service, 'priya');
      assert.equal((await priya.post(`/api/cases/${reference}/claim`)).status, 200);
      await inChat(user, /connected|expert/i);
      for (const text of typedLater) await say(user, { text });
      assert.equal((await priya.post(`/api/cases/${reference}/messages`, { text: 'Sawubona Nomvula, I have your marula account open.' })).status, 200);
      // The chat cannot be reached for the next message: the failure is logged.
      connector.failNext(user.conversationId, [500, 500, 500, 500]);
      assert.equal((await priya.post(`/api/cases/${reference}/messages`, { text: 'Nomvula, please send the death certificate.' })).status, 200);
      for (let waited = 0; waited < 5000; waited += 50) {
        const page = await priya.get(`/api/cases/${reference}`);
        if (page.body.transcript.some((e: any) => e.delivery?.status === 'failed')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal((await priya.post(`/api/cases/${reference}/notes`, { text: 'Nomvula Zungu-Khanyile, ID 8001015009087, will bring papers.' })).status, 200);
      assert.equal((await priya.post(`/api/cases/${reference}/resolve`, { outcome: 'resolved', summary: 'Registered Nomvula for ESP; marula account moved.' })).status, 200);
      const survey = cardOf(await inChat(user, /How did we do|rate|survey/i))!;
      await say(user, { value: { verb: 'survey.submit', reference, caseId: reference, rating: '5', comment: surveyComment, ...(findValue(survey, 'caseId') ? { caseId: findValue(survey, 'caseId') } : {}) } });
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      output.restore();
    }
    const lines = output.lines();
    output = undefined;
    assert.ok(lines.length >= 1, 'the failed delivery was logged (the check has something to read)');
    for (const line of lines) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        assert.fail(`not one JSON object: ${line.slice(0, 200)}`);
      }
      assert.equal(record.service, 'ratepayer-desk');
      for (const value of PERSONAL) assert.ok(!line.includes(value), `the log holds "${value}": ${line.slice(0, 300)}`);
    }
  });
});

describe('security: one logger for the whole service', () => {
  it('has no console.* call in bot/ outside bot/platform/log.ts, so every line is JSON through pino', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const root = path.resolve(import.meta.dirname, '../../bot');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts') && file !== path.join(root, 'log.ts')) {
          readFileSync(file, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (/\bconsole\.(log|info|warn|error|debug|trace)\(/.test(line) && !/^\s*(\/\/|\*)/.test(line))
                offenders.push(`${path.relative(root, file)}:${i + 1}`);
            });
        }
      }
    };
    walk(root);
    assert.deepEqual(offenders, [], 'console.* calls in bot/');
  });
});
