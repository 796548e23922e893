import { loadConfig } from '@app/config';
import type { CreditEventsRepository } from './credit-events.repository';
import type { CreditReportsRepository } from './credit-reports.repository';
import type { CreditRulesRepository } from './credit-rules.repository';
import type { CreditEvent, CreditRule, CreditSubject } from './credit-score';
import { CreditService, creditKey } from './credit.service';

const rule: CreditRule = {
  id: 'v1',
  version: 1,
  base: 70,
  points: { offer_lapsed: -1 },
  windowMonths: 24,
  source: 'test',
  createdAt: '2026-01-01T00:00:00.000Z',
  retiredAt: null,
};
const a: CreditSubject = { kind: 'broker', id: 'a' };
const b: CreditSubject = { kind: 'broker', id: 'b' };

/** Broker assignment reads every broker's score for every offer: from memory while it is young enough. */
describe('CreditService.recentSummaries', () => {
  let lapses: number;
  let reads: CreditSubject[][];
  let sut: CreditService;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-01T00:00:00.000Z') });
    lapses = 0;
    reads = [];
    const events = {
      eventsOf: (subjects: readonly CreditSubject[]): Promise<CreditEvent[]> => {
        reads.push([...subjects]);
        return Promise.resolve(
          Array.from({ length: lapses }, (_, i) => ({
            id: `offer_lapsed:offer:${i}`,
            subject: a,
            kind: 'offer_lapsed',
            at: '2026-11-30T00:00:00.000Z',
            source: { kind: 'offer', id: String(i) },
            leadId: 'l',
          })),
        );
      },
    } as unknown as CreditEventsRepository;
    const rules = { inForce: () => Promise.resolve(rule) } as unknown as CreditRulesRepository;
    sut = new CreditService(loadConfig({}), events, rules, {} as CreditReportsRepository);
  });
  afterEach(() => jest.useRealTimers());

  const scoreOf = async (subjects: CreditSubject[], maxAgeMs: number) =>
    (await sut.recentSummaries(subjects, { maxAgeMs })).get(creditKey(a))?.score;

  it('reads once, then answers from memory until the scores are older than maxAgeMs', async () => {
    expect(await scoreOf([a, b], 60_000)).toBe(70);
    lapses = 2;
    jest.advanceTimersByTime(60_000);
    expect(await scoreOf([a, b], 60_000)).toBe(70);
    expect(reads).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(await scoreOf([a, b], 60_000)).toBe(68);
    expect(reads).toEqual([
      [a, b],
      [a, b],
    ]);
  });

  it('reads only the subjects it has not read, and every time with maxAgeMs 0', async () => {
    await sut.recentSummaries([a], { maxAgeMs: 60_000 });
    await sut.recentSummaries([a, b], { maxAgeMs: 60_000 });
    expect(reads).toEqual([[a], [b]]);
    lapses = 1;
    jest.advanceTimersByTime(1);
    expect(await scoreOf([a], 0)).toBe(69);
    expect(reads).toHaveLength(3);
  });

  it('scores and counts, as of an instant, only what happened by then', async () => {
    lapses = 1; // on 2026-11-30
    const on = (asOf: string) => sut.summaries([a], { asOf: new Date(asOf) }).then((m) => m.get(creditKey(a)));
    expect(await on('2026-11-29T23:59:59.999Z')).toMatchObject({ score: 70, counts: { offer_lapsed: 0 } });
    expect(await on('2026-11-30T00:00:00.000Z')).toMatchObject({ score: 69, counts: { offer_lapsed: 1 } });
  });
});
