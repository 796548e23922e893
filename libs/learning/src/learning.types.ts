import type { CalibrationBucket } from './fit';

export interface FittedModel {
  intercept: number;
  scale: number;
  /** Platt scaling of intercept + scale * total, fitted on the held-out outcomes. */
  platt: { a: number; b: number };
}

export interface HeldOutMetrics {
  auc: number;
  logLoss: number;
}

export interface WeightVersionMetrics extends HeldOutMetrics {
  /** The weights in force when this version was fitted, on the same held-out outcomes. */
  baseline: HeldOutMetrics;
  /** The 2.5th percentile of the bootstrapped held-out AUC gain over the baseline: above 0 to be switched on. */
  aucGainLowerBound: number;
  calibration: CalibrationBucket[];
}

export interface NewWeightVersion {
  weights: Record<string, number>;
  model: FittedModel;
  trainingOutcomes: number;
  heldoutOutcomes: number;
  metrics: WeightVersionMetrics;
  note: string;
}

export interface WeightVersion extends NewWeightVersion {
  id: number;
  createdAt: string;
  status: 'active' | 'inactive' | 'rejected';
  activatedAt: string | null;
}

/** What matching scores with: a fitted version, or (version null) the configured weights and no probability. */
export interface RankingWeights {
  version: number | null;
  weights: Record<string, number>;
  /** The calibrated acceptance probability of a total; absent for the configured weights. */
  probability?: (total: number) => number;
}
