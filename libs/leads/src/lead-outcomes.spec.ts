import { decide, outcomeOf } from './lead-outcomes';
import type { LeadOutcomeRow } from './match-candidates.repository';

const row = (over: Partial<LeadOutcomeRow>): LeadOutcomeRow => ({
  leadId: 'l',
  state: 'accepted',
  declineReason: null,
  escalated: false,
  parts: { semantic: 0.8, price: 1 },
  confidence: {},
  propensity: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  ...over,
});

describe('outcomeOf', () => {
  it('counts acceptance and everything after it as accepted', () => {
    for (const state of [
      'accepted',
      'contacted',
      'negotiating',
      'contract_signed',
      'closed_won',
      'closed_lost',
    ] as const)
      expect(outcomeOf(row({ state }))).toMatchObject({ accepted: true });
  });

  it('reads a decline as not accepted, blaming the parts its reason names', () => {
    expect(outcomeOf(row({ state: 'declined', declineReason: 'price_mismatch' }))).toMatchObject({
      accepted: false,
      blamed: ['price'],
    });
    expect(outcomeOf(row({ state: 'declined', declineReason: 'wrong_field' }))!.blamed).toEqual([
      'semantic',
      'keywords',
      'industry',
    ]);
    expect(outcomeOf(row({ state: 'declined', declineReason: 'other' }))!.blamed).toBeUndefined();
  });

  it('leaves out what says nothing about the match: already in contact, still open, no parts', () => {
    expect(outcomeOf(row({ state: 'declined', declineReason: 'already_in_contact' }))).toBeNull();
    expect(outcomeOf(row({ state: 'offered' }))).toBeNull();
    expect(outcomeOf(row({ parts: {} }))).toBeNull();
  });

  it('counts a lead that lapsed at every broker as not accepted', () => {
    expect(outcomeOf(row({ state: 'unassigned', escalated: true }))).toMatchObject({ accepted: false });
  });
});

describe('decide', () => {
  const bars = { minScore: 0.6, minProbability: 0.3, share: 0.05, margin: 0.15 };

  it('makes a lead above the score bar while there is room, before any fitted version', () => {
    expect(decide({ total: 0.7, probability: null }, bars, 0.9, true)).toEqual({
      decision: 'lead',
      threshold: 0.6,
      propensity: 1,
    });
    expect(decide({ total: 0.7, probability: null }, bars, 0.9, false).decision).toBe('below');
  });

  it('holds a match to the probability bar once a fitted version gives one', () => {
    expect(decide({ total: 0.9, probability: 0.2 }, bars, 0.9, true)).toMatchObject({
      decision: 'below',
      threshold: 0.3,
    });
    expect(decide({ total: 0.4, probability: 0.35 }, bars, 0.9, true).decision).toBe('lead');
  });

  it('explores a logged share of those just below the bar, never those far below', () => {
    expect(decide({ total: 0.5, probability: null }, bars, 0.01, true)).toEqual({
      decision: 'exploration',
      threshold: 0.6,
      propensity: 0.05,
    });
    expect(decide({ total: 0.5, probability: null }, bars, 0.5, true)).toMatchObject({
      decision: 'below',
      propensity: 0.05,
    });
    expect(decide({ total: 0.3, probability: null }, bars, 0.01, true)).toMatchObject({
      decision: 'below',
      propensity: 0,
    });
    expect(decide({ total: 0.5, probability: null }, { ...bars, share: 0 }, 0.01, true).decision).toBe('below');
    expect(decide({ total: 0.5, probability: null }, bars, 0.01, false)).toMatchObject({
      decision: 'below',
      propensity: 0,
    });
  });
});
