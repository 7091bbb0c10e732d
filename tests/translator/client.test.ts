/**
 * The Translator client (bot/platform/translator/client.ts) against the local stand-in
 * (devTools/translator/server.ts), over real HTTP: the REST v3 contract both ways, both kinds of
 * authentication, and what happens when the service fails.
 */
import assert from 'node:assert/strict';
import type { TokenCredential } from '@azure/identity';
import { AzureTranslator, COGNITIVE_SERVICES_SCOPE, translatorFromSettings } from '../../bot/platform/translator/client.js';
import { TranslationFailedError } from '../../bot/platform/ports/translator.js';
import { startTranslatorStandIn, type TranslatorStandIn } from '../../devTools/translator/server.js';

describe('the Translator client against the stand-in (Text Translation REST v3)', function () {
  this.timeout(20_000);
  let standIn: TranslatorStandIn;
  let translator: AzureTranslator;

  beforeEach(async () => {
    standIn = await startTranslatorStandIn({ auth: { key: 'the-key', region: 'southafricanorth', bearerToken: 'the-token' } });
    translator = translatorFromSettings({ endpoint: standIn.url, auth: { kind: 'key', key: 'the-key', region: 'southafricanorth' }, timeoutMs: 1000 });
  });
  afterEach(() => standIn.close());

  it('translates with a key and region, as the contract says: api-version, to, from, [{Text}], the headers', async () => {
    assert.deepEqual(await translator.translate('How can I help you?', 'en', 'zu'), { text: 'Ngingakusiza kanjani?', from: 'en', to: 'zu' });
    assert.deepEqual(await translator.translate('Ngiyabonga', 'zu', 'en'), { text: 'Thank you', from: 'zu', to: 'en' });
    assert.deepEqual(await translator.translate('Something the phrase table lacks', 'en', 'st'), { text: '[st] Something the phrase table lacks', from: 'en', to: 'st' });
    const [first] = standIn.requests;
    assert.equal(first!.path, '/translate');
    assert.deepEqual(first!.query, { 'api-version': '3.0', to: 'zu', from: 'en' });
    assert.deepEqual(first!.body, [{ Text: 'How can I help you?' }]);
    assert.equal(first!.headers['ocp-apim-subscription-key'], 'the-key');
    assert.equal(first!.headers['ocp-apim-subscription-region'], 'southafricanorth');
    assert.match(String(first!.headers['x-clienttraceid']), /^[0-9a-f-]{36}$/);
  });

  it('leaves the source language to detection when it is not given', async () => {
    assert.deepEqual(await translator.translate('Dankie', undefined, 'en'), { text: 'Thank you', from: 'af', to: 'en' });
    assert.equal(standIn.requests[0]!.query.from, undefined);
  });

  it('authenticates with a bearer token from the managed identity at the custom subdomain path', async () => {
    const scopes: string[] = [];
    const credential: TokenCredential = {
      getToken: async (scope) => {
        scopes.push(String(scope));
        return { token: 'the-token', expiresOnTimestamp: Date.now() + 3600_000 };
      },
    };
    const client = translatorFromSettings({ endpoint: `${standIn.url}/translator/text/v3.0`, auth: { kind: 'identity' }, timeoutMs: 1000 }, credential);
    assert.equal((await client.translate('Hello', 'en', 'af')).text, 'Hallo');
    assert.equal((await client.translate('Hello', 'en', 'xh')).text, 'Molo');
    assert.deepEqual(scopes, [COGNITIVE_SERVICES_SCOPE], 'one token, reused');
    assert.equal(standIn.requests[0]!.path, '/translator/text/v3.0/translate');
    assert.equal(standIn.requests[0]!.headers.authorization, 'Bearer the-token');
  });

  it('fails with the service\'s status and code on wrong credentials, without retrying', async () => {
    const wrong = translatorFromSettings({ endpoint: standIn.url, auth: { kind: 'key', key: 'the-key', region: 'westeurope' }, timeoutMs: 1000 });
    await assert.rejects(wrong.translate('Hello', 'en', 'zu'), (e: unknown) => e instanceof TranslationFailedError && e.status === 401 && e.code === 401000 && /refused/.test(e.reason));
    assert.equal(standIn.requests.length, 1);
  });

  it('tries once more after a 429 (Retry-After) or a 5xx, then gives up with a reason', async () => {
    standIn.failNext(1, 429, 0);
    assert.equal((await translator.translate('Hello', 'en', 'zu')).text, 'Sawubona');
    assert.equal(standIn.requests.length, 2);
    standIn.failNext(2, 503);
    await assert.rejects(translator.translate('Hello', 'en', 'zu'), (e: unknown) => e instanceof TranslationFailedError && e.status === 503 && e.code === 503000);
    assert.equal(standIn.requests.length, 4, 'one retry, not more');
  });

  it('gives up after its deadline when the service hangs (twice), saying so', async () => {
    standIn.delayNext(2, 3000);
    const started = Date.now();
    await assert.rejects(translator.translate('Hello', 'en', 'zu'), (e: unknown) => e instanceof TranslationFailedError && /did not answer within 1 s/.test(e.reason));
    assert.ok(Date.now() - started < 2800, 'two deadlines of 1 s and a short pause');
  });

  it('refuses what is not a translation, and the stand-in answers the documented errors', async () => {
    await assert.rejects(translator.translate('Hello', 'en', 'fr'), (e: unknown) => e instanceof TranslationFailedError && e.status === 400 && e.code === 400036);
    const noVersion = await fetch(`${standIn.url}/translate?to=zu`, { method: 'POST', headers: { 'ocp-apim-subscription-key': 'the-key', 'ocp-apim-subscription-region': 'southafricanorth' }, body: '[{"Text":"x"}]' });
    assert.equal(noVersion.status, 400);
    assert.equal(((await noVersion.json()) as { error: { code: number } }).error.code, 400021);
    const badBody = await fetch(`${standIn.url}/translate?api-version=3.0&to=zu`, { method: 'POST', headers: { 'ocp-apim-subscription-key': 'the-key', 'ocp-apim-subscription-region': 'southafricanorth' }, body: '{"Text":"x"}' });
    assert.equal(((await badBody.json()) as { error: { code: number } }).error.code, 400000);
    const languages = (await (await fetch(`${standIn.url}/languages?api-version=3.0&scope=translation`)).json()) as { translation: Record<string, { nativeName: string }> };
    assert.deepEqual(Object.keys(languages.translation).sort(), ['af', 'en', 'nso', 'st', 'tn', 'xh', 'zu']);
  });
});
