import { canMove, closesOnWithdrawal, isTerminal, LEAD_STATES, manualNext } from './lead-lifecycle';

describe('lead lifecycle', () => {
  it('walks the happy path from offer to a won deal', () => {
    const path = ['offered', 'accepted', 'contacted', 'negotiating', 'contract_signed', 'closed_won'] as const;
    for (let i = 1; i < path.length; i++) expect(canMove(path[i - 1], path[i])).toBe(true);
  });

  it('refuses skipping ahead and leaving a terminal state', () => {
    expect(canMove('offered', 'contract_signed')).toBe(false);
    expect(canMove('accepted', 'negotiating')).toBe(false);
    expect(canMove('declined', 'accepted')).toBe(false);
    expect(canMove('closed_won', 'closed_lost')).toBe(false);
  });

  it('lets only assignment reach offered, and re-offer an offered lead', () => {
    expect(canMove('unassigned', 'offered')).toBe(true);
    expect(canMove('offered', 'offered')).toBe(true);
    expect(manualNext('unassigned')).toEqual(['declined']);
    expect(manualNext('offered')).toEqual(['accepted', 'declined']);
  });

  it('names the manual moves of every state, none from the terminal ones', () => {
    expect(manualNext('negotiating')).toEqual(['contract_signed', 'closed_lost']);
    expect(LEAD_STATES.filter(isTerminal)).toEqual(['declined', 'closed_won', 'closed_lost']);
    for (const s of LEAD_STATES.filter(isTerminal)) expect(manualNext(s)).toEqual([]);
  });

  it('closes every open lead on withdrawal, but not a signed contract or a finished lead', () => {
    expect(LEAD_STATES.filter(closesOnWithdrawal)).toEqual([
      'unassigned',
      'offered',
      'accepted',
      'contacted',
      'negotiating',
    ]);
  });
});
