import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { CosmosContainers } from '../../bot/platform/cosmos/database.js';
import { openCase, resolveCase } from '../../bot/domain/case.js';
import { formatReference, referenceFromSeed } from '../../bot/domain/reference.js';
import type { ServiceDefinition } from '../../bot/domain/serviceDefinition.js';
import type { RunningService } from '../../bot/service.js';
import { cardOf, cardText } from '../support/activities.js';
import { startLocalConnector, type LocalConnector, type SentActivity } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { startTestService } from '../support/tabApi.js';
import { ManualClock } from '../support/manualClock.js';

const pilot: ServiceDefinition = loadDefinition('bot/definitions/joburg-region-b-pilot.json');
const CHANNEL = '19:supervisors@thread.tacv2';
const TEAM = '19:team-general@thread.tacv2';

const people = {
  johan: { id: '29:johan', aadObjectId: 'aad-johan', name: 'Johan van der Merwe', email: 'johan.vdmerwe@joburg.example' },
  thandi: { id: '29:thandi', aadObjectId: 'aad-thandi', name: 'Thandi Mokoena', email: 'thandi.mokoena@joburg.example' },
  visitor: { id: '29:visitor', aadObjectId: 'aad-visitor', name: 'Pat Visitor', email: 'pat@elsewhere.example' },
};
type Person = (typeof people)[keyof typeof people];

function channelActivity(person: Person, serviceUrl: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: person.id, aadObjectId: person.aadObjectId, name: person.name },
    recipient: { id: '28:ratepayer-desk-bot', name: 'Ratepayer Desk' },
    conversation: { id: `${CHANNEL};messageid=${Date.now()}`, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
    channelData: { team: { id: TEAM, name: 'Finance supervisors' }, channel: { id: CHANNEL, name: 'Queue watch' }, tenant: { id: 'tenant-1' } },
    ...fields,
  };
}

