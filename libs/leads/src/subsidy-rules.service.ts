import { Injectable } from '@nestjs/common';
import { ForbiddenError, mayOperate, type Actor } from '@app/access';
import { Db } from '@app/persistence';
import type { SubsidyRuleDto } from './dto/subsidy-rule.dto';
import { SubsidyRuleExistsError, SubsidyRuleNotFoundError } from './leads.errors';
import type { SubsidyRule } from './subsidy';
import { SubsidyRulesRepository } from './subsidy-rules.repository';

/** The subsidy rules in force, kept by operators: a city adds its scheme, a rule that ends is retired. */
@Injectable()
export class SubsidyRulesService {
  constructor(
    private readonly db: Db,
    private readonly rules: SubsidyRulesRepository,
  ) {}

  async list(actor: Actor): Promise<SubsidyRule[]> {
    if (!mayOperate(actor)) throw new ForbiddenError('read the subsidy rules');
    return this.rules.active(this.db.pool);
  }

  async add(actor: Actor, dto: SubsidyRuleDto): Promise<SubsidyRule> {
    if (!mayOperate(actor)) throw new ForbiddenError('add subsidy rules');
    const rule: SubsidyRule = {
      ...dto,
      cap: dto.cap ?? null,
      transactionModes: dto.transactionModes ?? [],
      challengeWinners: dto.challengeWinners ?? false,
      requiresExchangeSettlement: dto.requiresExchangeSettlement ?? true,
    };
    if (!(await this.rules.insert(rule))) throw new SubsidyRuleExistsError(rule.id);
    return rule;
  }

  /** Signed contracts keep the estimate they got; a retired rule only stops applying to new ones. */
  async retire(actor: Actor, id: string): Promise<void> {
    if (!mayOperate(actor)) throw new ForbiddenError('retire subsidy rules');
    if (!(await this.rules.deactivate(id))) throw new SubsidyRuleNotFoundError(id);
  }
}
