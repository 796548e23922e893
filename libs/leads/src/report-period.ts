// The periods the published performance report covers: a year (`2026`) or a quarter of it (`2026-Q3`). Pure.

export const PERIOD_PATTERN = /^(\d{4})(?:-Q([1-4]))?$/;

export interface ReportPeriod {
  period: string;
  /** The first instant of the period and the first after it (UTC midnight). */
  from: Date;
  to: Date;
}

/** The period a name stands for; undefined when the name is neither `YYYY` nor `YYYY-Qn`. */
export function reportPeriod(period: string): ReportPeriod | undefined {
  const m = PERIOD_PATTERN.exec(period);
  if (!m) return undefined;
  const year = Number(m[1]);
  const quarter = m[2] ? Number(m[2]) : null;
  const fromMonth = quarter === null ? 0 : (quarter - 1) * 3;
  const months = quarter === null ? 12 : 3;
  return { period, from: new Date(Date.UTC(year, fromMonth, 1)), to: new Date(Date.UTC(year, fromMonth + months, 1)) };
}

/** The latest period that has ended by `now`: last quarter, or last year when `unit` is a year. */
export function lastEndedPeriod(now: Date, unit: 'quarter' | 'year'): string {
  const year = now.getUTCFullYear();
  if (unit === 'year') return String(year - 1);
  const quarter = Math.floor(now.getUTCMonth() / 3) + 1;
  return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
}
