/**
 * Claim-next prefers an expert who speaks the ratepayer's language when one is free, without
 * making anyone wait past the category's limit for it (issue 16; bot/domain/assignment.ts). Pure.
 */
import assert from 'node:assert/strict';
import type { StaffIdentity } from '../../bot/domain/access.js';
import { claimOrder, type LanguagePreference } from '../../bot/domain/assignment.js';

const now = new Date('2026-12-01T17:30:00Z');
const agent = (id: string, skills = ['billing']): StaffIdentity => ({ id, name: id, email: `${id}@x`, role: 'agent', skills, regions: [] });
const thandi = agent('thandi');
const sipho = agent('sipho');
const speaks: Record<string, string[]> = { sipho: ['zu'], lineo: ['st'] };

/** A waiting case that joined `minutesAgo`. */
function waiting(ref: string, minutesAgo: number, language?: string, category = 'billing') {
  const at = new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  return { id: ref, category, region: 'B', queueKey: `${at}~${ref}`, ...(language ? { language: language as 'zu' } : {}) };
}

function preference(freeAgents: StaffIdentity[]): LanguagePreference {
  return { now, speaks: (id) => speaks[id] ?? [], freeAgents, waitLimitMinutes: (category) => (category === 'billing' ? 20 : 60) };
}

const order = (who: StaffIdentity, cases: ReturnType<typeof waiting>[], free: StaffIdentity[]) => claimOrder(who, cases, preference(free)).map((c) => c.id);

describe('claim-next and the ratepayer\'s language (issue 16)', () => {
  it('leaves an isiZulu case for a free isiZulu-speaking agent (others take the next), and only then', () => {
    const cases = [waiting('EN1', 2), waiting('ZU1', 10, 'zu'), waiting('EN2', 5)];
    assert.deepEqual(order(thandi, cases, [sipho]), ['EN2', 'EN1', 'ZU1'], 'held for Sipho, still offered last');
    // No speaker free: oldest first, as before.
    assert.deepEqual(order(thandi, cases, []), ['ZU1', 'EN2', 'EN1']);
    assert.deepEqual(order(thandi, cases, [agent('lineo')]), ['ZU1', 'EN2', 'EN1'], 'a free agent who speaks another language');
    assert.deepEqual(order(thandi, cases, [agent('sipho', ['rates'])]), ['ZU1', 'EN2', 'EN1'], 'a free speaker who does not work the category');
    assert.deepEqual(claimOrder(thandi, cases).map((c) => c.id), ['ZU1', 'EN2', 'EN1'], 'without a preference at all');
    // Every case in English: exactly the old order, whoever is free.
    const english = [waiting('EN1', 2), waiting('R1', 70, undefined, 'rates'), waiting('EN2', 25)];
    assert.deepEqual(order(agent('both', ['billing', 'rates']), english, [sipho]), ['R1', 'EN2', 'EN1']);
  });

  it('gives the speaker the case in their language first', () => {
    const cases = [waiting('EN1', 12), waiting('ZU1', 3, 'zu'), waiting('EN2', 5)];
    assert.deepEqual(order(sipho, cases, [thandi]), ['ZU1', 'EN1', 'EN2']);
  });

  it('never makes a ratepayer wait past the category\'s limit for the preference', () => {
    // A speaker's preference does not jump a case already past its limit (billing: 20 minutes)…
    const late = [waiting('EN9', 25), waiting('ZU2', 3, 'zu'), waiting('EN3', 5)];
    assert.deepEqual(order(sipho, late, []), ['EN9', 'ZU2', 'EN3']);
    // …and a case past its limit is not held for a free speaker: whoever claims next takes it in its turn.
    const cases = [waiting('EN1', 2), waiting('ZU1', 20, 'zu'), waiting('EN2', 5)];
    assert.deepEqual(order(thandi, cases, [sipho]), ['ZU1', 'EN2', 'EN1']);
  });
});
