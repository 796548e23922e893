import { DEFAULT_ASSIGNMENT_WEIGHTS as WEIGHTS } from '@app/config';
import { chooseBroker, pairVector, type BrokerCandidate, type PairFacts } from './broker-assignment';

const unit = (...xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};

const broker = (id: string, over: Partial<BrokerCandidate> = {}): BrokerCandidate => ({
  id,
  name: id,
  industryCodes: [],
  regionCodes: [],
  capacity: 10,
  openLeads: 0,
  vector: unit(1, 0, 0),
  accepted: 0,
  answered: 0,
  medianResponseHours: null,
  lastOfferedAt: null,
  creditScore: 70,
  ...over,
});

const pair: PairFacts = { vector: unit(1, 0, 0), industryCode: '39', regionCode: '330502' };

describe('chooseBroker', () => {
  it('prefers the broker whose expertise, industry and region fit the pair, and says so', () => {
    const sut = chooseBroker(
      pair,
      [
        broker('far', { vector: unit(0, 1, 0), industryCodes: ['13'], regionCodes: ['440100'] }),
        broker('near', { industryCodes: ['39'], regionCodes: ['330500'] }),
      ],
      new Set(),
      WEIGHTS,
    );
    expect(sut?.brokerId).toBe('near');
    expect(sut?.explanation.zh).toContain('专长相似度 1.00');
    expect(sut?.explanation.en).toContain('covers the region (吴兴区)');
    expect(sut?.explanation.en).toContain('covers the industry (39)');
    expect(sut?.eligible).toBe(2);
  });

  it('skips brokers at capacity and brokers already offered the lead; null when none is left', () => {
    const full = broker('full', { openLeads: 10 });
    const offered = broker('offered');
    expect(chooseBroker(pair, [full, offered], new Set(['offered']), WEIGHTS)).toBeNull();
    expect(chooseBroker(pair, [full, offered, broker('free')], new Set(['offered']), WEIGHTS)?.brokerId).toBe('free');
  });

  it('spreads ties to the broker with the least work, then the longest wait', () => {
    const busy = broker('a', { openLeads: 3 });
    const idle = broker('b', { openLeads: 2 });
    // Free capacity is scored too, so both tie within the margin only when the load gap is small.
    const sut = chooseBroker(pair, [busy, idle], new Set(), WEIGHTS);
    expect(sut?.brokerId).toBe('b');
    const recent = broker('c', { lastOfferedAt: new Date('2026-11-25T10:00:00Z') });
    const waiting = broker('d', { lastOfferedAt: new Date('2026-11-24T10:00:00Z') });
    const tie = chooseBroker(pair, [recent, waiting], new Set(), WEIGHTS);
    expect(tie?.brokerId).toBe('d');
    expect(tie?.tieBroken).toBe(true);
    expect(tie?.explanation.en).toContain('tied with another broker');
  });

  it('weighs acceptance history against a newcomer', () => {
    const reluctant = broker('r', { accepted: 1, answered: 20, medianResponseHours: 72 });
    const reliable = broker('s', { accepted: 18, answered: 20, medianResponseHours: 2 });
    expect(chooseBroker(pair, [reluctant, reliable], new Set(), WEIGHTS)?.brokerId).toBe('s');
  });

  it('weighs the credit record next to acceptance: a broker whose record fell behind loses an otherwise even choice', () => {
    const reported = broker('reported', { accepted: 10, answered: 12, creditScore: 40 });
    const clean = broker('clean', { accepted: 10, answered: 12, creditScore: 76 });
    const sut = chooseBroker(pair, [reported, clean], new Set(), WEIGHTS);
    expect(sut?.brokerId).toBe('clean');
    expect(sut?.explanation.zh).toContain('信用分 76');
    expect(sut?.factors.find((f) => f.name === 'credit')?.value).toBeCloseTo(0.76);
    const unread = chooseBroker(pair, [broker('x', { creditScore: null })], new Set(), WEIGHTS);
    expect(unread?.factors.find((f) => f.name === 'credit')?.value).toBe(0.5);
  });

  it('scores expertise 0 when the pair or the broker has no vector yet', () => {
    const sut = chooseBroker({ ...pair, vector: null }, [broker('x')], new Set(), WEIGHTS);
    expect(sut?.factors.find((f) => f.name === 'expertise')?.value).toBe(0);
  });
});

describe('pairVector', () => {
  it('is the unit-length direction between two vectors', () => {
    const v = pairVector(unit(1, 0), unit(0, 1))!;
    expect(v[0]).toBeCloseTo(Math.SQRT1_2);
    expect(v[1]).toBeCloseTo(Math.SQRT1_2);
    expect(pairVector(unit(1, 0), null)).toBeNull();
  });
});

describe('assignment weights', () => {
  it('follow the configuration: with all weight on load, the broker with more room wins whatever its expertise', () => {
    const expert = { ...broker('expert'), openLeads: 9, capacity: 10 };
    const idle = { ...broker('idle', { vector: unit(0, 1, 0) }), openLeads: 0, capacity: 10 };
    const onLoad = { expertise: 0, industry: 0, region: 0, load: 1, acceptance: 0, speed: 0, credit: 0 };
    expect(chooseBroker(pair, [expert, idle], new Set(), WEIGHTS)?.brokerId).toBe('expert');
    expect(chooseBroker(pair, [expert, idle], new Set(), onLoad)?.brokerId).toBe('idle');
  });
});
