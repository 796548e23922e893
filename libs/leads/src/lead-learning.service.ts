import { Injectable } from '@nestjs/common';
import { LearningService, type Outcome, type WeightVersion } from '@app/learning';
import { Db } from '@app/persistence';
import { outcomeOf } from './lead-outcomes';
import { MatchCandidatesRepository } from './match-candidates.repository';

/** The newest outcomes a fit reads at most. */
const MAX_OUTCOMES = 50_000;

/** `learn-weights`: the outcomes of the leads matching made, handed to the learner. */
@Injectable()
export class LeadLearningService {
  constructor(
    private readonly db: Db,
    private readonly candidates: MatchCandidatesRepository,
    private readonly learning: LearningService,
  ) {}

  async outcomes(): Promise<Outcome[]> {
    const rows = await this.candidates.outcomes(this.db.pool, MAX_OUTCOMES);
    return rows.map(outcomeOf).filter((o): o is Outcome => o !== null);
  }

  async learn(): Promise<WeightVersion | null> {
    return this.learning.learn(await this.outcomes());
  }
}
