import { creditCounts, creditScore, type CreditEvent, type CreditEventKind, type CreditRule } from './credit-score';

const rule: CreditRule = {
  id: 'test-v1',
  version: 1,
  base: 70,
  points: { contract_signed: 3, offer_lapsed: -1, bad_faith_report: -15, closed_lost: 0 },
  windowMonths: 24,
  source: 'test',
  createdAt: '2026-01-01T00:00:00.000Z',
  retiredAt: null,
};
const asOf = new Date('2026-12-01T00:00:00.000Z');
let n = 0;
const event = (kind: CreditEventKind, at = '2026-06-01T00:00:00.000Z'): CreditEvent => ({
  id: `e${++n}`,
  subject: { kind: 'broker', id: 'b' },
  kind,
  at,
  source: { kind: 'lead_event', id: String(n) },
  leadId: 'l',
});

describe('creditScore', () => {
  it('is the base without events', () => {
    const sut = creditScore([], rule, asOf);
    expect(sut).toMatchObject({ score: 70, base: 70, parts: [], rule: { id: 'test-v1', version: 1 } });
  });

  it('adds each event’s points and shows them by kind, a kind worth 0 still counted', () => {
    const sut = creditScore(
      [event('contract_signed'), event('contract_signed'), event('offer_lapsed'), event('closed_lost')],
      rule,
      asOf,
    );
    expect(sut.score).toBe(75);
    expect(sut.parts).toEqual([
      { kind: 'contract_signed', count: 2, points: 3, subtotal: 6 },
      { kind: 'closed_lost', count: 1, points: 0, subtotal: 0 },
      { kind: 'offer_lapsed', count: 1, points: -1, subtotal: -1 },
    ]);
  });

  it('counts a kind the rule does not name as 0', () => {
    expect(creditScore([event('accepted_idle')], rule, asOf).parts).toEqual([
      { kind: 'accepted_idle', count: 1, points: 0, subtotal: 0 },
    ]);
  });

  it('leaves out events outside the window, and after the date asked for', () => {
    const sut = creditScore(
      [event('bad_faith_report', '2024-11-30T23:59:59.000Z'), event('bad_faith_report', '2026-12-02T00:00:00.000Z')],
      rule,
      asOf,
    );
    expect(sut.score).toBe(70);
    expect(sut.window).toEqual({ from: '2024-12-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
  });

  it('stays within 0-100', () => {
    const reports = Array.from({ length: 10 }, () => event('bad_faith_report'));
    expect(creditScore(reports, rule, asOf).score).toBe(0);
    const contracts = Array.from({ length: 20 }, () => event('contract_signed'));
    expect(creditScore(contracts, rule, asOf).score).toBe(100);
  });
});

describe('creditCounts', () => {
  it('gives every kind, zeros included', () => {
    const sut = creditCounts([event('offer_lapsed'), event('offer_lapsed')]);
    expect(sut.offer_lapsed).toBe(2);
    expect(sut.contract_signed).toBe(0);
    expect(Object.keys(sut)).toHaveLength(10);
  });
});
