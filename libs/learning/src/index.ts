// Owns the score weights matching uses and how they learn from outcomes: a regularised logistic fit over the score
// parts (pure, fit.ts), versions stored with their held-out metrics, the switch-on rule, and rollback. It knows
// nothing of leads: the learn-weights job hands it the outcomes.
export { auc, bounded, calibration, fit, logLoss, platt, predict, total, type Outcome, type Parts } from './fit';
export { LearningError, WeightVersionNotFoundError } from './learning.errors';
export { LearningModule } from './learning.module';
export { LearningService, switchOn } from './learning.service';
export type { RankingWeights, WeightVersion, WeightVersionMetrics } from './learning.types';
