import { Inject, Injectable } from '@nestjs/common';
import { ForbiddenError, isOwnerOrAdmin, onBehalfOf, type Actor } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { dot, EmbeddingService } from '@app/embedding';
import { Db } from '@app/persistence';
import {
  embeddingText,
  ProfilesRepository,
  ProfileNotFoundError,
  ProfilesService,
  publicFormOf,
  type Achievement,
  type Demand,
  type ProfileByKind,
  type ProfileKind,
} from '@app/profiles';
import { LearningService } from '@app/learning';
import { industryDivision } from '@app/taxonomy';
import { SearchIndexService, type IndexMeta } from '@app/vector-index';
import { foldDuplicates } from './duplicates';
import { fusedCandidates, scored } from './candidates';
import { NotEmbeddedYetError } from './matching.errors';
import { industryCloseness, industryPart, semanticPart } from './scoring';
import { needText } from './keywords';
import { hardConstraints, type Match, type MatchFilters, type PartnerQuery } from './matching.types';
import { achievementParts, needOfDemand, partsFor, regionOf, termsOf, type Need } from './pair-parts';
import { requireIndexReady, visibleRecords } from './visible-records';

/**
 * Matching in every direction (free-text search is SearchService's): candidates from the HNSW index and from the
 * BM25 index of the public text (hard constraints applied inside both searches), fused, then a score of several parts
 * with weights from configuration, an explanation in Chinese and English, and near-duplicate achievements folded
 * into one result.
 */
