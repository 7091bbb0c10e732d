/**
 * Tester 10, finding 13: env/.env.dev deployed the pilot's definition, whose sessions ended on
 * 5 August 2022, and nothing said so: every ratepayer was told no more sessions are planned. The
 * service now warns at start when no session is open or ahead (bot/domain/calendar.ts
 * calendarIsOver), and stays quiet when one is. The service runs on the embedded Cosmos DB.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { calendarIsOver } from '../../bot/domain/calendar.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { captureLog } from '../../bot/platform/log.js';
import { freshDatabase } from '../support/cosmos.js';
import { definitionWithAgents, startTestService } from '../support/tabApi.js';

const PILOT = path.resolve('bot/definitions/joburg-region-b-pilot.json');
const fixedClock = (iso: string) => ({ now: () => new Date(iso) });

describe('a calendar with no session ahead is said at start (tester 10, finding 13)', function () {
  this.timeout(30_000);

  it('knows when a calendar is over, and when a session is open or ahead', () => {
    const pilot = loadDefinition(PILOT);
    assert.equal(calendarIsOver(pilot, new Date('2026-11-30T17:00:00Z')), true, 'after the pilot');
    assert.equal(calendarIsOver(pilot, new Date('2022-08-01T16:00:00Z')), false, 'during the first evening (18:00 in Johannesburg)');
    assert.equal(calendarIsOver(pilot, new Date('2022-07-01T10:00:00Z')), false, 'before the pilot');
  });

  it('warns once at start with the pilot after its last session, and not with a session ahead', async () => {
    const db = await freshDatabase();
    const capture = captureLog();
    try {
      const over = await startTestService(db, loadDefinition(PILOT), { scheduler: { start: false }, clock: fixedClock('2026-11-30T17:00:00Z') });
      await over.close();
      const before = await startTestService(db, loadDefinition(PILOT), { scheduler: { start: false }, clock: fixedClock('2022-07-30T10:00:00Z') });
      await before.close();
      const local = await startTestService(db, definitionWithAgents(), { scheduler: { start: false } });
      await local.close();
    } finally {
      capture.restore();
    }
    const warnings = capture.records().filter((r) => r.component === 'service' && /No session of/.test(String(r.msg)));
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.equal(warnings[0]!.level, 'warn');
    assert.match(String(warnings[0]!.msg), /ratepayers will be told that no more sessions are planned.*docs\/deploy\.md/);
  });
});
