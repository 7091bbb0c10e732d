/**
 * Tester 10, finding 10 (DESIGN §5, POPIA): an ID number a ratepayer types as text (in the query
 * on the form, or in a chat message to the expert) is kept, shown on the case page and sent for
 * translation with all but its last four digits masked, as the form's own ID is shown. Over real
 * HTTP: the form and the messages are Bot Framework activities POSTed to /api/messages, the
 * case is read through the tab API and straight from the embedded Cosmos DB.
 */
import assert from 'node:assert/strict';
import { maskIdNumbersIn } from '../../bot/domain/validation.js';
import { aRatepayer, cardOf, cardText, messageFrom, postActivity } from '../support/activities.js';
import { billingCaseWithThandi, useExpertChat } from '../support/expertChat.js';
import { until } from '../support/poll.js';

const ID = '8504120620086';
const MASKED = '•••••••••0086';

describe('ID numbers typed as text are masked (tester 10, finding 10)', function () {
  this.timeout(60_000);

  it('masks a valid ID typed whole or with spaces, dashes or dots, and leaves other numbers as typed', () => {
    assert.equal(maskIdNumbersIn(`My ID is ${ID} and my cell 0834445566`), `My ID is ${MASKED} and my cell 0834445566`);
    assert.equal(maskIdNumbersIn('ID: 850412 0620 086.'), `ID: ${MASKED}.`);
    assert.equal(maskIdNumbersIn('ID 850412-0620-08-6'), `ID ${MASKED}`);
    assert.equal(maskIdNumbersIn('ID 8504120620086, account 501234567'), `ID ${MASKED}, account 501234567`);
    // Not an ID: the check digit is wrong, the date is not real, or the run of digits is longer.
    assert.equal(maskIdNumbersIn('8504120620087'), '8504120620087');
    assert.equal(maskIdNumbersIn('8513320620086'), '8513320620086');
    assert.equal(maskIdNumbersIn('18504120620086'), '18504120620086');
    assert.equal(maskIdNumbersIn('no digits here'), 'no digits here');
  });

  const desk = useExpertChat();

  it("keeps and shows a chat message's ID masked to the expert; the stored case holds no full ID", async () => {
    const { user, reference } = await billingCaseWithThandi(desk);
    assert.equal(await postActivity(desk.service.url, messageFrom(user, desk.connector.serviceUrl, { text: `My ID is ${ID} and my cell 0834445566` })), 200);
    assert.equal(await postActivity(desk.service.url, messageFrom(user, desk.connector.serviceUrl, { text: 'Or as on the card: 850412 0620 086' })), 200);
    const page = await until(
      () => desk.thandi.get(`/api/cases/${reference}`),
      (p) => p.status === 200 && (p.body.transcript as { from: string }[]).filter((e) => e.from === 'ratepayer').length >= 2,
      'both messages on the case page',
    );
    const typed = (page!.body.transcript as { from: string; text: string }[]).filter((e) => e.from === 'ratepayer').map((e) => e.text);
    assert.deepEqual(typed, [`My ID is ${MASKED} and my cell 0834445566`, `Or as on the card: ${MASKED}`]);
    assert.ok(!JSON.stringify(page!.body).includes(ID), 'the full ID is nowhere on the case page');
    const { resource } = await desk.db.cases.item(reference, reference).read();
    assert.ok(resource, 'the case is stored');
    const stored = JSON.stringify(resource);
    assert.ok(!stored.includes(ID) && !stored.includes('850412 0620 086'), 'the stored case keeps no full ID');
  });

  it("keeps and shows an ID typed into the form's query masked", async () => {
    const user = aRatepayer('Lindiwe Test');
    const description = `Please check my indigent status, my ID is ${ID}.`;
    assert.equal(
      await postActivity(desk.service.url, messageFrom(user, desk.connector.serviceUrl, {
        value: { verb: 'intake.submit', category: 'billing', draftId: `draft-${user.aadObjectId}`, accountNumber: '501234568', accountHolder: 'Lindiwe Test', mobile: '082 123 4568', description },
      })),
      200,
    );
    const queued = await until(
      () => desk.connector.sent.filter((s) => s.conversationId === user.conversationId).map((s) => cardText(cardOf(s.body) ?? {})).find((t) => /Your case reference/.test(t)),
      Boolean,
      'the queued card',
    );
    const reference = /([2-9A-Z]{3}-[2-9A-Z]{3})/.exec(queued!)![1]!.replace('-', '');
    const page = await desk.thandi.get(`/api/cases/${reference}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    const query = (page.body.intake as { name: string; value: string }[]).find((l) => l.name === 'description');
    assert.equal(query?.value, `Please check my indigent status, my ID is ${MASKED}.`);
    assert.ok(!JSON.stringify(page.body).includes(ID), 'the full ID is nowhere on the case page');
    const { resource } = await desk.db.cases.item(reference, reference).read();
    assert.ok(!JSON.stringify(resource).includes(ID), 'the stored case keeps no full ID');
  });
});