async function post(botUrl: string, activity: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const say = (botUrl: string, connector: LocalConnector, person: Person, text: string) =>
  post(botUrl, channelActivity(person, connector.serviceUrl, { type: 'message', text: `<at>Ratepayer Desk</at> ${text}`, entities: [{ type: 'mention', text: '<at>Ratepayer Desk</at>', mentioned: { id: '28:ratepayer-desk-bot', name: 'Ratepayer Desk' } }] }));

/** The id the local connector gave a POSTed activity. */
const idOf = (connector: LocalConnector, a: SentActivity) => `sent-${connector.sent.filter((s) => s.method === 'POST').indexOf(a) + 1}`;
const title = (a: SentActivity) => String(cardOf(a.body)?.body?.[0]?.text ?? '');

describe('the supervisors\' channel (summary card, alerts, Assign, report) at a local connector', function () {
  this.timeout(30_000);
  let db: CosmosContainers;
  let service: RunningService;
  let connector: LocalConnector;
  const clock = new ManualClock(new Date('2022-08-01T14:50:00Z')); // 16:50 in Johannesburg, before the pilot's first session

  before(async () => {
    db = await freshDatabase();
    connector = await startLocalConnector();
    for (const p of Object.values(people)) connector.members.set(p.id, { name: p.name, email: p.email, userPrincipalName: p.email, aadObjectId: p.aadObjectId });
    service = await startTestService(db, pilot, { clock, scheduler: { start: false } });
  });
  after(async () => {
    await service?.close();
    await connector?.close();
  });

  const inChannel = () => connector.sent.filter((s) => s.conversationId === CHANNEL);
  const replies = () => connector.sent.filter((s) => s.conversationId.startsWith(`${CHANNEL};`));
  const tick = () => service.scheduler.tick();

  async function seed(category: string, minutesAgo = 0, region = 'B') {
    const draftId = randomUUID();
    const c = openCase({
      reference: referenceFromSeed(draftId, 0),
      programmeId: pilot.programme.id,
      category,
      region,
      sessionId: '2022-08-01T17:00',
      draftId,
      ratepayer: { userId: `29:${draftId}`, displayName: 'Lerato Molefe', conversationId: `a:${draftId}`, channelId: 'msteams' },
      intake: { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', description: 'Bill doubled', idNumber: '8001015009087' },
      now: new Date(clock.now().getTime() - minutesAgo * 60_000),
    });
    const r = await new CosmosCaseStore(db.cases).create(c);
    assert.ok(r.created);
    return r.case;
  }

  it('refuses "monitor" from an agent and from someone not on the staff, politely', async () => {
    assert.equal((await say(service.url, connector, people.thandi, 'monitor')).status, 200);
    assert.equal((await say(service.url, connector, people.visitor, 'monitor')).status, 200);
    const texts = replies().map((r) => String(r.body.text));
    assert.match(texts[0]!, /Thank you, Thandi Mokoena, but only supervisors of the programme can make this the supervisors' channel/);
    assert.match(texts[1]!, /Thank you, Pat Visitor, but only supervisors/);
  });

  it('registers the channel for a supervisor and confirms; no card before the session opens', async () => {
    await say(service.url, connector, people.johan, 'monitor');
    assert.match(String(replies().at(-1)!.body.text), /Done, Johan van der Merwe: this channel is now the supervisors' channel for Virtual customer engagement/);
    assert.match(String(replies().at(-1)!.body.text), /No session is open now/);
    // In a channel Teams passes only messages that @mention the bot: the undo says so.
    assert.match(String(replies().at(-1)!.body.text), /Type "@Ratepayer Desk stop monitoring" to undo this/);
    await tick();
    assert.equal(inChannel().length, 0);
  });

  it('posts the summary card when the session opens, then updates that same activity in place, at most every 30 s and only on change', async () => {
    clock.set('2022-08-01T15:00:00Z'); // 17:00
    const [opened] = (await tick()).events;
    assert.equal(opened?.kind, 'opened');
    assert.equal(inChannel().length, 1);
    const card = inChannel()[0]!;
    assert.equal(card.method, 'POST');
    assert.match(title(card), /Live queue: Virtual customer engagement/);
    const activityId = idOf(connector, card);

    // Nothing changed: no update, however often the scheduler ticks.
    clock.advance(40_000);
    await tick();
    await tick();
    assert.equal(inChannel().length, 1, 'no update when nothing changed');

    // A case arrives: the card changes, but not before 30 s have passed since the last update.
    const c = await seed('billing');
    await tick();
    const updates = () => inChannel().filter((s) => s.method === 'PUT');
    assert.equal(updates().length, 1, 'updated (40 s after posting)');
    const put = updates()[0]!;
    assert.equal(put.activityId, activityId, 'the PUT targets the posted activity');
    assert.match(cardText(cardOf(put.body)), /Account and billing queries/);
    const billingRow = (cardOf(put.body)!.body as any[]).filter((b) => b.type === 'Container')[0];
    assert.equal(billingRow.items[0].text, 'Account and billing queries');
    assert.match(billingRow.items[1].text, /^1 waiting · longest wait /);
    const secondCase = await seed('rates');
    clock.advance(10_000);
    await tick();
    assert.equal(updates().length, 1, 'a change within 30 s waits');
    clock.advance(20_000);
    await tick();
    assert.equal(updates().length, 2, 'sent once 30 s have passed');
    assert.equal(updates()[1]!.activityId, activityId);
    await tick();
    assert.equal(updates().length, 2);
    // POPIA: no names, mobile or ID numbers in the channel.
    const all = JSON.stringify(inChannel().map((s) => s.body));
    for (const secret of ['Lerato', '0821234567', '+27821234567', '8001015009087', '501234567']) assert.ok(!all.includes(secret), `${secret} is not in the channel`);
    assert.ok(c && secondCase);
  });

  it('raises one alert per case that waits past its category\'s limit, with an Assign action', async () => {
    clock.advance(21 * 60_000); // the billing and rates cases have waited 21.5 minutes (limit 20)
    await tick();
    await tick();
    clock.advance(60_000);
    await tick();
    const alerts = inChannel().filter((s) => s.method === 'POST' && /Waiting past the limit/.test(title(s)));
    assert.equal(alerts.length, 2, 'one alert per case, never repeated');
    const billing = alerts.find((a) => /Account and billing/.test(cardText(cardOf(a.body))))!;
    const card = cardOf(billing.body)!;
    assert.match(cardText(card), /21 minutes \(limit 20\)/);
    const action = card.actions[0];
    assert.equal(action.type, 'Action.Execute');
    assert.equal(action.verb, 'alert.assign');
    const choices = JSON.stringify(card.body.find((b: any) => b.type === 'Input.ChoiceSet').choices);
    assert.match(choices, /Thandi Mokoena/);
    assert.match(choices, /Sipho Dlamini/);
    assert.doesNotMatch(choices, /Anele/, 'only agents with the billing skill');
  });

  it('"Assign": an agent\'s click is refused; a supervisor\'s assigns the case and the card shows who took it, for everyone', async () => {
    const alert = inChannel().find((s) => /Waiting past the limit/.test(title(s)) && /Account and billing/.test(cardText(cardOf(s.body))))!;
    const alertActivityId = idOf(connector, alert);
    const data = cardOf(alert.body)!.actions[0].data;
    const invoke = (person: Person, agentId: string) =>
      post(
        service.url,
        channelActivity(person, connector.serviceUrl, {
          type: 'invoke',
          name: 'adaptiveCard/action',
          replyToId: alertActivityId,
          value: { action: { type: 'Action.Execute', verb: 'alert.assign', data: { ...data, agentId } }, trigger: 'manual' },
        }),
      );
    const reference = data.reference as string;
    // A refusal is a short message for the clicker, never the alert card again (reference,
    // category, minutes waited, agents' names): whoever clicked, an agent or someone not on the staff.
    for (const person of [people.thandi, people.visitor]) {
      const refused = await invoke(person, 'thandi');
      assert.equal(refused.status, 200);
      assert.equal(refused.body.statusCode, 200);
      assert.equal(refused.body.type, 'application/vnd.microsoft.activity.message', person.name);
      assert.equal(typeof refused.body.value, 'string');
      assert.match(refused.body.value, /Only supervisors can assign cases\. Nothing was changed\./);
      const said = JSON.stringify(refused.body);
      for (const secret of [reference, formatReference(reference), 'Account and billing', 'minutes', 'Sipho', 'Thandi', 'Anele'])
        assert.ok(!said.includes(secret), `${person.name}'s refusal says "${secret}"`);
    }
    assert.equal((await new CosmosCaseStore(db.cases).get(reference))?.state, 'waiting', 'nothing changed');

    const putsBefore = inChannel().filter((s) => s.method === 'PUT' && s.activityId === alertActivityId).length;
    const done = await invoke(people.johan, 'sipho');
    assert.equal(done.body.statusCode, 200);
    assert.match(cardText(done.body.value), /Assigned to Sipho Dlamini by Johan van der Merwe at 17:2\d/);
    assert.equal(done.body.value.actions.length, 0, 'no Assign action any more');
    const stored = await new CosmosCaseStore(db.cases).get(reference);
    assert.equal(stored?.state, 'in_progress');
    assert.equal(stored?.assignedTo?.staffId, 'sipho');
    assert.deepEqual(stored?.audit.at(-1)?.by.name, 'Johan van der Merwe');
    assert.equal(stored?.audit.at(-1)?.action, 'assigned');
    const puts = inChannel().filter((s) => s.method === 'PUT' && s.activityId === alertActivityId);
    assert.equal(puts.length, putsBefore + 1, 'the alert message was updated in place for everyone');
    assert.match(cardText(cardOf(puts.at(-1)!.body)), /Assigned to Sipho Dlamini/);
  });

  it('posts the end-of-session report at closing with the session\'s figures, and marks the summary card closed', async () => {
    const store = new CosmosCaseStore(db.cases);
    const [assigned] = await store.listInProgress(pilot.programme.id, {}, 5);
    clock.advance(12 * 60_000);
    await store.replace({
      ...resolveCase(assigned!, clock.now(), { kind: 'staff', id: 'sipho', name: 'Sipho Dlamini' }, { kind: 'arrangement_made', summary: 'R500 a month' }, 365),
      etag: assigned!.etag,
    });
    clock.set('2022-08-01T17:46:00Z'); // 19:46
    await tick();
    clock.set('2022-08-01T18:00:00Z'); // 20:00
    const { events } = await tick();
    assert.deepEqual(events.map((e) => e.kind), ['closingSoon', 'closed'].filter((k) => events.some((e) => e.kind === k)));
    const report = inChannel().find((s) => /Session report/.test(title(s)));
    assert.ok(report, 'report posted');
    const text = cardText(cardOf(report!.body));
    assert.match(text, /Monday 1 August 2022, 17:00–20:00/);
    assert.match(text, /Cases\n2\nResolved\n1/);
    assert.match(text, /Arrangement made\n1/);
    assert.match(text, /Carried over to the next session \(1 waiting, 0 with an expert\)/);
    const lastSummary = inChannel().filter((s) => s.method === 'PUT' && /Session closed/.test(title(s)));
    assert.equal(lastSummary.length, 1, 'the summary card says the session closed');
    await tick();
    assert.equal(inChannel().filter((s) => /Session report/.test(title(s))).length, 1, 'one report');
  });

  it('"stop monitoring" undoes it: nothing more is posted there', async () => {
    await say(service.url, connector, people.johan, 'stop monitoring');
    assert.match(String(replies().at(-1)!.body.text), /no longer a supervisors' channel/);
    const before = inChannel().length;
    clock.set('2022-08-02T15:05:00Z'); // next session
    await tick();
    await seed('billing', 30);
    clock.advance(60_000);
    await tick();
    assert.equal(inChannel().length, before);
  });
});
