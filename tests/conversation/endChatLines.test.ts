/**
 * Tester 7, finding 10, what was left: how the ratepayer's end-chat request is written on the
 * transcript, and what the end-chat question claims. An Afrikaans ratepayer with an expert types
 * "kanselleer" and presses "Ja, beëindig die gesprek": the command word is kept as the command it
 * is (`command: 'endChat'`, as typed) and the choice as a press with the catalogue's English, and
 * neither goes to the Translator (they reached the expert as "[en] kanselleer" and "[en] [Gekies:
 * …]"). The question says the expert "has seen what you wrote" only when the ratepayer has written
 * to that expert since they took the case: not a minute after a supervisor reassigned it.
 * Over the Bot Framework protocol (activities POSTed to /api/messages, replies read at the local
 * connector), the tab API over real HTTP, cases in the embedded Cosmos DB, the Translator client
 * against its local stand-in (real HTTP).
 */
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { translatorFromSettings } from '../../bot/platform/translator/client.js';
import { formatReference } from '../../bot/domain/reference.js';
import { t } from '../../bot/messages/index.js';
import { programmeWordsIn } from '../../bot/domain/serviceDefinition.js';
import type { RunningService } from '../../bot/service.js';
import { startTranslatorStandIn, type TranslatorStandIn } from '../../devTools/translator/server.js';
import { aRatepayer, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from '../support/tabApi.js';
import { teamsChat, type TeamsChat } from '../support/answers.js';

const definition = definitionWithAgents(0);
const billing = { accountNumber: '501234567', accountHolder: 'Anna Botha', mobile: '0821234567', description: 'My rekening het in Maart verdubbel.' };

interface Entry {
  id: string;
  at: string;
  from: string;
  text: string;
  command?: string;
  pressed?: boolean;
  translation?: { status: string; from: string; to: string; text?: string };
}

describe('the end-chat request on the transcript, and what the question claims', function () {
  this.timeout(60_000);
  let connector: LocalConnector;
  let standIn: TranslatorStandIn;
  let service: RunningService;
  let thandi: ApiClient;
  let supervisor: ApiClient;
  let chat: TeamsChat;
  let now: Date;

  beforeEach(async () => {
    now = new Date('2026-11-30T09:15:00.000Z');
    connector = await startLocalConnector();
    standIn = await startTranslatorStandIn();
    service = await startTestService(await freshDatabase(), definition, {
      clock: { now: () => now },
      pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 },
      translator: translatorFromSettings({ endpoint: standIn.url, auth: { kind: 'key', key: standIn.auth.key!, region: standIn.auth.region! }, timeoutMs: 1000 }),
    });
    thandi = await signIn(service, 'thandi');
    supervisor = await signIn(service, 'johan');
    // Anna's Teams client is set to Afrikaans.
    chat = teamsChat(connector, service.url, { locale: 'af-ZA' });
  });

  afterEach(async () => {
    await service.close();
    await connector.close();
    await standIn.close();
  });

  /** Everything sent to the Translator, as one text. */
  const translated = () => JSON.stringify(standIn.requests.filter((r) => r.path === '/translate').map((r) => r.body));

  async function transcript(reference: string): Promise<Entry[]> {
    const page = await thandi.get(`/api/cases/${reference}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    return page.body.transcript as Entry[];
  }

  /** Anna greets in Afrikaans and queues a billing query; Thandi claims it at 09:23. */
  async function withThandi(): Promise<{ anna: TestUser; reference: string }> {
    const anna = aRatepayer('Anna Botha');
    await chat.answer(anna, 'Goeie môre', [t('af', 'cards.welcome.title', { programme: programmeWordsIn(definition, 'af').name })]);
    const queued = await chat.answer(anna, { value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${anna.aadObjectId}`, ...billing } }, [t('af', 'cards.queued.headline')]);
    const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(queued)![1]!.replace('-', '');
    now = new Date('2026-11-30T09:23:00.000Z');
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    return { anna, reference };
  }

  /** The end-chat question's body as Anna read it, after typing `word`. */
  const askEnd = (anna: TestUser, word: string) => chat.answer(anna, word, [t('af', 'cards.endChat.yes'), t('af', 'cards.endChat.no')]);

  it('"kanselleer" is kept as the end-chat command and "Ja, beëindig die gesprek" as a press in catalogue English: neither goes to the Translator; the question says Thandi has seen what Anna wrote to her', async () => {
    const { anna, reference } = await withThandi();
    // Anna writes to Thandi: a message, machine-translated for her.
    now = new Date('2026-11-30T09:24:00.000Z');
    const message = 'Ek wag nog vir die regstelling.';
    await chat.say(anna, message);
    const until = Date.now() + 8000;
    while (!(await transcript(reference)).some((e) => e.text === message)) {
      if (Date.now() > until) assert.fail('her message never reached the case');
      await new Promise((r) => setTimeout(r, 25));
    }

    now = new Date('2026-11-30T09:25:00.000Z');
    const question = await askEnd(anna, 'kanselleer');
    assert.ok(question.includes(t('af', 'cards.endChat.body', { expert: 'Thandi', reference: formatReference(reference) })), `she wrote to Thandi, so the question may say Thandi has seen it: ${question}`);
    await chat.answer(anna, { value: { verb: 'case.endChat', reference, choice: 'end' } }, [t('af', 'cancel.toldExpert', { expert: 'Thandi', reference: formatReference(reference) })]);

    const entries = await transcript(reference);
    const typed = entries.find((e) => e.from === 'ratepayer' && e.text === 'kanselleer');
    assert.ok(typed, `the word she typed is on the transcript: ${JSON.stringify(entries, null, 1)}`);
    assert.equal(typed.command, 'endChat', 'kept as the command it is');
    assert.equal(typed.translation, undefined, `not translated: ${JSON.stringify(typed)}`);
    const pressed = entries.find((e) => e.from === 'ratepayer' && e.text === t('af', 'cancel.choseEnd'));
    assert.ok(pressed, `her choice is on the transcript: ${JSON.stringify(entries, null, 1)}`);
    assert.equal(pressed.pressed, true, 'kept as a press of a button');
    assert.deepEqual(pressed.translation, { status: 'catalogue', from: 'af', to: 'en', text: t('en', 'cancel.choseEnd') });
    // Her message went to the Translator; the command word and the choice did not.
    assert.ok(translated().includes(message), `her message was translated: ${translated()}`);
    assert.ok(!translated().includes('kanselleer'), `the command word went to the Translator: ${translated()}`);
    assert.ok(!translated().includes(t('af', 'cancel.choseEnd')), `the choice went to the Translator: ${translated()}`);
  });

  it('a minute after a supervisor reassigns the case to Sipho, "kanselleer" gets a question that does not say Sipho has seen what Anna wrote (she wrote only to Thandi); once she writes to Sipho, it does', async () => {
    const { anna, reference } = await withThandi();
    now = new Date('2026-11-30T09:24:00.000Z');
    const toThandi = 'Ek wag nog vir die regstelling.';
    await chat.say(anna, toThandi);
    const until = Date.now() + 8000;
    while (!(await transcript(reference)).some((e) => e.text === toThandi)) {
      if (Date.now() > until) assert.fail('her message never reached the case');
      await new Promise((r) => setTimeout(r, 25));
    }

    now = new Date('2026-11-30T09:30:00.000Z');
    const moved = await supervisor.post(`/api/supervisor/cases/${reference}/assign`, { agentId: 'sipho' });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    now = new Date('2026-11-30T09:31:00.000Z');
    const nothingYet = await askEnd(anna, 'kanselleer');
    const withoutClaim = t('af', 'cards.endChat.bodyNothingWritten', { expert: 'Sipho', reference: formatReference(reference) });
    const claim = t('af', 'cards.endChat.body', { expert: 'Sipho', reference: formatReference(reference) });
    assert.ok(!nothingYet.includes(claim), `the question claims Sipho has seen what she wrote: ${nothingYet}`);
    assert.ok(nothingYet.includes(withoutClaim), `the question without the claim: ${nothingYet}`);

    // She carries on and writes to Sipho: now he has been shown something she wrote.
    now = new Date('2026-11-30T09:32:00.000Z');
    await chat.answer(anna, { value: { verb: 'case.endChat', reference, choice: 'continue' } }, [t('af', 'cancel.stillConnected', { expert: 'Sipho' })]);
    const stillAsked = await askEnd(anna, 'kanselleer');
    assert.ok(stillAsked.includes(withoutClaim), `a button pressed and a command typed are not something she wrote: ${stillAsked}`);
    await chat.answer(anna, { value: { verb: 'case.endChat', reference, choice: 'continue' } }, [t('af', 'cancel.stillConnected', { expert: 'Sipho' })]);
    now = new Date('2026-11-30T09:33:00.000Z');
    const toSipho = 'Sipho, die bedrag is nog verkeerd.';
    await chat.say(anna, toSipho);
    const until2 = Date.now() + 8000;
    while (!(await transcript(reference)).some((e) => e.text === toSipho)) {
      if (Date.now() > until2) assert.fail('her message to Sipho never reached the case');
      await new Promise((r) => setTimeout(r, 25));
    }
    now = new Date('2026-11-30T09:34:00.000Z');
    const afterWriting = await askEnd(anna, 'kanselleer');
    assert.ok(afterWriting.includes(claim), `she wrote to Sipho, so the question says he has seen it: ${afterWriting}`);
  });
});
