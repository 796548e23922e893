import { lastEndedPeriod, reportPeriod } from './report-period';

describe('reportPeriod', () => {
  it('covers a whole year, or one quarter of it, as [from, to) in UTC', () => {
    expect(reportPeriod('2026')).toEqual({
      period: '2026',
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2027-01-01T00:00:00Z'),
    });
    expect(reportPeriod('2026-Q3')).toEqual({
      period: '2026-Q3',
      from: new Date('2026-07-01T00:00:00Z'),
      to: new Date('2026-10-01T00:00:00Z'),
    });
    expect(reportPeriod('2026-Q4')?.to).toEqual(new Date('2027-01-01T00:00:00Z'));
  });

  it.each(['2026-Q5', '2026-Q0', '26', '2026Q1', '2026-q1', '2026-03', ''])('rejects %p', (name) => {
    expect(reportPeriod(name)).toBeUndefined();
  });
});

describe('lastEndedPeriod', () => {
  it('is the quarter before the current one, across a year boundary too', () => {
    expect(lastEndedPeriod(new Date('2026-12-03T09:00:00Z'), 'quarter')).toBe('2026-Q3');
    expect(lastEndedPeriod(new Date('2027-02-10T09:00:00Z'), 'quarter')).toBe('2026-Q4');
    expect(lastEndedPeriod(new Date('2026-12-03T09:00:00Z'), 'year')).toBe('2025');
  });
});
