import { estimateSubsidy, type SignedContract, type SubsidyRule } from './subsidy';

// The two provincial rules as the migration seeds them.
const PROVINCE: SubsidyRule[] = [
  {
    id: 'zj-2019-standard',
    scheme: 'zhejiang-province',
    authority: '浙江省科学技术厅',
    regionPrefix: '33',
    minAmount: 1_000_000,
    rate: 0.15,
    cap: 1_000_000,
    transactionModes: [],
    challengeWinners: false,
    requiresExchangeSettlement: true,
    source: 'plan 2019',
  },
  {
    id: 'zj-2019-auction',
    scheme: 'zhejiang-province',
    authority: '浙江省科学技术厅',
    regionPrefix: '33',
    minAmount: 1_000_000,
    rate: 0.2,
    cap: 2_000_000,
    transactionModes: ['auction'],
    challengeWinners: true,
    requiresExchangeSettlement: true,
    source: 'plan 2019',
  },
];

const contract = (over: Partial<SignedContract> = {}): SignedContract => ({
  amount: 3_000_000,
  transactionMode: 'negotiated',
  registrationNumber: '2026330500000123',
  settledOnExchange: true,
  challengeWinner: false,
  buyerRegionCode: '330502',
  ...over,
});

describe('estimateSubsidy', () => {
  it('gives 15% of the amount paid for a negotiated deal of at least 1M, with its evidence', () => {
    const sut = estimateSubsidy(contract({ paidAmount: 2_000_000 }), PROVINCE);
    expect(sut.total).toBe(300_000);
    expect(sut.items).toHaveLength(1);
    expect(sut.items[0].ruleId).toBe('zj-2019-standard');
    expect(sut.items[0].evidence.map((e) => e.en).join(' | ')).toContain(
      'contract registration number 2026330500000123',
    );
    expect(sut.notApplicable.find((n) => n.ruleId === 'zj-2019-auction')?.reason.en).toContain('auction');
  });

  it('caps the standard rate at 1M and the auction rate at 2M', () => {
    expect(estimateSubsidy(contract({ amount: 10_000_000 }), PROVINCE).total).toBe(1_000_000);
    const auction = estimateSubsidy(contract({ amount: 12_000_000, transactionMode: 'auction' }), PROVINCE);
    expect(auction.total).toBe(2_000_000);
    expect(auction.items.map((i) => i.ruleId)).toEqual(['zj-2019-auction']);
    expect(auction.items[0].evidence.at(-1)?.en).toContain('capped at 2,000,000 CNY');
  });

  it('gives a challenge prize winner the auction rate whatever its mode', () => {
    const sut = estimateSubsidy(contract({ amount: 1_000_000, challengeWinner: true }), PROVINCE);
    expect(sut.total).toBe(200_000);
    expect(sut.items[0].evidence.map((e) => e.en)).toContain('prize winner of a challenge');
  });

  it('gives nothing below 1M, outside Zhejiang or without settlement on the exchange', () => {
    expect(estimateSubsidy(contract({ amount: 999_999.99 }), PROVINCE).total).toBe(0);
    expect(estimateSubsidy(contract({ buyerRegionCode: '310101' }), PROVINCE).total).toBe(0);
    const unsettled = estimateSubsidy(contract({ settledOnExchange: false }), PROVINCE);
    expect(unsettled.total).toBe(0);
    expect(unsettled.notApplicable[0].reason.en).toBe('not settled on the online exchange');
  });

  it('adds a city scheme on top of the province, as data', () => {
    const huzhou: SubsidyRule = {
      ...PROVINCE[0],
      id: 'huzhou-extra',
      scheme: 'huzhou-city',
      authority: '湖州市科学技术局',
      regionPrefix: '3305',
      rate: 0.05,
      cap: 300_000,
    };
    const sut = estimateSubsidy(contract(), [...PROVINCE, huzhou]);
    expect(sut.total).toBe(450_000 + 150_000);
    expect(estimateSubsidy(contract({ buyerRegionCode: '330102' }), [...PROVINCE, huzhou]).total).toBe(450_000);
  });
});
