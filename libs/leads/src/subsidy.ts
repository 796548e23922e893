import type { Bilingual } from '@app/matching';
import type { TransactionMode } from '@app/profiles';

/** A subsidy rule as stored in `subsidy_rules`: data, so cities and counties add theirs without a release. */
export interface SubsidyRule {
  id: string;
  /** Rules of one scheme are alternatives (the best applicable one counts); schemes add up. */
  scheme: string;
  authority: string;
  regionPrefix: string;
  minAmount: number;
  rate: number;
  cap: number | null;
  /** Empty: any mode. */
  transactionModes: TransactionMode[];
  challengeWinners: boolean;
  requiresExchangeSettlement: boolean;
  source: string;
}

/** The contract recorded when a lead reaches contract_signed. */
export interface ContractRecord {
  amount: number;
  /** The amount the buyer actually paid; the contract amount when not given. */
  paidAmount?: number;
  transactionMode: TransactionMode;
  registrationNumber: string;
  /** Traded, registered and settled through the provincial online exchange. */
  settledOnExchange: boolean;
  /** The demand was a challenge (张榜招贤) and this contract is its prize-winning project. */
  challengeWinner: boolean;
  signedAt: string;
}

/** What was signed (as recorded on the lead), and where the buyer is. */
export type SignedContract = Omit<ContractRecord, 'signedAt'> & { buyerRegionCode: string };

export interface SubsidyItem {
  ruleId: string;
  scheme: string;
  authority: string;
  rate: number;
  cap: number | null;
  base: number;
  amount: number;
  /** The facts the estimate rests on, each a condition of the rule that the contract meets. */
  evidence: Bilingual[];
  source: string;
}

export interface SubsidyEstimate {
  total: number;
  items: SubsidyItem[];
  /** Rules that did not apply, with the first condition that failed. */
  notApplicable: { ruleId: string; reason: Bilingual }[];
  /** The plan also requires industrialisation, which no contract record can show yet. */
  caveat: Bilingual;
}

const yuan = (x: number) => `${x.toLocaleString('en-US', { maximumFractionDigits: 2 })} CNY`;

/** The subsidy estimate of a signed contract for its buyer, under every rule in force; pure. */
export function estimateSubsidy(contract: SignedContract, rules: readonly SubsidyRule[]): SubsidyEstimate {
  const paid = contract.paidAmount ?? contract.amount;
  const applicable: SubsidyItem[] = [];
  const notApplicable: SubsidyEstimate['notApplicable'] = [];
  for (const rule of rules) {
    const failed = firstFailure(rule, contract);
    if (failed) {
      notApplicable.push({ ruleId: rule.id, reason: failed });
      continue;
    }
    const uncapped = paid * rule.rate;
    const amount = round2(rule.cap === null ? uncapped : Math.min(uncapped, rule.cap));
    const pct = `${+(rule.rate * 100).toFixed(2)}%`;
    const evidence: Bilingual[] = [
      {
        zh: `合同额 ${yuan(contract.amount)} ≥ ${yuan(rule.minAmount)}`,
        en: `contract amount ${yuan(contract.amount)} >= ${yuan(rule.minAmount)}`,
      },
      {
        zh: `买方地区 ${contract.buyerRegionCode} 属 ${rule.authority} 辖区`,
        en: `buyer region ${contract.buyerRegionCode} under ${rule.authority}`,
      },
      {
        zh: `技术合同登记号 ${contract.registrationNumber}`,
        en: `contract registration number ${contract.registrationNumber}`,
      },
    ];
    if (rule.requiresExchangeSettlement)
      evidence.push({ zh: '经网上技术市场交易并结算', en: 'traded and settled on the online exchange' });
    if (rule.transactionModes.length > 0 || rule.challengeWinners)
      evidence.push(
        contract.challengeWinner && !rule.transactionModes.includes(contract.transactionMode)
          ? { zh: '挑战赛（张榜招贤）获奖项目', en: 'prize winner of a challenge' }
          : { zh: `成交方式：${contract.transactionMode}`, en: `transaction mode: ${contract.transactionMode}` },
      );
    evidence.push({
      zh: `实际支付额 ${yuan(paid)} × ${pct}${rule.cap !== null && uncapped > rule.cap ? `，封顶 ${yuan(rule.cap)}` : ''}`,
      en: `paid ${yuan(paid)} × ${pct}${rule.cap !== null && uncapped > rule.cap ? `, capped at ${yuan(rule.cap)}` : ''}`,
    });
    applicable.push({
      ruleId: rule.id,
      scheme: rule.scheme,
      authority: rule.authority,
      rate: rule.rate,
      cap: rule.cap,
      base: paid,
      amount,
      evidence,
      source: rule.source,
    });
  }
  // Within a scheme the rules are alternatives: keep the best one.
  const best = new Map<string, SubsidyItem>();
  for (const item of applicable) {
    const held = best.get(item.scheme);
    if (!held || item.amount > held.amount) best.set(item.scheme, item);
  }
  const items = [...best.values()];
  for (const item of applicable)
    if (!items.includes(item))
      notApplicable.push({
        ruleId: item.ruleId,
        reason: { zh: '同一政策下另一条规则补助更高', en: 'another rule of the same scheme gives more' },
      });
  return {
    total: round2(items.reduce((s, i) => s + i.amount, 0)),
    items,
    notApplicable,
    caveat: {
      zh: '估算：补助还要求成果实现产业化，以主管部门审核为准',
      en: 'estimate: the subsidy also requires industrialisation and is subject to review by the authority',
    },
  };
}

function firstFailure(rule: SubsidyRule, c: SignedContract): Bilingual | undefined {
  if (!c.buyerRegionCode.startsWith(rule.regionPrefix))
    return { zh: `买方不在 ${rule.authority} 辖区`, en: `buyer outside the area of ${rule.authority}` };
  if (c.amount < rule.minAmount)
    return { zh: `合同额低于 ${yuan(rule.minAmount)}`, en: `contract amount below ${yuan(rule.minAmount)}` };
  if (rule.requiresExchangeSettlement && !c.settledOnExchange)
    return { zh: '未经网上技术市场结算', en: 'not settled on the online exchange' };
  const modeFits = rule.transactionModes.length === 0 || rule.transactionModes.includes(c.transactionMode);
  if (!modeFits && !(rule.challengeWinners && c.challengeWinner))
    return {
      zh: `成交方式须为 ${rule.transactionModes.join('/')}${rule.challengeWinners ? ' 或挑战赛获奖' : ''}`,
      en: `transaction mode must be ${rule.transactionModes.join('/')}${rule.challengeWinners ? ' or a challenge prize winner' : ''}`,
    };
  return undefined;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
