/**
 * Programme-specific wording comes from the service definition, not from code: the "7 to 11"
 * ward walkabouts never tell people to type "billing" or "water meter"; their examples are the
 * keywords of their own categories. The pilot keeps its own examples ("billing", "water meter").
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { LOCAL_DEFINITION } from '../../bot/platform/config/settings.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import { startService, type RunningService } from '../../bot/service.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity, type TestUser } from '../support/activities.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { localSettings } from '../support/tabApi.js';

const folder = path.dirname(LOCAL_DEFINITION);
const WALKABOUTS = loadDefinition(path.join(folder, 'seven-to-eleven.json'));
const PILOT = loadDefinition(path.join(folder, 'joburg-region-b-pilot.json'));
/** Tuesday 2 August 2022, 07:30 in Johannesburg: a walkabout morning and a pilot day. */
const NOW = new Date('2022-08-02T05:30:00Z');

describe('programme wording from the service definition', () => {
  let connector: LocalConnector;
  let service: RunningService | undefined;

  beforeEach(async () => {
    connector = await startLocalConnector();
  });

  afterEach(async () => {
    await service?.close();
    service = undefined;
    await connector.close();
  });

  async function start(definition: ServiceDefinition) {
    const db = await freshDatabase();
    service = await startService(localSettings, { containers: db, definition, clock: { now: () => NOW } });
  }

  async function say(user: TestUser, text: string): Promise<string> {
    const before = connector.sent.filter((s) => s.conversationId === user.conversationId).length;
    assert.equal(await postActivity(service!.url, messageFrom(user, connector.serviceUrl, { text })), 200);
    const [reply] = (await connector.waitFor(user.conversationId, before + 1)).slice(before);
    const card = cardOf(reply!.body);
    return card ? cardText(card) : String(reply!.body.text);
  }

  it('the 7 to 11 walkabouts suggest their own keywords, never "billing" or "water meter"', async () => {
    await start(WALKABOUTS);
    const user = aRatepayer();
    const answers = [await say(user, 'status'), await say(user, 'my cases'), await say(user, 'thank you')];
    for (const answer of answers) {
      assert.match(answer, /for example "facility" or "park"/, answer);
      assert.doesNotMatch(answer, /billing|water meter/i, answer);
    }
    const welcome = await say(user, 'hello');
    assert.match(welcome, /7 to 11 Boots on the Ground/);
    assert.match(welcome, /Community facilities/);
    assert.doesNotMatch(welcome, /billing/i);
  });

  it('the pilot keeps the examples its definition names', async () => {
    await start(PILOT);
    const user = aRatepayer();
    assert.match(await say(user, 'status'), /You have no open cases\. Type the kind of query you have \(for example "billing" or "water meter"\) to join a queue\./);
    assert.match(await say(user, 'thanks'), /^You are welcome\. If you have another query, just type it here \(for example "billing" or "water meter"\)\.$/);
  });
});
