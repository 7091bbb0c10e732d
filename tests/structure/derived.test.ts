/**
 * Derived, not copied (issue 15): what staff read for an outcome is the same word in the tab and in
 * the supervisors' report card (both take bot/platform/contract/staffWords.ts).
 */
import assert from 'node:assert/strict';
import { reportCard } from '../../bot/platform/cards/supervisorCards.js';
import { loadDefinition } from '../../bot/platform/config/definition.js';
import { openSessionAt } from '../../bot/domain/calendar.js';
import { OUTCOMES } from '../../bot/domain/case.js';
import { sessionReport, type SessionCase } from '../../bot/domain/sessionReport.js';
import { OUTCOME_LABELS } from '../../tab/src/format.js';

const pilot = loadDefinition('bot/definitions/joburg-region-b-pilot.json');

describe('derived, not copied', () => {
  it('names every outcome with the same words in the tab and in the session report card', () => {
    const session = openSessionAt(pilot, new Date('2022-08-01T16:00:00Z'))!;
    const cases: SessionCase[] = OUTCOMES.map((outcome, i) => ({
      id: `AAA${i}22`,
      category: 'billing',
      sessionId: session.id,
      state: 'resolved',
      queuedAt: '2022-08-01T15:00:00.000Z',
      firstClaimedAt: '2022-08-01T15:05:00.000Z',
      outcome,
      handlingMinutes: 5,
      closedAt: '2022-08-01T15:10:00.000Z',
    }));
    const card = JSON.stringify(
      reportCard({ programmeName: pilot.programme.name, session, timeZone: pilot.timeZone, report: sessionReport(session.id, cases, { categories: pilot.categories, staff: pilot.staff }) }),
    );
    for (const outcome of OUTCOMES) {
      const label = OUTCOME_LABELS[outcome];
      assert.ok(label, `the tab names ${outcome}`);
      assert.ok(card.includes(JSON.stringify(label)), `the report card names ${outcome} "${label}", as the tab does`);
    }
  });

});
