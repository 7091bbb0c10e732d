/**
 * What Teams shows of the bot's text messages (tester 7, findings 5 and 6), observed at the local
 * Bot Framework connector where Teams would receive the activity: a message with line breaks or
 * with & < > goes to Teams as `xml` with every & < > escaped and each line break a <br>, so an
 * expert's "<b>x</b>" or "<img src=…>" shows as typed and a receipt keeps its lines; the same
 * message to Web Chat (channel "directline") stays plain text, exactly as typed, and so does the
 * WhatsApp message (through the Communication Services stand-in). A referral's
 * summary card is titled as a referral, not "Your case is resolved". See
 * bot/platform/teams/textFormat.ts.
 */
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { resolvedContent } from '../../bot/platform/cards/ratepayerCards.js';
import { LANGUAGES, t } from '../../bot/messages/index.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { activityMatching } from '../support/answers.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, localSettings, signIn, type ApiClient } from '../support/tabApi.js';
import { AcsStandIn } from '../../devTools/acs.js';
import { startService } from '../../bot/service.js';
import { acsSettingsFor, phoneOn } from '../support/whatsapp.js';

const TYPED = 'Hello <b>Johan</b> & welcome 😀 <img src=x onerror=alert(1)>\nLine 2: **not bold**\n1. not a list';

