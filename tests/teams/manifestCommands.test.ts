/**
 * What the Teams manifest promises, the bot does: every command in the manifest's command lists,
 * sent as Teams sends it when a person picks it from the command menu (its title, in the list's
 * scope), reaches a handler of its own, over real HTTP at /api/messages. A command the bot does not
 * understand falls through to the catch-all, which answers exactly as it answers nonsense; so each
 * command's reply is compared with the reply to nonsense in the same scope.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import type { RunningService } from '../../bot/service.js';
import { aRatepayer, messageFrom, postActivity } from '../support/activities.js';
import { startLocalConnector, type LocalConnector, type SentActivity } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, startTestService } from '../support/tabApi.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'appPackage/manifest.json'), 'utf8')) as {
  bots: { scopes: string[]; commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[] }[];
};
const definition = definitionWithAgents();
const johan = { id: '29:johan', aadObjectId: 'aad-johan', name: 'Johan van der Merwe', email: 'johan.vdmerwe@joburg.example' };
const CHANNEL = '19:supervisors@thread.tacv2';

/** What a reply looks like, without what changes from one run to the next (ids, draft ids, times). */
function shape(replies: SentActivity[]): string {
  return JSON.stringify(
    replies.map((r) => ({
      text: typeof r.body.text === 'string' ? r.body.text : undefined,
      cards: (r.body.attachments ?? []).map((a: { contentType: string; content?: { body?: { text?: string }[] } }) => `${a.contentType}:${a.content?.body?.[0]?.text ?? ''}`),
    })),
  );
}

describe('the manifest\'s commands reach the bot\'s own handlers (nothing advertised that it does not understand)', function () {
  this.timeout(30_000);
  let db: CosmosContainers;
  let service: RunningService;
  let connector: LocalConnector;

  before(async () => {
    db = await freshDatabase();
    connector = await startLocalConnector();
    connector.members.set(johan.id, { name: johan.name, email: johan.email, userPrincipalName: johan.email, aadObjectId: johan.aadObjectId });
    service = await startTestService(db, definition, { scheduler: { start: false } });
  });
  after(async () => {
    await service?.close();
    await connector?.close();
  });

  /** Sends a personal-chat message from a fresh ratepayer; returns the bot's replies once they stop coming. */
  async function sayPersonally(text: string): Promise<SentActivity[]> {
    const user = aRatepayer();
    assert.equal(await postActivity(service.url, messageFrom(user, connector.serviceUrl, { text })), 200);
    return settled((s) => s.conversationId === user.conversationId);
  }

  /** Sends a message in the supervisors' channel, @mentioning the bot as Teams does; returns the replies in that thread. */
  async function sayInChannel(text: string): Promise<SentActivity[]> {
    const thread = `${CHANNEL};messageid=${randomUUID()}`;
    const activity = {
      type: 'message',
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      from: { id: johan.id, aadObjectId: johan.aadObjectId, name: johan.name },
      recipient: { id: '28:ratepayer-desk-bot', name: 'Ratepayer Desk' },
      conversation: { id: thread, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
      channelData: { team: { id: '19:team-general@thread.tacv2', name: 'Finance supervisors' }, channel: { id: CHANNEL, name: 'Queue watch' }, tenant: { id: 'tenant-1' } },
      text: `<at>Ratepayer Desk</at> ${text}`,
      entities: [{ type: 'mention', text: '<at>Ratepayer Desk</at>', mentioned: { id: '28:ratepayer-desk-bot', name: 'Ratepayer Desk' } }],
    };
    assert.equal(await postActivity(service.url, activity), 200);
    return settled((s) => s.conversationId === thread);
  }

  /** The replies matching `which`, once no new one has come for 300 ms (the bot answers within the request; this is a margin). */
  async function settled(which: (s: SentActivity) => boolean): Promise<SentActivity[]> {
    let count = -1;
    for (;;) {
      const now = connector.sent.filter(which);
      if (now.length === count) return now;
      count = now.length;
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  const lists = manifest.bots[0]!.commandLists;
  const scopes: [scope: string, say: (text: string) => Promise<SentActivity[]>][] = [
    ['personal', (t) => sayPersonally(t)],
    ['team', (t) => sayInChannel(t)],
  ];

  for (const [scope, say] of scopes) {
    const list = lists.find((l) => l.scopes.includes(scope));
    it(`${scope} scope: each command gets its own answer, not the catch-all's`, async () => {
      assert.ok(list && list.commands.length > 0, `the manifest has a ${scope} command list`);
      const nonsense = shape(await say('plugh xyzzy'));
      const fallsThrough: string[] = [];
      for (const command of list.commands) {
        const replies = await say(command.title);
        assert.ok(replies.length > 0, `"${command.title}" is answered`);
        if (shape(replies) === nonsense) fallsThrough.push(command.title);
      }
      assert.deepEqual(fallsThrough, [], `the bot does not understand these ${scope} commands the manifest advertises`);
    });
  }

  it('promises no arguments in a command\'s description (the command menu sends the title alone)', () => {
    const withArguments = lists.flatMap((l) => l.commands).filter((c) => /<[^>]+>/.test(c.description));
    assert.deepEqual(withArguments.map((c) => `${c.title}: ${c.description}`), []);
  });
});
