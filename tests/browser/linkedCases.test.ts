/**
 * Issue 19 in Chromium: a case opened after an earlier one's reopen period shows the earlier case
 * and its history on the expert's case page ("Linked cases": what was decided, its audit trail),
 * and the earlier case shows the later one; each opens the other; the page stays accessible.
 */
import assert from 'node:assert/strict';
import { claimCase, openCase, resolveCase } from '../../bot/domain/case.js';
import { linkFollowingCase } from '../../bot/domain/followThrough.js';
import { referenceFromSeed } from '../../bot/domain/reference.js';
import { CosmosCaseStore } from '../../bot/platform/cosmos/caseStore.js';
import type { RunningService } from '../../bot/service.js';
import { expectAccessible } from '../support/axe.js';
import { launchChromium, requireChromium, type TestBrowser } from '../support/browser.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, startTestService } from '../support/tabApi.js';

const DAY = 86_400_000;

describe('linked cases on the case page in Chromium (issue 19)', function () {
  this.timeout(60_000);
  const definition = definitionWithAgents();
  let service: RunningService;
  let browser: TestBrowser;
  let earlier: string;
  let later: string;
  const shown = (id: string) => `${id.slice(0, 3)}-${id.slice(3)}`;

  before(async function () {
    requireChromium(this);
    const db = await freshDatabase();
    const store = new CosmosCaseStore(db.cases);
    const ratepayer = { userId: '29:lerato', displayName: 'Lerato M', conversationId: 'a:lerato', channelId: 'msteams' };
    const intake = { accountNumber: '501234567', accountHolder: 'Lerato Molefe', mobile: '+27821234567', description: 'My bill doubled in March.' };
    const then = new Date(Date.now() - 30 * DAY);
    const thandi = { kind: 'staff' as const, id: 'thandi', name: 'Thandi Mokoena' };
    const old = resolveCase(
      claimCase(openCase({ reference: referenceFromSeed('linked-earlier', 0), programmeId: definition.programme.id, category: 'billing', region: 'B', sessionId: 'always', draftId: 'linked-earlier', ratepayer, intake, now: then }), then, { id: thandi.id, name: thandi.name }),
      new Date(then.getTime() + 600_000),
      thandi,
      { kind: 'resolved', summary: 'The March estimate was replaced by a reading.' },
      365,
    );
    const now = new Date();
    const next = openCase({ reference: referenceFromSeed('linked-later', 0), programmeId: definition.programme.id, category: 'billing', region: 'B', sessionId: 'always', draftId: 'linked-later', ratepayer, intake, follows: old.id, now });
    for (const c of [linkFollowingCase(old, now, { kind: 'ratepayer', id: ratepayer.userId, name: ratepayer.displayName }, next.id), next])
      assert.ok((await store.create(c)).created, 'seeded');
    earlier = old.id;
    later = next.id;
    service = await startTestService(db, definition, { scheduler: { start: false } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  it('shows the earlier case with what was decided and its history, and the later case on the earlier one; each opens the other', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.tabUrl);
    await page.getByRole('button', { name: /Sign in as Thandi Mokoena/ }).click();
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    await page.getByRole('button', { name: `Open case ${shown(later)}` }).click();
    const linked = page.getByRole('region', { name: 'Linked cases' });
    await linked.waitFor();
    const text = await linked.innerText();
    assert.match(text, new RegExp(`Follows ${shown(earlier)} \\(Account and billing queries, .*\\): The March estimate was replaced by a reading\\.`));
    await linked.getByText(/Its history \(\d+\)/).click();
    const history = linked.getByRole('list', { name: 'History of the earlier case' });
    assert.match(await history.innerText(), /resolved/);
    assert.match(await history.innerText(), new RegExp(`followed by — case ${later}`));
    await expectAccessible(page, 'case page with an earlier case');

    await linked.getByRole('button', { name: shown(earlier) }).click();
    const back = page.getByRole('region', { name: 'Linked cases' });
    await back.getByText(`Followed by`).waitFor();
    assert.match(await back.innerText(), new RegExp(`Followed by ${shown(later)} \\(Waiting`));
  });
});
