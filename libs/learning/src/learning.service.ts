import { Inject, Injectable, Logger } from '@nestjs/common';
import { ForbiddenError, mayOperate, type Actor } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Db } from '@app/persistence';
import { auc, aucGainLowerBound, calibration, fit, logLoss, platt, sigmoid, total, type Outcome } from './fit';
import { WeightVersionNotFoundError } from './learning.errors';
import type { HeldOutMetrics, RankingWeights, WeightVersion } from './learning.types';
import { WeightVersionsRepository } from './weight-versions.repository';

/** How long a process keeps the active version before it reads it again (another process may have switched). */
const REFRESH_MS = 5_000;
/** The newest quarter of the outcomes is held out: a time split, never a random one. */
const HELD_OUT = 0.25;

/**
 * The switch-on rule: enough outcomes, and better than the weights in force on the same held-out outcomes, by more
 * than chance: the 2.5th percentile of the bootstrapped AUC gain (`gainLowerBound`) is above 0.
 */
export function switchOn(
  outcomes: number,
  minOutcomes: number,
  fitted: HeldOutMetrics,
  baseline: HeldOutMetrics,
  gainLowerBound: number,
): { on: boolean; note: string } {
  if (outcomes < minOutcomes) return { on: false, note: `${outcomes} outcomes, fewer than ${minOutcomes}` };
  const aucs = `held-out AUC ${fitted.auc.toFixed(3)} against ${baseline.auc.toFixed(3)}`;
  if (gainLowerBound <= 0)
    return {
      on: false,
      note: `${aucs}: not better beyond chance (2.5th percentile of the gain ${gainLowerBound.toFixed(3)})`,
    };
  return {
    on: true,
    note: `${aucs} on ${outcomes} outcomes (2.5th percentile of the gain ${gainLowerBound.toFixed(3)})`,
  };
}

/**
 * The score weights matching uses, and their versions: `learn` fits a version on lead outcomes and switches it on
 * when the rule allows; operators list versions and activate an older one or none (the configured weights).
 */
@Injectable()
export class LearningService {
  private readonly logger = new Logger(LearningService.name);
  private cached?: { until: number; value: RankingWeights };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly versions: WeightVersionsRepository,
  ) {}

  /** The weights to score with now: the active version's, or the configured ones. */
  async current(): Promise<RankingWeights> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.value;
    const active = await this.versions.active(this.db.pool);
    const value = active ? rankingOf(active) : { version: null, weights: this.config.matching.weights };
    this.cached = { until: Date.now() + REFRESH_MS, value };
    return value;
  }

  /**
   * Fits a version on the outcomes, stores it with its metrics, and switches it on if it passes the rule. Returns
   * null when there is nothing to learn from.
   */
  async learn(outcomes: readonly Outcome[]): Promise<WeightVersion | null> {
    const sorted = [...outcomes].sort((a, b) => a.at.localeCompare(b.at));
    const cut = Math.floor(sorted.length * (1 - HELD_OUT));
    const [train, test] = [sorted.slice(0, cut), sorted.slice(cut)];
    if (train.length === 0 || test.length === 0) return null;
    const { minOutcomes, priorOutcomes, maxWeight } = this.config.learning;
    const model = fit(train, this.config.matching.weights, { priorOutcomes, maxWeight });
    const labels = test.map((o) => o.accepted);
    const ipw = test.map((o) => 1 / Math.max(o.propensity, 0.05));
    const heldOut = (scores: number[]) => {
      const calibrated = platt(scores, labels);
      const probabilities = scores.map((z) => sigmoid(calibrated.a * z + calibrated.b));
      return {
        scores,
        platt: calibrated,
        probabilities,
        auc: auc(scores, labels, ipw),
        logLoss: logLoss(probabilities, labels, ipw),
      };
    };
    const fitted = heldOut(
      test.map((o) => model.intercept + model.scale * total(model.weights, o.parts, o.confidence)),
    );
    const inForce = await this.current();
    const baseline = heldOut(test.map((o) => total(inForce.weights, o.parts, o.confidence)));
    const gain = aucGainLowerBound(fitted.scores, baseline.scores, labels, ipw);
    const rule = switchOn(outcomes.length, minOutcomes, fitted, baseline, gain);
    const version = await this.db.transaction(async (tx) => {
      const stored = await this.versions.insert(tx, {
        weights: model.weights,
        model: { intercept: model.intercept, scale: model.scale, platt: fitted.platt },
        trainingOutcomes: train.length,
        heldoutOutcomes: test.length,
        metrics: {
          auc: fitted.auc,
          logLoss: fitted.logLoss,
          baseline: { auc: baseline.auc, logLoss: baseline.logLoss },
          aucGainLowerBound: gain,
          calibration: calibration(fitted.probabilities, labels),
        },
        note: rule.note,
      });
      if (rule.on) await this.versions.activate(tx, stored.id, rule.note);
      else if (outcomes.length >= minOutcomes) await this.versions.reject(tx, stored.id, rule.note);
      return (await this.versions.find(tx, stored.id))!;
    });
    this.cached = undefined;
    this.logger.log({ version: version.id, status: version.status, note: rule.note }, 'weights fitted');
    return version;
  }

  async list(actor: Actor, limit: number, offset: number): Promise<WeightVersion[]> {
    if (!mayOperate(actor)) throw new ForbiddenError('read the weight versions');
    return this.versions.list(this.db.pool, limit, offset);
  }

  /** What `current` gives, for an operator to read. */
  async inForce(actor: Actor): Promise<RankingWeights> {
    if (!mayOperate(actor)) throw new ForbiddenError('read the weights in force');
    return this.current();
  }

  /** Switches a version on by hand (a rollback to an older one), or none: the configured weights. */
  async activate(actor: Actor, id: number | null): Promise<RankingWeights> {
    if (!mayOperate(actor)) throw new ForbiddenError('switch weight versions');
    await this.db.transaction(async (tx) => {
      if (id !== null && !(await this.versions.find(tx, id))) throw new WeightVersionNotFoundError(id);
      await this.versions.activate(tx, id, `switched on by ${actor.apiKeyId}`);
    });
    this.cached = undefined;
    return this.current();
  }
}

function rankingOf(v: WeightVersion): RankingWeights {
  const { intercept, scale, platt: p } = v.model;
  return {
    version: v.id,
    weights: v.weights,
    probability: (t: number) => sigmoid(p.a * (intercept + scale * t) + p.b),
  };
}
