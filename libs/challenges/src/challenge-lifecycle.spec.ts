import {
  canMove,
  CHALLENGE_STATES,
  criterionShares,
  deadlineRefusal,
  manualNext,
  needsReason,
  takesProposals,
} from './challenge-lifecycle';

describe('challenge lifecycle', () => {
  const now = new Date('2026-12-01T08:00:00Z');
  const later = new Date('2026-12-31T08:00:00Z');
  const earlier = new Date('2026-11-30T08:00:00Z');

  it('goes draft -> open -> reviewing -> awarded | closed, and is cancelled only from draft or open', () => {
    expect(canMove('draft', 'open')).toBe(true);
    expect(canMove('open', 'reviewing')).toBe(true);
    expect(canMove('reviewing', 'awarded')).toBe(true);
    expect(canMove('reviewing', 'closed')).toBe(true);
    expect(canMove('draft', 'cancelled')).toBe(true);
    expect(canMove('open', 'cancelled')).toBe(true);
    expect(canMove('reviewing', 'cancelled')).toBe(false);
    expect(canMove('draft', 'reviewing')).toBe(false);
    expect(canMove('open', 'awarded')).toBe(false);
    for (const end of ['awarded', 'closed', 'cancelled'] as const)
      expect(CHALLENGE_STATES.filter((s) => canMove(end, s))).toEqual([]);
  });

  it('offers people only the moves they may make (reviewing comes with the deadline, awarded with an award)', () => {
    expect(manualNext('draft')).toEqual(['open', 'cancelled']);
    expect(manualNext('open')).toEqual(['cancelled']);
    expect(manualNext('reviewing')).toEqual(['closed']);
    expect(manualNext('awarded')).toEqual([]);
  });

  it('asks a reason for a cancellation and a close without award', () => {
    expect(needsReason('cancelled')).toBe(true);
    expect(needsReason('closed')).toBe(true);
    expect(needsReason('open')).toBe(false);
  });

  it('takes proposals while open and before the deadline only', () => {
    expect(takesProposals('open', later, now)).toBe(true);
    expect(takesProposals('open', earlier, now)).toBe(false);
    expect(takesProposals('open', now, now)).toBe(false);
    expect(takesProposals('draft', later, now)).toBe(false);
    expect(takesProposals('reviewing', later, now)).toBe(false);
  });

  it('moves a deadline in a draft or while open, never into the past, and never once reviewing', () => {
    expect(deadlineRefusal('draft', later, now)).toBeUndefined();
    expect(deadlineRefusal('open', later, now)).toBeUndefined();
    expect(deadlineRefusal('open', earlier, now)).toMatch(/future/);
    expect(deadlineRefusal('open', now, now)).toMatch(/future/);
    expect(deadlineRefusal('reviewing', later, now)).toMatch(/fixed/);
  });

  it('shares the total out by relative weights', () => {
    const shares = criterionShares([
      { name: '技术路线', description: '', weight: 3 },
      { name: '团队', description: '', weight: 1 },
    ]);
    expect(shares.get('技术路线')).toBeCloseTo(0.75);
    expect(shares.get('团队')).toBeCloseTo(0.25);
  });
});
