/**
 * Rate limits (per signed-in person on the tab API, per conversation on the bot), request size
 * limits, and the security headers of the tab and the API.
 */
import assert from 'node:assert/strict';
import type { RunningService } from '../../bot/service.js';
import { TAB_CSP } from '../../bot/platform/http/tabStatic.js';
import { SLOW_DOWN } from '../../bot/platform/teams/conversationGuard.js';
import { aRatepayer, messageFrom, postActivity } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { recordFigures } from '../support/figures.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';

describe('security: rate limits, size limits and headers', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let service: RunningService;
  const figures: Record<string, string | number | boolean> = {};

  before(async () => {
    connector = await startLocalConnector();
    service = await startTestService(await freshDatabase(), definitionWithAgents(0), {
      scheduler: { start: false },
      rateLimits: { api: { burst: 30, perSecond: 5 }, bot: { burst: 8, perSecond: 1 } },
    });
  });
  after(async () => {
    await service.close();
    await connector.close();
    recordFigures('access.limits', 'Rate limits, size limits and headers', figures, 'A service with the API limit set to 30 at once then 5 a second per person, and the bot to 8 at once then 1 a second per conversation (the defaults are 120 + 20/s and 12 + 1/s).');
  });

  it('the tab API answers one person\'s flood with 429 and Retry-After, while a colleague is served', async () => {
    const [greedy, colleague] = await Promise.all([signIn(service, 'thandi'), signIn(service, 'sipho')]);
    const answers = await Promise.all(Array.from({ length: 100 }, () => greedy.get('/api/me')));
    const limited = answers.filter((a) => a.status === 429);
    assert.ok(limited.length >= 60, `${limited.length} limited`);
    assert.equal(answers.filter((a) => a.status === 200).length + limited.length, 100);
    assert.match(limited[0]!.body.message, /Too many requests: please wait \d+ s/);
    const raw = await fetch(`${service.url}/api/me`, { headers: { authorization: `Bearer ${greedy.token}` } });
    assert.equal(raw.status, 429);
    assert.ok(Number(raw.headers.get('retry-after')) >= 1);
    assert.equal((await colleague.get('/api/me')).status, 200, 'others unaffected');
    figures['API: one person sends 100 requests at once'] = `${100 - limited.length} served, ${limited.length} answered 429 with Retry-After`;
    figures['API: a colleague at the same moment'] = 'served (200)';
  });

  it('the bot answers one conversation\'s flood with one polite slow-down and keeps answering others promptly', async () => {
    const flooder = aRatepayer();
    const calm = aRatepayer();
    const started = Date.now();
    const flood = Promise.all(Array.from({ length: 200 }, (_, i) => postActivity(service.url, messageFrom(flooder, connector.serviceUrl, { text: `spam ${i}` }))));
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await postActivity(service.url, messageFrom(calm, connector.serviceUrl, { text: 'billing' }));
    const calmLatency = Date.now() - t0;
    const statuses = await flood;
    const toFlooder = connector.sent.filter((s) => s.conversationId === flooder.conversationId);
    const slowDowns = toFlooder.filter((s) => s.body.text === SLOW_DOWN).length;
    assert.ok(statuses.every((s) => s === 200));
    assert.equal(slowDowns, 1, `told once; got ${toFlooder.length}: ${JSON.stringify(toFlooder.slice(-2).map((s) => s.body.text ?? s.body.summary))}`);
    // Each message that gets through is answered with two activities ("I didn't catch…" and the categories).
    const answered = (toFlooder.length - slowDowns) / 2;
    assert.ok(answered <= 8 + 2, `${answered} messages answered`);
    assert.equal(connector.sent.filter((s) => s.conversationId === calm.conversationId).length, 1);
    assert.ok(calmLatency < 3000, `calm ratepayer answered in ${calmLatency} ms`);
    figures['bot: one conversation sends 200 messages at once'] = `${answered} answered, 1 "slow down", ${200 - answered} skipped`;
    figures['bot: another ratepayer meanwhile answered in (ms)'] = calmLatency;
    figures['bot: flood handled in (ms)'] = Date.now() - started;
  });

  it('refuses bodies over 256 KB with 413 and a message, on the bot and the API, and stays up', async () => {
    const big = 'x'.repeat(300 * 1024);
    const bot = await fetch(`${service.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: big }) });
    assert.equal(bot.status, 413);
    assert.match(await bot.text(), /exceeds/);
    const agent = await signIn(service, 'sipho');
    const api = await agent.post('/api/cases/ABC234/notes', { text: big });
    assert.equal(api.status, 413);
    const notJson = await fetch(`${service.url}/api/cases/ABC234/notes`, { method: 'POST', headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/xml' }, body: '<a/>' });
    assert.equal(notJson.status, 415);
    assert.equal((await fetch(`${service.url}/health`)).status, 200);
    figures['body limit'] = '256 KB: 413 "Request body size exceeds 262144" on /api/messages and /api/*';
    figures['not JSON'] = '415';
  });

  it('serves the tab with a CSP that lets only Teams and Microsoft 365 frame it, and the API with nosniff and no-store', async () => {
    const tab = await fetch(`${service.url}/tab/`);
    const csp = tab.headers.get('content-security-policy') ?? '';
    assert.equal(csp, TAB_CSP);
    const ancestors = /frame-ancestors ([^;]+)/.exec(csp)![1]!.split(' ');
    for (const host of ['https://teams.microsoft.com', 'https://*.teams.microsoft.com', 'https://*.cloud.microsoft', 'https://*.office.com']) assert.ok(ancestors.includes(host), host);
    assert.ok(!ancestors.includes('*') && !ancestors.some((a) => a.startsWith('http:')));
    assert.match(csp, /script-src 'self'(;|$)/, 'no inline or remote scripts');
    assert.equal(tab.headers.get('x-frame-options'), null, 'X-Frame-Options would stop Teams from framing the tab');
    assert.equal(tab.headers.get('x-content-type-options'), 'nosniff');
    const agent = await signIn(service, 'sipho');
    const res = await fetch(`${service.url}/api/me`, { headers: { authorization: `Bearer ${agent.token}` } });
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    figures['tab CSP frame-ancestors'] = ancestors.join(' ');
    figures['tab CSP script-src'] = "'self' only";
    figures['API headers'] = 'nosniff, no-store, referrer-policy no-referrer (HSTS in Azure mode)';
  });
});
