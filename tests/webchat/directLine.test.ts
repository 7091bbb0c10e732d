/**
 * The local Direct Line stand-in (devTools/directLine.ts) against the real service: the REST
 * contract the page uses, and activities reaching the bot as the real channel sends them.
 */
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import type { RunningService } from '../../bot/service.js';
import { startLocalDirectLine, type LocalDirectLine } from '../../devTools/directLine.js';
import { cardOf } from '../support/activities.js';
import { t } from '../../bot/messages/index.js';
import { freshDatabase } from '../support/cosmos.js';
import { startTestService } from '../support/tabApi.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';

const SECRET = 'local-direct-line-secret';

async function call(url: string, credential: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${credential}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function until<T>(what: () => T | undefined, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = what();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('Local Direct Line stand-in with the real bot', () => {
  let service: RunningService;
  let directLine: LocalDirectLine;
  let store: CosmosCaseStore;

  beforeEach(async () => {
    const db = await freshDatabase();
    store = new CosmosCaseStore(db.cases);
    service = await startTestService(db, loadDefinition(LOCAL_DEFINITION), { scheduler: { start: false } });
    directLine = await startLocalDirectLine({ botEndpoint: `${service.url}/api/messages`, secret: SECRET });
  });

  afterEach(async () => {
    await directLine.close();
    await service.close();
  });

  async function startConversation(userId = 'dl_test-user') {
    const generated = await call(`${directLine.domain}/tokens/generate`, SECRET, { method: 'POST', body: { user: { id: userId } } });
    assert.equal(generated.status, 200);
    const started = await call(`${directLine.domain}/conversations`, generated.body.token, { method: 'POST' });
    assert.equal(started.status, 201);
    assert.equal(started.body.conversationId, generated.body.conversationId);
    assert.match(started.body.streamUrl, /^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/.+\/stream\?t=/);
    return { conversationId: started.body.conversationId as string, token: started.body.token as string };
  }

  it('starts a conversation: the bot gets a conversationUpdate with recipient, serviceUrl and channel, and its welcome is in the stream', async () => {
    const { conversationId, token } = await startConversation();
    const update = directLine.toBot[0]!;
    assert.equal(update.type, 'conversationUpdate');
    assert.equal(update.channelId, 'directline');
    assert.equal(update.serviceUrl, directLine.serviceUrl);
    assert.deepEqual(update.conversation, { id: conversationId });
    assert.equal(update.recipient.id, 'ratepayer-desk');
    assert.deepEqual(update.membersAdded.map((m: { id: string }) => m.id), ['ratepayer-desk', 'dl_test-user']);
    const got = await call(`${directLine.domain}/conversations/${conversationId}/activities`, token);
    assert.equal(got.status, 200);
    const welcome = got.body.activities.find((a: any) => cardOf(a));
    assert.ok(welcome, 'the welcome card is in the stream');
    assert.equal(welcome.from.id, 'ratepayer-desk');
    assert.equal(got.body.watermark, String(got.body.activities.length));
  });

  it('a message reaches the bot from the token\'s user with recipient set; replies come after the watermark', async () => {
    const { conversationId, token } = await startConversation();
    const first = await call(`${directLine.domain}/conversations/${conversationId}/activities`, token);
    const posted = await call(`${directLine.domain}/conversations/${conversationId}/activities`, token, {
      method: 'POST',
      body: { type: 'message', text: 'water meter', from: { id: 'dl_test-user' }, locale: 'en-ZA', channelData: { clientActivityID: 'c1' } },
    });
    assert.equal(posted.status, 200);
    const message = directLine.toBot.find((a) => a.type === 'message')!;
    assert.equal(message.text, 'water meter');
    assert.equal(message.from.id, 'dl_test-user');
    assert.equal(message.recipient.id, 'ratepayer-desk');
    assert.equal(message.serviceUrl, directLine.serviceUrl);
    assert.equal(message.locale, 'en-ZA');
    const next = await call(`${directLine.domain}/conversations/${conversationId}/activities?watermark=${first.body.watermark}`, token);
    const [echo, ...replies] = next.body.activities;
    assert.equal(echo.id, posted.body.id, 'the person\'s own message is echoed first');
    assert.equal(echo.channelData.clientActivityID, 'c1');
    const intake = replies.map(cardOf).find(Boolean);
    assert.equal(intake?.actions?.[0]?.data?.category, 'metering', 'the bot answered with the metering intake card');
  });

  it('a token opens its own conversation only and speaks only as its own user; only the secret generates tokens', async () => {
    const a = await startConversation('dl_a');
    const b = await startConversation('dl_b');
    assert.equal((await call(`${directLine.domain}/conversations/${b.conversationId}/activities`, a.token)).status, 403);
    assert.equal((await call(`${directLine.domain}/conversations/${b.conversationId}`, a.token)).status, 403);
    const spoofed = await call(`${directLine.domain}/conversations/${a.conversationId}/activities`, a.token, { method: 'POST', body: { type: 'message', text: 'hi', from: { id: 'dl_b' } } });
    assert.equal(spoofed.status, 400);
    assert.equal((await call(`${directLine.domain}/tokens/generate`, a.token, { method: 'POST' })).status, 403, 'only the secret generates tokens');
    const refreshed = await call(`${directLine.domain}/tokens/refresh`, a.token, { method: 'POST' });
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.body.conversationId, a.conversationId);
  });

  it('resumes: GET /conversations/{id}?watermark gives a stream URL that replays from that watermark over WebSocket', async () => {
    const { conversationId, token } = await startConversation();
    const all = await until(() => {
      const activities = directLine.activities(conversationId);
      return activities.length > 0 ? activities : undefined;
    });
    const resumed = await call(`${directLine.domain}/conversations/${conversationId}?watermark=0`, token);
    assert.equal(resumed.status, 200);
    const socket = new WebSocket(resumed.body.streamUrl);
    const groups: any[] = [];
    socket.on('message', (data) => groups.push(JSON.parse(String(data))));
    await until(() => (groups.length ? true : undefined));
    assert.equal(groups[0].activities.length, all.length, 'everything after watermark 0 is replayed');
    await call(`${directLine.domain}/conversations/${conversationId}/activities`, resumed.body.token, { method: 'POST', body: { type: 'message', text: 'status' } });
    await until(() => (groups.some((g) => g.activities.some((a: any) => a.text === 'status')) ? true : undefined));
    socket.close();
  });

  it('a language change with the unsent form named (channelData.openForm) brings that form again in the new language, the same filling-in; once it is sent, not again (tester 8, finding 10)', async () => {
    const { conversationId, token } = await startConversation();
    const url = `${directLine.domain}/conversations/${conversationId}/activities`;
    /** Posts as the page does; the bot's replies to it (they are in the stream when the post returns). */
    const post = async (body: Record<string, unknown>): Promise<any[]> => {
      const before = directLine.activities(conversationId).length;
      assert.equal((await call(url, token, { method: 'POST', body: { type: 'message', from: { id: 'dl_test-user' }, ...body } })).status, 200);
      return directLine.activities(conversationId).slice(before).filter((a: any) => a.from?.id !== 'dl_test-user');
    };
    const intakeOf = (replies: any[]) => replies.map(cardOf).find((card) => card?.actions?.[0]?.data?.verb === 'intake.submit');
    const english = intakeOf(await post({ text: 'billing' }));
    assert.ok(english, 'the billing form');
    const { category, draftId } = english.actions[0].data;
    assert.match(JSON.stringify(english), new RegExp(t('en', 'fields.accountNumber.label')));

    const zuluReplies = await post({ text: 'isiZulu', channelData: { openForm: { category, draftId } } });
    assert.ok(zuluReplies.some((a) => a.text === t('zu', 'language.formAgain')), 'told the form comes again');
    const zulu = intakeOf(zuluReplies);
    assert.ok(zulu, 'the form again');
    assert.equal(zulu.actions[0].data.draftId, draftId, 'the same filling-in: the two forms queue one case');
    assert.notEqual(t('zu', 'fields.accountNumber.label'), t('en', 'fields.accountNumber.label'));
    const labels = JSON.stringify(zulu);
    for (const field of ['accountNumber', 'accountHolder', 'description']) assert.ok(labels.includes(t('zu', `fields.${field}.label` as never)), `${field}'s label in isiZulu`);
    assert.ok(!labels.includes(t('en', 'fields.accountNumber.label')), 'no English label left');

    const values = { accountNumber: '501234567', accountHolder: 'Sipho Zulu', mobile: '082 123 4567', description: 'Ibhili yami iphindeke kabili.' };
    await post({ value: { verb: 'intake.submit', category, draftId, ...values }, channelData: { postBack: true } });
    // Sent: a later change of language (the form still named by a page that missed the answer) brings no form.
    const later = await post({ text: 'English', channelData: { openForm: { category, draftId } } });
    assert.ok(later.some((a) => typeof a.text === 'string' && a.text.startsWith(t('en', 'language.changed', { language: t('en', 'language.name.en') }).slice(0, 20))), JSON.stringify(later.map((a) => a.text)));
    assert.equal(intakeOf(later), undefined, 'no form again for a form already sent');
    // Something that is not a form's identity is passed over: the change only.
    const odd = await post({ text: 'isiZulu', channelData: { openForm: { category, draftId: 'x' } } });
    assert.equal(intakeOf(odd), undefined);
  });

  it('an old card\'s "Leave the queue" for a case left earlier leaves the case waiting now in the queue', async () => {
    const { conversationId, token } = await startConversation();
    const url = `${directLine.domain}/conversations/${conversationId}/activities`;
    const post = async (body: Record<string, unknown>): Promise<any[]> => {
      const before = directLine.activities(conversationId).length;
      assert.equal((await call(url, token, { method: 'POST', body: { type: 'message', from: { id: 'dl_test-user' }, ...body } })).status, 200);
      return directLine.activities(conversationId).slice(before).filter((a: any) => a.from?.id !== 'dl_test-user');
    };
    const values = { accountNumber: '501234567', accountHolder: 'Sipho Zulu', mobile: '082 123 4567', description: 'My bill doubled in March.' };
    /** A billing form, sent: its case's reference ("K7M3PQ") and the confirmation card's "Leave the queue". */
    const queue = async (): Promise<{ id: string; leave: Record<string, unknown> }> => {
      const form = (await post({ text: 'billing' })).map(cardOf).find((card) => card?.actions?.[0]?.data?.verb === 'intake.submit');
      assert.ok(form, 'the billing form');
      const { category, draftId } = form.actions[0].data;
      const replies = await post({ value: { verb: 'intake.submit', category, draftId, ...values }, channelData: { postBack: true } });
      const leave = replies.map(cardOf).flatMap((card) => card?.actions ?? []).find((a: any) => a.data?.verb === 'case.cancel');
      assert.ok(leave, JSON.stringify(replies.map((a) => a.text)));
      return { id: String(leave.data.reference), leave: leave.data };
    };
    const first = await queue();
    const left = await post({ text: 'cancel' });
    assert.ok(left.some((a) => a.text === t('en', 'cancel.left', { reference: `${first.id.slice(0, 3)}-${first.id.slice(3)}` })), JSON.stringify(left.map((a) => a.text)));
    const second = await queue();
    assert.notEqual(second.id, first.id);
    // The first case's old card, pressed now: that case only, which is not waiting; the second keeps its place.
    const pressed = await post({ value: first.leave, channelData: { postBack: true } });
    assert.ok(pressed.some((a) => a.text === t('en', 'cancel.notWaiting', { reference: `${first.id.slice(0, 3)}-${first.id.slice(3)}` })), JSON.stringify(pressed.map((a) => a.text)));
    assert.equal((await store.get(second.id))!.state, 'waiting');
    assert.equal((await store.get(first.id))!.state, 'cancelled');
  });
});
