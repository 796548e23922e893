import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsAmount, isRfc3339Date, RFC3339_DATE_PATTERN, RFC3339_DATE_TIME_PATTERN } from './validators';

describe('isRfc3339Date', () => {
  it.each([
    '2027-06-30',
    '2024-02-29',
    '0001-01-01',
    '9999-12-31',
    '2027-03-31T16:00:00Z',
    '2027-03-31T16:00:00+08:00',
    '2027-03-31T16:00:00.123456-05:30',
    '2027-03-31T23:59:59+14:00',
  ])('takes %s, which the pattern takes too', (value) => {
    expect(isRfc3339Date(value)).toBe(true);
    expect(new RegExp(RFC3339_DATE_PATTERN).test(value)).toBe(true);
  });

  it.each([
    ['a week date', '2027-W18-1'],
    ['a week', '2027-W18'],
    ['an ordinal date', '2027-123'],
    ['a basic-form date', '20270331'],
    ['a month', '2027-06'],
    ['a year', '2027'],
    ['a signed year', '+002027-01-01'],
    ['year 0', '0000-01-01'],
    ['30 February', '2027-02-30'],
    ['29 February of a common year', '2100-02-29'],
    ['month 13', '2027-13-01'],
    ['a date-time without a zone', '2027-03-31T16:00:00'],
    ['a date-time without seconds', '2027-03-31T16:00Z'],
    ['an offset without a colon', '2027-03-31T16:00:00+0800'],
    ['hour 24', '2027-03-31T24:00:00Z'],
    ['a leap second', '2027-03-31T23:59:60Z'],
    ['an offset beyond 14:00', '2027-03-31T16:00:00+15:00'],
    ['an instant before year 1', '0001-01-01T00:00:00+01:00'],
    ['an instant after year 9999', '9999-12-31T23:00:00-02:00'],
    ['a lower-case t', '2027-03-31t16:00:00Z'],
    ['a space for T', '2027-03-31 16:00:00Z'],
    ['seven decimals', '2027-03-31T16:00:00.1234567Z'],
    ['non-ASCII digits', '٢٠٢٧-٠٣-٣١'],
    ['a trailing newline', '2027-03-31\n'],
  ])('refuses %s (%s)', (_, value) => {
    expect(isRfc3339Date(value)).toBe(false);
  });

  it('takes a date alone only when no time is required', () => {
    expect(isRfc3339Date('2027-06-30', true)).toBe(false);
    expect(isRfc3339Date('2027-06-30T00:00:00Z', true)).toBe(true);
    expect(new RegExp(RFC3339_DATE_TIME_PATTERN).test('2027-06-30')).toBe(false);
    expect(isRfc3339Date(20270630)).toBe(false);
  });
});

describe('IsAmount', () => {
  class Prize {
    @IsAmount({ max: 1e12 })
    amount: number;
  }
  class Budget {
    @IsAmount({ zero: true })
    amount: number;
  }
  const ok = (type: new () => object, amount: unknown) => validateSync(plainToInstance(type, { amount })).length === 0;

  it('takes whole yuan and fen up to the maximum', () => {
    for (const amount of [0.01, 1, 12.34, 1_000_000, 1e12]) expect(ok(Prize, amount)).toBe(true);
    expect(ok(Budget, 99_999_999_999_999)).toBe(true);
  });

  it('refuses what the numeric(16, 2) column would round to 0, or could not hold', () => {
    for (const amount of [0, 1e-9, 5e-324, 0.001, 0.005, -0.01, 1e12 + 1, 0.011, NaN, Infinity, '5'])
      expect([amount, ok(Prize, amount)]).toEqual([amount, false]);
    for (const amount of [1e-9, 5e-324, 0.009, 1e14, 1e20])
      expect([amount, ok(Budget, amount)]).toEqual([amount, false]);
  });

  it('takes exactly 0 where the column takes it', () => {
    expect(ok(Budget, 0)).toBe(true);
    expect(ok(Prize, 0)).toBe(false);
  });
});