@Injectable()
export class MatchingService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly index: SearchIndexService,
    private readonly profiles: ProfilesService,
    private readonly repository: ProfilesRepository,
    private readonly embedding: EmbeddingService,
    private readonly learning: LearningService,
  ) {}

  /** demand -> achievements, or demand -> experts (commissioners included). */
  async forDemand(
    actor: Actor,
    demandId: string,
    target: 'achievement' | 'expert',
    filters: MatchFilters,
    limit = 10,
    options: { publicNeed?: boolean } = {},
  ): Promise<Match[]> {
    const demand = await this.profiles.get(actor, 'demand', demandId);
    if (!isOwnerOrAdmin(actor, demand.organisationId)) throw new ForbiddenError('see the matches of this demand');
    // publicNeed: scored on what others may read, so that the explanation and similarity can be shown to them
    // (leads): the shared vector, of the public text. Otherwise the owner's own request searches with the private
    // vector of the whole text, when the demand has one.
    const vector = options.publicNeed ? await this.vectorOf('demand', demandId) : await this.ownVectorOf(demandId);
    const need = needOfDemand(options.publicNeed ? publicFormOf(demand) : demand);
    return this.rank(actor, target, vector, need, filters, limit, demand.organisationId);
  }

  /**
   * The service's own matching of a demand it has just read (lead generation), as its owner's key would ask but
   * on what others may read (public form, shared vector), so that each result may be shown to every party. The
   * demand is not read again; its vector is returned for the caller's next step.
   */
  async forReadDemand(
    demand: Demand,
    target: 'achievement' | 'expert',
    limit: number,
  ): Promise<{ matches: Match[]; vector: Float32Array }> {
    const vector = await this.vectorOf('demand', demand.id);
    const owner = onBehalfOf(demand.organisationId, 'enterprise');
    const matches = await this.rank(
      owner,
      target,
      vector,
      needOfDemand(publicFormOf(demand)),
      {},
      limit,
      demand.organisationId,
    );
    return { matches, vector };
  }

  /**
   * A challenge's solvers: its public text (title and statement, embedded as a query) is what is matched, with its
   * demand's constraints (region, readiness, budget, modes) as the need, on what every party may read.
   */
  async forChallenge(
    demand: Demand,
    publicText: string,
    target: 'achievement' | 'expert',
    limit: number,
  ): Promise<Match[]> {
    requireIndexReady(this.index);
    const vector = await this.embedding.embedOne(publicText, 'query');
    const need: Need = { ...needOfDemand(publicFormOf(demand)), ...needText(publicText) };
    const owner = onBehalfOf(demand.organisationId, 'enterprise');
    return this.rank(owner, target, vector, need, {}, limit, demand.organisationId);
  }

  /**
   * A need nobody stored (the demand assistant's preview of a draft): its text and constraints, its vector given,
   * matched on what the actor may read, its own organisation's records left out.
   */
  async forNeed(actor: Actor, need: Need, vector: Float32Array, limit: number): Promise<Match[]> {
    requireIndexReady(this.index);
    return this.rank(actor, 'achievement', vector, need, {}, limit, actor.organisationId);
  }

  /**
   * The score of one given pair, on the demand's public form: for an introduction someone asks for by hand. Both
   * sides must be embedded; the index is not needed.
   */
  async scorePair(demandId: string, partnerKind: 'achievement' | 'expert', partnerId: string): Promise<Match> {
    const [[demand], [partner]] = await Promise.all([
      this.repository.findByIds('demand', [demandId], this.db.pool),
      this.repository.findByIds(partnerKind, [partnerId], this.db.pool),
    ]);
    if (!demand) throw new ProfileNotFoundError('demand', demandId);
    if (!partner) throw new ProfileNotFoundError(partnerKind, partnerId);
    const [a, b] = await Promise.all([this.vectorOf('demand', demandId), this.vectorOf(partnerKind, partnerId)]);
    const similarity = dot(a, b);
    const need = needOfDemand(publicFormOf(demand));
    const parts = partsFor(partnerKind, need, partner, similarity, this.index.rarity(partnerKind));
    return {
      ...scored(parts, await this.learning.current()),
      id: partnerId,
      kind: partnerKind,
      similarity,
      record: partner,
    };
  }

  /** achievement -> demands: an institution looking for buyers. Demands are shown in their public form. */
  async forAchievement(actor: Actor, achievementId: string, filters: MatchFilters, limit = 10): Promise<Match[]> {
    const achievement = await this.profiles.get(actor, 'achievement', achievementId);
    if (!isOwnerOrAdmin(actor, achievement.organisationId))
      throw new ForbiddenError('see the matches of this achievement');
    return this.matchAchievement(actor, achievement, filters, limit);
  }

  /** The service's own matching of an achievement it has just read (lead generation), as its owner would ask. */
  forReadAchievement(achievement: Achievement, limit: number): Promise<Match[]> {
    return this.matchAchievement(onBehalfOf(achievement.organisationId, 'institution'), achievement, {}, limit);
  }

  private async matchAchievement(
    actor: Actor,
    achievement: Achievement,
    filters: MatchFilters,
    limit: number,
  ): Promise<Match[]> {
    const vector = await this.vectorOf('achievement', achievement.id);
    const filter = hardConstraints('demand', filters, achievement.organisationId);
    const candidates = this.candidates('demand', vector, embeddingText('achievement', achievement), limit, filter);
    const demands = await this.load(
      actor,
      'demand',
      candidates.map((c) => c.id),
      filter,
    );
    const offerTerms = termsOf('achievement', achievement);
    // A pair's keyword part is the same from both sides: terms weighed by their rarity among achievements.
    const rarity = this.index.rarity('achievement');
    const ranking = await this.learning.current();
    const matches = candidates.flatMap((c) => {
      const d = demands.get(c.id);
      if (!d) return [];
      // Only what the viewer may read of the demand takes part (its public form, unless the viewer owns it).
      const need = needOfDemand(d);
      const score = scored(
        [semanticPart(c.similarity), ...achievementParts(need, achievement, offerTerms, rarity)],
        ranking,
      );
      return [{ ...score, id: c.id, kind: 'demand' as const, similarity: c.similarity, record: d }];
    });
    return matches.sort((a, b) => b.total - a.total).slice(0, limit);
  }

  /** programme -> partners: achievements, experts and enterprises with open demands that fit a region and industries. */
  async partnersForProgramme(actor: Actor, programmeId: string, query: PartnerQuery) {
    if (actor.role !== 'admin' && !(actor.role === 'programme' && actor.organisationId === programmeId)) {
      throw new ForbiddenError("search this programme's partners");
    }
    requireIndexReady(this.index);
    const industryNames = query.industryCodes.map((c) => industryDivision(c)?.name ?? '').join('、');
    const text = [query.text, industryNames].filter((t) => t && t.trim()).join('\n') || '科技成果 技术需求';
    const vector = await this.embedding.embedOne(text, 'query');
    const need: Need = {
      ...needText(text),
      industryCode: null,
      regionCode: query.regionCode,
      minReadinessLevel: null,
      budgetMin: null,
      budgetMax: null,
      cooperationModes: [],
      greenPreferred: false,
    };
    const limit = query.limit ?? 10;
    const inFocus = (m: IndexMeta) =>
      query.industryCodes.length === 0 ||
      m.industries.length === 0 ||
      m.industries.some((i) => query.industryCodes.some((q) => industryCloseness(q, i) >= 0.8));
    const ranking = await this.learning.current();
    const rank = async (kind: 'achievement' | 'expert' | 'demand') => {
      const matches = await this.rank(
        actor,
        kind,
        vector,
        need,
        { regionCode: regionOf(query.regionCode) },
        limit,
        null,
        inFocus,
      );
      for (const m of matches) {
        const industries = this.index.metaOf(kind, m.id)?.industries ?? [];
        const best = query.industryCodes
          .map((q) => industryPart(q, industries))
          .filter(Boolean)
          .sort((a, b) => b!.value - a!.value)[0];
        if (best) Object.assign(m, scored([...m.parts, best], ranking));
      }
      return matches.sort((a, b) => b.total - a.total);
    };
    return { achievements: await rank('achievement'), experts: await rank('expert'), demands: await rank('demand') };
  }

  private async rank(
    actor: Actor,
    kind: 'achievement' | 'expert' | 'demand',
    vector: Float32Array,
    need: Need,
    filters: MatchFilters,
    limit: number,
    excludeOrganisation: string | null,
    extra?: (m: IndexMeta) => boolean,
  ): Promise<Match[]> {
    const hard = hardConstraints(kind, filters, excludeOrganisation);
    const filter = extra ? (m: IndexMeta) => hard(m) && extra(m) : hard;
    const candidates = this.candidates(kind, vector, need.text, limit, filter);
    const records = await this.load(
      actor,
      kind,
      candidates.map((c) => c.id),
      filter,
    );
    const ranking = await this.learning.current();
    const rarity = this.index.rarity(kind);
    const matches: Match[] = candidates.flatMap((c) => {
      const r = records.get(c.id);
      if (!r) return [];
      const parts = partsFor(kind, need, r, c.similarity, rarity);
      return [{ ...scored(parts, ranking), id: c.id, kind, similarity: c.similarity, record: r }];
    });
    // Equal scores (the same result listed twice scores the same) rank the earlier listing first, so that it is the
    // one a fold keeps, whatever order the candidates came in.
    matches.sort((a, b) => b.total - a.total || byListing(a, b));
    const folded =
      kind === 'achievement'
        ? foldDuplicates(
            matches,
            (id) => this.index.vectorOf('achievement', id),
            (m) => ({ organisationId: m.record.organisationId, title: (m.record as Achievement).title }),
            limit,
          )
        : matches;
    return folded.slice(0, limit);
  }

  private candidates(
    kind: ProfileKind,
    vector: Float32Array,
    text: string,
    limit: number,
    filter: (m: IndexMeta) => boolean,
  ) {
    requireIndexReady(this.index);
    return fusedCandidates(
      this.index,
      kind,
      vector,
      text,
      Math.max(this.config.matching.candidates, limit * 2),
      filter,
    );
  }

  private async vectorOf(kind: ProfileKind, id: string): Promise<Float32Array> {
    const indexed = this.index.vectorOf(kind, id);
    if (indexed) return indexed;
    const stored = await this.repository.vectorOf(kind, id, this.db.pool);
    if (!stored || stored.modelId !== this.embedding.modelId) throw new NotEmbeddedYetError(kind, id);
    return stored.vector;
  }

  /** The vector a demand's owner searches with: the private one of its whole text, else the shared one. */
  private async ownVectorOf(demandId: string): Promise<Float32Array> {
    const own = await this.repository.privateVectorOf(demandId);
    return own && own.modelId === this.embedding.modelId ? own.vector : this.vectorOf('demand', demandId);
  }

  private load<K extends ProfileKind>(
    actor: Actor,
    kind: K,
    ids: string[],
    filter: (m: IndexMeta) => boolean,
  ): Promise<Map<string, ProfileByKind[K]>> {
    return visibleRecords(this.index, this.profiles, actor, kind, ids, filter);
  }
}

/** The earlier listing first, then by id: a stable order for equal scores. */
function byListing(a: Match, b: Match): number {
  return a.record.createdAt.localeCompare(b.record.createdAt) || a.id.localeCompare(b.id);
}
