/**
 * The case page in Chromium when an expert transfers a case out of their own categories: the case
 * is no longer theirs to see (the API would refuse its page from now on), so the tab closes it and
 * says where it went, instead of leaving the ratepayer's details on the screen going stale.
 */
import assert from 'node:assert/strict';
import { openCase } from '../../bot/domain/case.js';
import { formatReference, referenceFromSeed } from '../../bot/domain/reference.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, startTestService } from '../support/tabApi.js';

describe('a transfer out of the expert\'s categories, on the case page in Chromium', function () {
  this.timeout(60_000);
  const definition = definitionWithAgents();
  let service: RunningService;
  let browser: TestBrowser;
  let reference: string;

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    const ratepayer = { userId: '29:sizwe', displayName: 'Sizwe D', conversationId: 'a:sizwe', channelId: 'msteams' };
    const intake = { accountNumber: '501234567', accountHolder: 'Sizwe Dlamini', mobile: '+27821234567', description: 'My meter reads double.' };
    const opened = openCase({ reference: referenceFromSeed('transfer-away', 0), programmeId: definition.programme.id, category: 'billing', region: 'B', sessionId: 'always', draftId: 'transfer-away', ratepayer, intake, now: new Date(Date.now() - 60_000) });
    assert.ok((await new CosmosCaseStore(db.cases).create(opened)).created, 'seeded');
    reference = opened.id;
    service = await startTestService(db, definition, { scheduler: { start: false } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it('closes the case and says where it went; nothing of the ratepayer\'s stays on the screen', async () => {
    const tab = await (await browser.newContext()).newPage();
    await tab.goto(service.tabUrl);
    await tab.getByRole('button', { name: /Sign in as Thandi/ }).click();
    await tab.getByRole('button', { name: `Open case ${formatReference(reference)}` }).click();
    await tab.getByRole('button', { name: 'Claim this case' }).click();
    await tab.getByText('501234567').first().waitFor();
    await tab.getByRole('button', { name: 'Transfer…' }).click();
    const dialog = tab.getByRole('dialog', { name: 'Transfer to another category' });
    await dialog.getByLabel('Category').selectOption({ label: 'Water and electricity metering queries' });
    await dialog.getByLabel('Note for the next expert').fill('The meter, not the bill.');
    await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
    await tab.getByText(`Case ${formatReference(reference)} moved to Water and electricity metering queries, keeping its wait. It is not one of your categories, so it is closed here.`).waitFor();
    await tab.getByTestId('case-page').waitFor({ state: 'detached' });
    assert.equal(await tab.getByText('501234567').count(), 0, 'the account number is gone from the screen');
    assert.equal(await tab.getByText('Sizwe Dlamini').count(), 0, 'and the name');
    assert.equal(await tab.getByRole('heading', { name: new RegExp(`^Case ${formatReference(reference)}`) }).count(), 0, 'the case page is closed');
    await expectAccessible(tab, 'the desk after a transfer out of the expert\'s categories');
  });
});