describe('text messages as Teams shows them: line breaks kept, typed HTML and Markdown shown as typed; plain on Web Chat and WhatsApp', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let service: RunningService;
  let thandi: ApiClient;
  let acs: AcsStandIn;
  const SECRET = 'a-secret-of-our-own-for-event-grid-0123456789';

  before(async () => {
    connector = await startLocalConnector();
    acs = new AcsStandIn();
    await acs.start();
    const db = await freshDatabase();
    service = await startService(
      { ...localSettings, acs: acsSettingsFor(acs, SECRET) },
      { containers: db, definition: definitionWithAgents(0), liveEvents: { pollIntervalMs: 150 }, scheduler: { start: false }, pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 } },
    );
    await acs.subscribe(`${service.url}/api/whatsapp/events?key=${SECRET}`);
    thandi = await signIn(service, 'thandi');
  });
  after(async () => {
    await service?.close();
    await connector?.close();
    await acs?.close();
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  /** A message from the user on Teams ("msteams") or through Direct Line (the public web chat). */
  const say = async (user: TestUser, fields: { text?: string; value?: unknown }, channelId = 'msteams') =>
    assert.equal(await postActivity(service.url, { ...messageFrom(user, connector.serviceUrl, fields), channelId }), 200);
  const expectInChat = (user: TestUser, pattern: RegExp) => activityMatching(() => sentTo(user), pattern);
  async function queue(user: TestUser, channelId = 'msteams', mobile = '0821234567'): Promise<string> {
    await say(user, {
      value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${user.aadObjectId}`, accountNumber: '501234567', accountHolder: user.name, mobile, description: 'My bill doubled in March.' },
    }, channelId);
    const confirmation = await expectInChat(user, /Your case reference/);
    return /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(cardOf(confirmation)))![1]!.replace('-', '');
  }

  it("sends an expert's typed HTML to Teams escaped, as xml with <br> line breaks, and the same message to Web Chat and WhatsApp as typed", async () => {
    const johan = aRatepayer('Johan van der Merwe');
    const anna = aRatepayer('Anna Botha');
    const inTeams = await queue(johan);
    const onTheWeb = await queue(anna, 'directline', '0839876543');
    for (const [user, reference] of [[johan, inTeams], [anna, onTheWeb]] as const) {
      assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
      await expectInChat(user, /connected with Thandi/);
      assert.equal((await thandi.post(`/api/cases/${reference}/messages`, { text: TYPED })).status, 200);
    }
    const relayed = await expectInChat(johan, /Johan/);
    assert.equal(relayed.textFormat, 'xml');
    assert.equal(
      relayed.text,
      'Thandi (Account and billing queries expert): Hello &lt;b&gt;Johan&lt;/b&gt; &amp; welcome 😀 &lt;img src=x onerror=alert(1)&gt;' +
        '<br>Line 2: &#42;&#42;not bold&#42;&#42;<br>1. not a list',
    );
    assert.doesNotMatch(relayed.text, /<(?!br>)/, 'no tag but <br>');
    assert.doesNotMatch(relayed.text, /\n/);
    // Web Chat (Direct Line) shows plain text as text, with its line breaks: not escaped there.
    const onWeb = await expectInChat(anna, /Johan/);
    assert.equal(onWeb.channelId, 'directline');
    assert.equal(onWeb.textFormat, 'plain');
    assert.equal(onWeb.text, `Thandi (Account and billing queries expert): ${TYPED}`);
    // WhatsApp (its own adapter, through the ACS stand-in): the text as typed too.
    const phone = phoneOn(acs, '+27829876543');
    const onWhatsApp = (await phone.joinQueue('Account and billing', /082 987 6543/, 'My bill doubled in March.')).replace('-', '');
    assert.equal((await thandi.post(`/api/cases/${onWhatsApp}/claim`)).status, 200);
    await acs.waitFor('+27829876543', (m) => /connected with Thandi/.test(m.text));
    const mark = acs.mark('+27829876543');
    assert.equal((await thandi.post(`/api/cases/${onWhatsApp}/messages`, { text: TYPED })).status, 200);
    const wa = await acs.waitFor('+27829876543', (m) => /Johan/.test(m.text), mark);
    assert.equal(wa.text, `Thandi (Account and billing queries expert): ${TYPED}`);
    // A text with neither a line break nor & < > reads the same either way: plain, as written, on Teams.
    assert.equal((await thandi.post(`/api/cases/${inTeams}/messages`, { text: '**Pay now** at [the portal](http://evil.example)' })).status, 200);
    const markdown = await expectInChat(johan, /evil\.example/);
    assert.equal(markdown.textFormat, 'plain');
    assert.equal(markdown.text, 'Thandi (Account and billing queries expert): **Pay now** at [the portal](http://evil.example)');
  });

  it('titles a referral\'s summary as a referral, and the referral receipt reaches Teams line by line', async () => {
    const johan = aRatepayer('Johan van der Merwe');
    const reference = await queue(johan);
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    const resolved = await thandi.post(`/api/cases/${reference}/resolve`, { outcome: 'referred_back_office', summary: 'ESP application to be checked; <household> of 5 & income R5 000.' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    const summary = cardText(cardOf(await expectInChat(johan, /Outcome\nReferred to the back office/))!);
    assert.match(summary, /^Your case was referred to the back office\n/);
    assert.doesNotMatch(summary, /Your case is resolved/);
    const receipt = await expectInChat(johan, /Your receipt from/);
    assert.equal(receipt.textFormat, 'xml');
    const lines = (receipt.text as string).split('<br>');
    assert.ok(lines.length >= 5, receipt.text);
    assert.match(lines[0]!, /^Your receipt from /);
    assert.ok(lines.some((l) => /^Case reference: [2-9A-Z]{3}-[2-9A-Z]{3}$/.test(l)), receipt.text);
    assert.ok(lines.some((l) => l === 'Outcome: Referred to the back office'), receipt.text);
    assert.ok(lines.some((l) => l.includes('&lt;household&gt; of 5 &amp; income R5 000.')), receipt.text);
  });

  it('each outcome has its own title in all seven catalogues: a referral and an arrangement are not "resolved"', () => {
    const def = definitionWithAgents(0);
    const headline = (kind: 'resolved' | 'arrangement_made' | 'referred_back_office' | 'not_resolved', lang: (typeof LANGUAGES)[number]) =>
      resolvedContent(def, { id: 'ABC234', category: 'billing', outcome: { kind, summary: 'x' } as never, assignedTo: undefined }, lang).headline;
    assert.equal(LANGUAGES.length, 7);
    for (const lang of LANGUAGES) {
      assert.equal(headline('referred_back_office', lang), t(lang, 'cards.resolved.headlineReferred'), lang);
      assert.equal(headline('arrangement_made', lang), t(lang, 'cards.resolved.headlineArrangement'), lang);
      const titles = (['resolved', 'arrangement_made', 'referred_back_office', 'not_resolved'] as const).map((k) => headline(k, lang));
      assert.equal(new Set(titles).size, 4, `${lang}: ${titles.join(' | ')}`);
    }
  });
});
