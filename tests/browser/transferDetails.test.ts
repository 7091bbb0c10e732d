/**
 * The case page in Chromium after a transfer whose new category needs details the intake lacks:
 * the expert sees that they were asked and not yet answered, named in staff's words, and can
 * still claim the case; the page stays accessible.
 */
import assert from 'node:assert/strict';
import { claimCase, openCase, transferCase } from '../../bot/domain/case.js';
import { referenceFromSeed } from '../../bot/domain/reference.js';
import { categoryByCode } from '../../bot/domain/serviceDefinition.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, startTestService } from '../support/tabApi.js';

describe('details asked after a transfer, on the case page in Chromium', function () {
  this.timeout(60_000);
  const definition = definitionWithAgents();
  let service: RunningService;
  let browser: TestBrowser;
  let reference: string;

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    const ratepayer = { userId: '29:lerato', displayName: 'Lerato M', conversationId: 'a:lerato', channelId: 'msteams' };
    const intake = { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', proposedMonthlyPayment: 500, description: 'I lost my job and cannot pay.' };
    const now = new Date(Date.now() - 60_000);
    const priya = { id: 'priya', name: 'Priya Naidoo' };
    const opened = openCase({ reference: referenceFromSeed('transfer-details', 0), programmeId: definition.programme.id, category: 'credit-control', region: 'B', sessionId: 'always', draftId: 'transfer-details', ratepayer, intake, now });
    const moved = transferCase(claimCase(opened, now, priya), now, { kind: 'staff', ...priya }, categoryByCode(definition, 'indigent')!, 'ESP registration');
    assert.ok((await new CosmosCaseStore(db.cases).create(moved)).created, 'seeded');
    reference = moved.id;
    service = await startTestService(db, definition, { scheduler: { start: false } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it('names the details asked and not yet answered, and the case can still be claimed', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Priya/ }).click();
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    await page.getByRole('button', { name: `Open case ${reference.slice(0, 3)}-${reference.slice(3)}` }).click();
    const asked = page.getByTestId('details-asked');
    await asked.waitFor();
    assert.match(await asked.innerText(), /Asked of the ratepayer for Indigent-related queries and registration \(ESP\) on .*, not answered yet: South African ID number, Household size, Monthly household income\./);
    assert.ok(await page.getByRole('button', { name: 'Claim this case' }).isEnabled());
    await expectAccessible(page, 'case page with details asked');
  });
});
