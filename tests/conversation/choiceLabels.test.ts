/**
 * A choice field's answer is shown by its option's label in the reader's language, never by the
 * code the intake keeps (meterType "electricity", supplier "city-power"): the ratepayer's used card
 * and "my data" in their language, the case page in staff's (with the code beside it for
 * programs). Over the Bot Framework protocol (activities POSTed to /api/messages, replies read at
 * the local connector), the tab API over real HTTP, cases in the embedded Cosmos DB.
 */
import assert from 'node:assert/strict';
import { TEAMS_LIMITS } from '../../bot/platform/teams/proactiveMessenger.js';
import { t } from '../../bot/messages/index.js';
import type { RunningService } from '../../bot/service.js';
import type { IntakeLine } from '../../bot/platform/contract/tabApi.js';
import { aRatepayer } from '../support/activities.js';
import { shownWithCard, teamsChat, type TeamsChat } from '../support/answers.js';
import { startLocalConnector, type LocalConnector } from '../support/connector.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, signIn, startTestService } from '../support/tabApi.js';
import { programmeWordsIn } from '../../bot/domain/serviceDefinition.js';

const definition = definitionWithAgents(0);
const metering = { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '0821234567', meterType: 'electricity', meterNumber: '04123456789', description: 'My meter reads too high.' };

describe('choice answers shown by their labels, not their codes', function () {
  this.timeout(60_000);
  let connector: LocalConnector;
  let service: RunningService;
  let chat: TeamsChat;

  beforeEach(async () => {
    connector = await startLocalConnector();
    service = await startTestService(await freshDatabase(), definition, { pacing: { ...TEAMS_LIMITS, maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 80 } });
    chat = teamsChat(connector, service.url);
  });
  afterEach(async () => {
    await service.close();
    await connector.close();
  });

  it("the used card and \"my data\" in the ratepayer's language, the case page in staff's, with the code beside it", async () => {
    const lerato = aRatepayer('Lerato Molefe');
    await chat.answer(lerato, { text: 'Sawubona' }, [t('zu', 'cards.welcome.title', { programme: programmeWordsIn(definition, 'zu').name })]);
    const queued = await chat.answer(lerato, { value: { verb: 'intake.submit', category: 'metering', draftId: `draft-${lerato.aadObjectId}`, ...metering, supplier: 'city-power' } }, [t('zu', 'cards.queued.headline')], { replyToId: 'the-intake-card' });
    const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(queued)![1]!;

    // The used card, replaced by what was sent: the labels in isiZulu.
    const used = chat.sentTo(lerato).map(shownWithCard).find((x) => x.includes(t('zu', 'fields.supplier.label')) && x.includes(t('zu', 'fields.meterType.label')))!;
    assert.ok(used, 'the used card shows the details sent');
    assert.ok(used.includes(t('zu', 'fields.meterType.choices.electricity')) && used.includes('City Power'), used);
    assert.doesNotMatch(used, /\belectricity\b|city-power/);

    // "my data", in isiZulu.
    const mine = await chat.answer(lerato, { text: 'imininingwane yami' }, [t('zu', 'cards.myData.title'), reference]);
    assert.ok(mine.includes(`${t('zu', 'fields.meterType.choices.electricity')}`), mine);
    assert.ok(mine.includes('City Power'), mine);
    assert.doesNotMatch(mine, /\belectricity\b|city-power/);

    // The case page: staff's words (English), the stored code beside each choice.
    const anele = await signIn(service, 'anele');
    const page = await anele.get(`/api/cases/${reference.replace('-', '')}`);
    assert.equal(page.status, 200);
    const lines = page.body.intake as IntakeLine[];
    assert.deepEqual(lines.find((l) => l.name === 'supplier'), { name: 'supplier', label: 'Billed by (as the ratepayer said)', value: 'City Power', code: 'city-power' });
    assert.deepEqual(lines.find((l) => l.name === 'meterType'), { name: 'meterType', label: 'Meter type', value: 'Electricity', code: 'electricity' });
    assert.equal(lines.find((l) => l.name === 'accountNumber')?.code, undefined, 'only choices carry a code');
  });

  it('"not sure" of the supplier is said in the ratepayer\'s words, and as staff read it on the case page', async () => {
    const sipho = aRatepayer('Sipho Nkosi');
    await chat.answer(sipho, { text: 'Goeie môre' }, [t('af', 'cards.welcome.title', { programme: programmeWordsIn(definition, 'af').name })]);
    const queued = await chat.answer(sipho, { value: { verb: 'intake.submit', category: 'metering', draftId: `draft-${sipho.aadObjectId}`, ...metering, meterType: 'water', supplier: 'unsure' } }, [t('af', 'cards.queued.headline')]);
    const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(queued)![1]!;
    const mine = await chat.answer(sipho, { text: 'my inligting asseblief' }, [t('af', 'cards.myData.title'), reference]);
    assert.ok(mine.includes(t('af', 'fields.supplier.choices.unsure')), mine);
    assert.ok(mine.includes(t('af', 'fields.meterType.choices.water')), mine);
    assert.doesNotMatch(mine, /\bunsure\b/);

    const page = await (await signIn(service, 'anele')).get(`/api/cases/${reference.replace('-', '')}`);
    assert.deepEqual((page.body.intake as IntakeLine[]).find((l) => l.name === 'supplier'), { name: 'supplier', label: 'Billed by (as the ratepayer said)', value: t('en', 'fields.supplier.choices.unsure'), code: 'unsure' });
  });
});
