/**
 * What someone typed is shown exactly as typed in the ratepayer's chat, never rendered as
 * Markdown: an expert's "**bold**" or "[link](http://evil.example)" relayed to the ratepayer,
 * a file name or message quoted back. Observed at the local Bot Framework connector, where Teams
 * would receive the activity: a text message carries textFormat "plain", or on Teams, when it has
 * a line break or & < >, "xml" with those escaped and Markdown's marks as character references
 * (bot/platform/teams/textFormat.ts; tests/teams/textInTeams.test.ts); never "markdown". Only the
 * bot's own link to the personal chat is Markdown, on purpose.
 */
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, shownText, type TestUser } from '../support/activities.js';
import { activityMatching } from '../support/answers.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService, type ApiClient } from '../support/tabApi.js';

const TYPED = '**Pay now** at [the city portal](http://evil.example) _today_ <b>or</b> `else`';

describe('typed text reaches the ratepayer as typed: plain text (or escaped xml on Teams), not Markdown', function () {
  this.timeout(30_000);
  let connector: LocalConnector;
  let service: RunningService;
  let thandi: ApiClient;

  before(async () => {
    connector = await startLocalConnector();
    const db = await freshDatabase();
    service = await startTestService(db, definitionWithAgents(0), { pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 } });
    thandi = await signIn(service, 'thandi');
  });
  after(async () => {
    await service.close();
    await connector.close();
  });

  const sentTo = (user: TestUser) => connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => s.body);
  const say = async (user: TestUser, fields: { text?: string; value?: unknown }, extra: Record<string, unknown> = {}) =>
    assert.equal(await postActivity(service.url, { ...messageFrom(user, connector.serviceUrl, fields), ...extra }), 200);
  const expectInChat = (user: TestUser, pattern: RegExp) => activityMatching(() => sentTo(user), pattern);
  async function queue(user: TestUser): Promise<string> {
    await say(user, {
      value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${user.aadObjectId}`, accountNumber: '501234567', accountHolder: user.name, mobile: '0821234567', description: 'My bill doubled in March.' },
    });
    const confirmation = await expectInChat(user, /Your case reference/);
    return /Your case reference\n([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(cardText(cardOf(confirmation)))![1]!.replace('-', '');
  }

  it("relays the expert's message exactly as typed, as plain text", async () => {
    const lerato = aRatepayer('Lerato Molefe');
    const reference = await queue(lerato);
    assert.equal((await thandi.post(`/api/cases/${reference}/claim`)).status, 200);
    await expectInChat(lerato, /connected with Thandi/);
    assert.equal((await thandi.post(`/api/cases/${reference}/messages`, { text: TYPED })).status, 200);
    const relayed = await expectInChat(lerato, /evil\.example/);
    // With "<b>" in it, Teams gets it as xml: escaped, and read exactly as typed.
    assert.equal(relayed.textFormat, 'xml');
    assert.ok(shownText(relayed).endsWith(`: ${TYPED}`), relayed.text);
    assert.doesNotMatch(relayed.text, /<b>|\*\*|\[the city portal\]/, 'neither tags nor Markdown marks as such');
    // The proactive "connected" message is plain too.
    assert.equal((await expectInChat(lerato, /connected with Thandi/)).textFormat, 'plain');
  });

  it('every text message of a turn is plain: replies quoting a file name, the queue reply, "status"', async () => {
    const sipho = aRatepayer('Sipho Dlamini');
    await queue(sipho);
    const before = sentTo(sipho).length;
    await say(
      sipho,
      { text: TYPED },
      { attachments: [{ contentType: 'application/vnd.microsoft.teams.file.download.info', name: '[invoice](http://evil.example).pdf', content: { downloadUrl: 'https://contoso-my.sharepoint.com/personal/sipho/_layouts/15/download.aspx?UniqueId=1&tempauth=x', fileType: 'pdf' } }] },
    );
    await say(sipho, { text: 'status' });
    const texts = sentTo(sipho).slice(before).filter((a) => typeof a.text === 'string' && a.text !== '');
    assert.ok(texts.some((a) => shownText(a).includes('[invoice](http://evil.example).pdf')), 'the file name is quoted back as typed');
    assert.ok(texts.length >= 1);
    // Plain, or on Teams xml with what was typed escaped: never Markdown.
    for (const a of texts) assert.ok(a.textFormat === 'plain' || (a.textFormat === 'xml' && !/<(?!br>)/.test(a.text)), `${a.textFormat}: ${a.text}`);
  });

  it("only the bot's own link to the personal chat is Markdown, on purpose", async () => {
    const user = aRatepayer('In A Channel');
    const activity = messageFrom(user, connector.serviceUrl, { text: 'billing' });
    (activity.conversation as Record<string, unknown>).conversationType = 'groupChat';
    assert.equal(await postActivity(service.url, activity), 200);
    const reply = sentTo(user).at(-1)!;
    assert.match(reply.text, /\]\(https:\/\/teams\.microsoft\.com\//);
    assert.equal(reply.textFormat, 'markdown');
  });
});
