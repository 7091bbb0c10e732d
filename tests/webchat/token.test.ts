/**
 * `POST /api/webchat/token` and the page's headers over real HTTP, with the Direct Line stand-in
 * behind the service.
 */
import assert from 'node:assert/strict';
import { LOCAL_DEFINITION, loadSettings, type Settings } from '../../bot/platform/config/settings.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { startService, type RunningService } from '../../bot/service.js';
import { startLocalDirectLine, type LocalDirectLine } from '../../devTools/directLine.js';
import { freshDatabase } from '../support/cosmos.js';
import { localSettings } from '../support/tabApi.js';

const SECRET = 'local-direct-line-secret-for-tests';

async function post(url: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

describe('Web chat token route', () => {
  let service: RunningService;
  let directLine: LocalDirectLine;

  async function start(tokenLimit = { burst: 3, perSecond: 0.001 }) {
    const db = await freshDatabase();
    directLine = await startLocalDirectLine({ secret: SECRET });
    const settings: Settings = { ...localSettings, webChat: { secret: SECRET, endpoint: directLine.domain, frameAncestors: ['https://www.joburg.org.za'] } };
    service = await startService(settings, { containers: db, definition: loadDefinition(LOCAL_DEFINITION), scheduler: { start: false }, webChat: { tokenLimit } });
    directLine.pointAt(`${service.url}/api/messages`);
  }

  afterEach(async () => {
    await service?.close();
    await directLine?.close();
  });

  it('exchanges the secret for a conversation token with a user id of its own; the secret is never in the answer', async () => {
    await start();
    const answer = await post(`${service.url}/api/webchat/token`);
    assert.equal(answer.status, 200);
    assert.match(answer.body.userId, /^dl_[0-9a-f-]{36}$/);
    assert.equal(answer.body.domain, directLine.domain);
    assert.ok(answer.body.token && answer.body.conversationId && answer.body.resumeKey);
    assert.ok(!JSON.stringify(answer.body).includes(SECRET), 'the secret does not reach the browser');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    // The token opens its own conversation, as that user.
    const started = await fetch(`${directLine.domain}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${answer.body.token}` } });
    assert.equal(((await started.json()) as { conversationId: string }).conversationId, answer.body.conversationId);
    const claims = JSON.parse(Buffer.from(answer.body.token.split('.')[1], 'base64url').toString());
    assert.equal(claims.user, answer.body.userId);
  });

  it('starts a new chat on the page\'s behalf: the category link\'s choice is sent as the token\'s user and the bot\'s first words come back as text', async () => {
    await start({ burst: 20, perSecond: 1 });
    const answer = await post(`${service.url}/api/webchat/token`, { category: 'metering', locale: 'en-ZA' });
    assert.equal(answer.status, 200);
    const sent = directLine.toBot.find((a) => a.type === 'message')!;
    assert.deepEqual(sent.value, { verb: 'category.choose', category: 'metering' });
    assert.equal(sent.from.id, answer.body.userId);
    assert.equal(sent.locale, 'en-ZA');
    assert.ok(answer.body.first.some((line: string) => /Water and electricity metering queries/.test(line)), JSON.stringify(answer.body.first));
    assert.ok(answer.body.first.every((line: string) => !/[<>]/.test(line)));
    // A category that is not the programme's is not sent.
    const before = directLine.toBot.filter((a) => a.type === 'message').length;
    await post(`${service.url}/api/webchat/token`, { category: 'not-a-category' });
    assert.equal(directLine.toBot.filter((a) => a.type === 'message').length, before);
  });

  it("welcomes a new chat in the browser's language when the programme serves it (Direct Line's start carries no locale)", async () => {
    await start({ burst: 20, perSecond: 1 });
    const zulu = await post(`${service.url}/api/webchat/token`, { locale: 'zu-ZA' });
    assert.equal(zulu.status, 200);
    assert.ok(zulu.body.first.some((line: string) => /Siyakwamukela/.test(line)), `isiZulu: ${JSON.stringify(zulu.body.first)}`);
    for (const locale of ['en-ZA', 'fr-FR', undefined]) {
      const other = await post(`${service.url}/api/webchat/token`, locale ? { locale } : {});
      assert.ok(other.body.first.some((line: string) => /^Welcome to/.test(line)), `${locale}: ${JSON.stringify(other.body.first)}`);
    }
    // The chat then goes on in isiZulu: the choice is the conversation's, kept from the start.
    const sent = await fetch(`${directLine.domain}/conversations/${zulu.body.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${zulu.body.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'hello', from: { id: zulu.body.userId } }),
    });
    assert.equal(sent.status, 200);
    const read = (await (await fetch(`${directLine.domain}/conversations/${zulu.body.conversationId}/activities`, { headers: { authorization: `Bearer ${zulu.body.token}` } })).json()) as { activities: { from: { id: string }; text?: string; attachments?: unknown[] }[] };
    const replies = read.activities.filter((a) => a.from.id !== zulu.body.userId);
    assert.match(JSON.stringify(replies.at(-1)), /Siyakwamukela/, 'a later greeting is answered in isiZulu too');
  });

  it('resumes a conversation only with its resume key: a conversation id alone, or another\'s key, opens nothing', async () => {
    await start({ burst: 20, perSecond: 1 });
    const first = (await post(`${service.url}/api/webchat/token`)).body;
    const other = (await post(`${service.url}/api/webchat/token`)).body;
    const resumed = await post(`${service.url}/api/webchat/token`, { conversationId: first.conversationId, userId: first.userId, resumeKey: first.resumeKey });
    assert.equal(resumed.status, 200);
    assert.equal(resumed.body.conversationId, first.conversationId);
    assert.equal(resumed.body.userId, first.userId);
    for (const attempt of [
      { conversationId: first.conversationId, userId: first.userId, resumeKey: other.resumeKey },
      { conversationId: first.conversationId, userId: other.userId, resumeKey: first.resumeKey },
      { conversationId: first.conversationId, userId: first.userId, resumeKey: '' },
      { conversationId: first.conversationId },
    ]) {
      const refused = await post(`${service.url}/api/webchat/token`, attempt);
      assert.equal(refused.status, 403, JSON.stringify(attempt));
      assert.equal(refused.body.token, undefined);
    }
  });

  it("sends a category's choice into a resumed conversation when the page asks (another category's link), as the conversation's user; none otherwise, and never with a wrong key", async () => {
    await start({ burst: 20, perSecond: 1 });
    const first = (await post(`${service.url}/api/webchat/token`, { category: 'billing', locale: 'en-ZA' })).body;
    const choices = () => directLine.toBot.filter((a) => a.type === 'message' && a.conversation.id === first.conversationId && a.value?.verb === 'category.choose');
    assert.equal(choices().length, 1);
    const plain = await post(`${service.url}/api/webchat/token`, { conversationId: first.conversationId, userId: first.userId, resumeKey: first.resumeKey });
    assert.equal(plain.status, 200);
    assert.equal(choices().length, 1, 'a resume without a category sends nothing');
    const rates = await post(`${service.url}/api/webchat/token`, { conversationId: first.conversationId, userId: first.userId, resumeKey: first.resumeKey, category: 'rates', locale: 'en-ZA' });
    assert.equal(rates.status, 200);
    assert.equal(rates.body.conversationId, first.conversationId, 'the same conversation');
    assert.deepEqual(choices().at(-1)?.value, { verb: 'category.choose', category: 'rates' });
    assert.equal(choices().at(-1)?.from.id, first.userId);
    await post(`${service.url}/api/webchat/token`, { conversationId: first.conversationId, userId: first.userId, resumeKey: first.resumeKey, category: 'not-a-category' });
    const refused = await post(`${service.url}/api/webchat/token`, { conversationId: first.conversationId, userId: first.userId, resumeKey: 'wrong', category: 'metering' });
    assert.equal(refused.status, 403);
    assert.equal(choices().length, 2, 'an unknown category, or a wrong key, sends nothing');
  });

  it('is rate limited per client address: 429 with Retry-After once the burst is spent, before Direct Line is asked', async () => {
    await start({ burst: 3, perSecond: 0.001 });
    for (let i = 0; i < 3; i++) assert.equal((await post(`${service.url}/api/webchat/token`)).status, 200);
    const refused = await post(`${service.url}/api/webchat/token`);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.match(refused.body.message, /Too many new chats/);
  });

  it('serves the page with the programme\'s name, a Content-Security-Policy naming Direct Line, and compressed, long-cached assets', async () => {
    await start();
    const page = await fetch(`${service.url}/chat/?category=metering`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<h1>Virtual customer engagement<\/h1>/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'self' https:\/\/www\.joburg\.org\.za(;|$)/);
    assert.ok(csp.includes(`connect-src 'self' ${new URL(directLine.domain).origin} ${new URL(directLine.domain).origin.replace('http', 'ws')}`), csp);
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<title>Virtual customer engagement — chat<\/title>/);
    assert.doesNotMatch(html, /\{\{/, 'every placeholder is filled');
    // The page in the browser's language, when the catalogues have it.
    const afrikaans = await (await fetch(`${service.url}/chat/`, { headers: { 'accept-language': 'af-ZA, en;q=0.8' } })).text();
    assert.match(afrikaans, /<html lang="af">/);
    // The programme's own words in that language too (the definition's), not only the page's.
    assert.match(afrikaans, /Virtuele kliëntebetrokkenheid/);
    assert.doesNotMatch(afrikaans, /Virtual customer engagement/);
    // Web Chat's own words too, with the page's language as its locale, in the page's JSON.
    const config = JSON.parse(/<script type="application\/json" id="desk-config">(.*?)<\/script>/s.exec(afrikaans)![1]!) as { webChat: { locale: string; strings: Record<string, string>; months: string[] } };
    assert.equal(config.webChat.locale, 'af-ZA');
    assert.equal(config.webChat.strings.TEXT_INPUT_PLACEHOLDER, 'Tik jou boodskap');
    assert.equal(config.webChat.strings.ACTIVITY_STATUS_SEND_FAILED_RETRY, 'Kon nie stuur nie. [Probeer weer][RETRY].');
    assert.equal(config.webChat.months[10], 'November');
    // …and the page stays small (issue 17: the first load is the page and a 2 KB script).
    const zipped = await fetch(`${service.url}/chat/`, { headers: { 'accept-language': 'zu-ZA', 'accept-encoding': 'gzip' } });
    const size = Number(zipped.headers.get('content-length'));
    assert.ok(size > 0 && size < 6_000, `the isiZulu page is ${size} bytes gzip`);
    const fallback = await (await fetch(`${service.url}/chat/`, { headers: { 'accept-language': 'fr-FR, de;q=0.5' } })).text();
    assert.match(fallback, /<html lang="en">/);
    const asset = /src="(\/chat\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset);
    const script = await fetch(`${service.url}${asset}`, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(script.headers.get('content-encoding'), 'br');
    assert.match(script.headers.get('cache-control') ?? '', /immutable/);
  });

  it("says each message's language in its locale, and a resumed chat's token names the chat's language once the ratepayer changed it (the page comes back in it)", async () => {
    await start({ burst: 20, perSecond: 1 });
    const first = await post(`${service.url}/api/webchat/token`, { category: 'billing', locale: 'en-ZA' });
    assert.equal(first.status, 200);
    const read = async () =>
      ((await (await fetch(`${directLine.domain}/conversations/${first.body.conversationId}/activities`, { headers: { authorization: `Bearer ${first.body.token}` } })).json()) as { activities: { from: { id: string }; text?: string; locale?: string }[] }).activities.filter(
        (a) => a.from.id !== first.body.userId,
      );
    assert.ok((await read()).every((a) => a.locale === 'en-ZA'), 'the English messages say en-ZA');
    const resumeBody = { conversationId: first.body.conversationId, userId: first.body.userId, resumeKey: first.body.resumeKey };
    const before = await post(`${service.url}/api/webchat/token`, resumeBody);
    assert.equal(before.body.language, 'en', "the chat's language: settled in English by the first form");
    // The ratepayer changes language in the chat (the language command, in the page's own words).
    const sent = await fetch(`${directLine.domain}/conversations/${first.body.conversationId}/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.body.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'isiZulu', locale: 'en-ZA', from: { id: first.body.userId } }),
    });
    assert.equal(sent.status, 200);
    const changed = (await read()).at(-1)!;
    assert.match(changed.text ?? '', /isiZulu/);
    assert.equal(changed.locale, 'zu-ZA', 'the answer says it is in isiZulu, whatever the browser sent');
    const after = await post(`${service.url}/api/webchat/token`, resumeBody);
    assert.equal(after.status, 200);
    assert.equal(after.body.language, 'zu');
  });

  it("serves the page's words in another served language at /chat/words/<code>.json (the JSON the page is written with); 404 for one not served", async () => {
    await start();
    const zulu = await fetch(`${service.url}/chat/words/zu.json`);
    assert.equal(zulu.status, 200);
    assert.match(zulu.headers.get('content-type') ?? '', /^application\/json/);
    const words = (await zulu.json()) as { lang: string; languages: string[]; words: Record<string, string>; webChat: { locale: string; strings: Record<string, string> } };
    const page = await (await fetch(`${service.url}/chat/`, { headers: { 'accept-language': 'zu-ZA' } })).text();
    const written = JSON.parse(/<script type="application\/json" id="desk-config">(.*?)<\/script>/s.exec(page)![1]!) as unknown;
    assert.deepEqual(words, written, 'the same words as the isiZulu page');
    assert.equal(words.lang, 'zu');
    assert.equal(words.webChat.locale, 'zu-ZA');
    assert.ok(words.languages.includes('zu') && words.languages.includes('en'));
    for (const wrong of ['fr.json', 've.json', 'zu', '..%2Fen.json']) {
      assert.equal((await fetch(`${service.url}/chat/words/${wrong}`)).status, 404, wrong);
    }
  });

  it('is off without a Direct Line secret; DIRECT_LINE_ENDPOINT must be a Direct Line base URL, https unless local', async () => {
    const db = await freshDatabase();
    service = await startService(localSettings, { containers: db, definition: loadDefinition(LOCAL_DEFINITION), scheduler: { start: false } });
    assert.equal((await post(`${service.url}/api/webchat/token`)).status, 404);
    assert.equal(service.chatUrl, undefined);
    assert.throws(() => loadSettings({ DIRECT_LINE_ENDPOINT: 'https://directline.botframework.com/v3/directline' }), /DIRECT_LINE_SECRET is not/);
    assert.throws(() => loadSettings({ DIRECT_LINE_SECRET: 's', DIRECT_LINE_ENDPOINT: 'http://directline.example.org/v3/directline' }), /must use https/);
    assert.throws(() => loadSettings({ DIRECT_LINE_SECRET: 's', DIRECT_LINE_ENDPOINT: 'https://directline.botframework.com/' }), /ending in \/v3\/directline/);
    assert.equal(loadSettings({ DIRECT_LINE_SECRET: 's' }).webChat?.endpoint, 'https://directline.botframework.com/v3/directline');
    assert.deepEqual(loadSettings({ DIRECT_LINE_SECRET: 's', WEBCHAT_FRAME_ANCESTORS: 'https://www.joburg.org.za  https://joburg.org.za' }).webChat?.frameAncestors, ['https://www.joburg.org.za', 'https://joburg.org.za']);
    assert.throws(() => loadSettings({ DIRECT_LINE_SECRET: 's', WEBCHAT_FRAME_ANCESTORS: 'http://joburg.org.za' }), /must list https origins/);
    assert.throws(() => loadSettings({ DIRECT_LINE_SECRET: 's', WEBCHAT_FRAME_ANCESTORS: "* 'unsafe-inline'" }), /must list https origins/);
  });
});
