import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ForbiddenError, mayIntroduce, SYSTEM_ACTOR_ID, type Actor } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { GenerateLeadsPayload } from '@app/jobs';
import { Db, type Queryable } from '@app/persistence';
import { MatchingService, type Match } from '@app/matching';
import { isLive, ProfilesRepository, ProfilesService, type Achievement, type Demand } from '@app/profiles';
import { SearchIndexService } from '@app/vector-index';
import type { IntroduceDto } from './dto/lead.dto';
import { LeadOffersService } from './lead-offers.service';
import { LeadViewsService, type LeadView } from './lead-views.service';
import { decide } from './lead-outcomes';
import { IndexBehindError, SameOrganisationError } from './leads.errors';
import { LeadsRepository } from './leads.repository';
import type { LeadMatch, PartnerKind } from './leads.types';
import { MatchCandidatesRepository, type ScoredCandidate } from './match-candidates.repository';

/** A pair the matcher proposes: which demand, which partner, and the match that scored it. */
interface Proposal {
  demandId: string;
  partnerKind: PartnerKind;
  partnerId: string;
  match: Match;
}

/** Candidates scored per direction for each lead wanted: the ones below the bar are explored and logged. */
const SCORED_PER_LEAD = 3;

/**
 * Where leads come from: `generate-leads` (a demand or achievement has a new vector: its best matches above the bar
 * become leads, LEAD_MIN_SCORE, or LEAD_MIN_PROBABILITY once fitted weights are active; a logged share of those
 * just below it become exploratory leads) and introductions by hand. Both open the lead through LeadOffersService.
 * Every candidate scored is logged with what was done with it (match_candidates), for the learner.
 */
@Injectable()
export class LeadGenerationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly leads: LeadsRepository,
    private readonly offers: LeadOffersService,
    private readonly views: LeadViewsService,
    private readonly profiles: ProfilesService,
    private readonly records: ProfilesRepository,
    private readonly matching: MatchingService,
    private readonly index: SearchIndexService,
    private readonly candidates: MatchCandidatesRepository,
  ) {}

  /**
   * The leads of a demand or achievement that was just embedded; returns how many were created. Safe to run any
   * number of times (a pair has one lead). The record is read once, after this process's index has caught up with
   * its vector (the neighbours are searched there); a retry of the job waits longer.
   */
  async generateFor({ kind, id, contentHash, changedAt }: GenerateLeadsPayload): Promise<number> {
    const { minScore, perProfile } = this.config.leads;
    const { minProbability, explorationShare: share, explorationMargin: margin } = this.config.learning;
    const scored = perProfile * SCORED_PER_LEAD;
    if (perProfile === 0) return 0;
    if (!(await this.index.reach(kind, changedAt))) throw new IndexBehindError(kind, id);
    const record = await this.records.findById(kind, id, this.db.pool);
    if (!record || record.embedding.contentHash !== contentHash) return 0; // changed since: a newer job will run
    if (!isLive(kind, record)) return 0; // a draft, private or closed record is offered to nobody
    let proposals: Proposal[] = [];
    let demandVector: Float32Array | null = null;
    if (kind === 'demand') {
      const demand = record as Demand;
      for (const target of ['achievement', 'expert'] as const) {
        const { matches, vector } = await this.matching.forReadDemand(demand, target, scored);
        demandVector = vector;
        proposals.push(...matches.map((m) => ({ demandId: id, partnerKind: target, partnerId: m.id, match: m })));
      }
    } else {
      const achievement = record as Achievement;
      const matches = await this.matching.forReadAchievement(achievement, scored);
      // Here each match is a demand: the pair's demand is the match, the partner this achievement.
      proposals = matches.map((m) => ({ demandId: m.id, partnerKind: 'achievement', partnerId: id, match: m }));
    }
    let created = 0;
    const log: ScoredCandidate[] = [];
    const made = new Map<PartnerKind, number>();
    const ranked = new Map<PartnerKind, number>();
    for (const p of proposals) {
      const rank = (ranked.get(p.partnerKind) ?? 0) + 1;
      ranked.set(p.partnerKind, rank);
      const room = (made.get(p.partnerKind) ?? 0) < perProfile;
      const draw = drawOf(p.demandId, p.partnerId, contentHash);
      const d = decide(p.match, { minScore, minProbability, share, margin }, draw, room);
      const match = scoreOf(p.match, d.decision === 'exploration' ? d.threshold : undefined);
      let leadId: string | null = null;
      if (d.decision !== 'below') {
        made.set(p.partnerKind, (made.get(p.partnerKind) ?? 0) + 1);
        const demand = kind === 'demand' ? (record as Demand) : (p.match.record as Demand);
        const lead = await this.offers.open(
          {
            demandId: p.demandId,
            partnerKind: p.partnerKind,
            partnerId: p.partnerId,
            origin: 'matching',
            match,
            exploratory: d.decision === 'exploration',
          },
          SYSTEM_ACTOR_ID,
          { demand, demandVector: kind === 'demand' ? demandVector : undefined },
        );
        if (lead) created++;
        leadId = lead?.id ?? (await this.leads.findByPair(p.demandId, p.partnerKind, p.partnerId))?.id ?? null;
      }
      log.push({ ...p, ...d, match, rank, leadId });
    }
    await this.candidates.log(this.db.pool, log);
    return created;
  }

  /** An introduction by hand; idempotent on the pair (the existing lead is returned with created: false). */
  async introduce(actor: Actor, dto: IntroduceDto): Promise<{ lead: LeadView; created: boolean }> {
    if (!mayIntroduce(actor)) throw new ForbiddenError('introduce a demand to a partner');
    const [demand, partner] = await Promise.all([
      this.profiles.get(actor, 'demand', dto.demandId),
      this.profiles.get(actor, dto.partnerKind, dto.partnerId),
    ]);
    if (demand.organisationId === partner.organisationId) throw new SameOrganisationError();
    const existing = await this.leads.findByPair(dto.demandId, dto.partnerKind, dto.partnerId);
    if (existing) return { lead: await this.views.view(actor, existing.id, { introducer: true }), created: false };
    const match = await this.matching.scorePair(dto.demandId, dto.partnerKind, dto.partnerId);
    const lead = await this.offers.open({ ...dto, origin: 'manual', match: scoreOf(match) }, actor.apiKeyId);
    const id = lead?.id ?? (await this.leads.findByPair(dto.demandId, dto.partnerKind, dto.partnerId))!.id;
    return { lead: await this.views.view(actor, id, { introducer: true }), created: lead !== undefined };
  }

  /**
   * A challenge's award, in the award's transaction (so that a lead exists exactly when the challenge is awarded):
   * the lead between its demand and the winner's achievement or expert, with the enterprise's consent, offered to a
   * broker as every lead is. A lead the pair already had is taken over. The pair is scored before the transaction
   * takes its locks (`scoreAward`), as scoring reads the index and embeds nothing.
   */
  scoreAward(pair: { demandId: string; partnerKind: PartnerKind; partnerId: string }): Promise<LeadMatch> {
    return this.matching.scorePair(pair.demandId, pair.partnerKind, pair.partnerId).then((m) => scoreOf(m));
  }

  async award(
    tx: Queryable,
    pair: { demandId: string; partnerKind: PartnerKind; partnerId: string },
    match: LeadMatch,
    challengeId: string,
    actor: string,
  ): Promise<string> {
    const lead =
      (await this.offers.openIn(tx, { ...pair, origin: 'challenge', match }, actor)) ??
      (await this.leads.findByPair(pair.demandId, pair.partnerKind, pair.partnerId, tx))!;
    await this.leads.markAwarded(tx, lead.id, challengeId);
    return lead.id;
  }
}

/**
 * What a lead keeps of a match: the score, its parts and explanation, what it was scored with, not the record. The
 * explanation says the bar it passed (or, for an exploratory lead, missed).
 */
function scoreOf(m: Match, exploredBelow?: number): LeadMatch {
  const bar =
    m.probability === null
      ? { zh: `评分 ${m.total.toFixed(2)}`, en: `score ${m.total.toFixed(2)}` }
      : {
          zh: `预计接受概率 ${m.probability.toFixed(2)}（评分 ${m.total.toFixed(2)}）`,
          en: `predicted acceptance ${m.probability.toFixed(2)} (score ${m.total.toFixed(2)})`,
        };
  const explored =
    exploredBelow === undefined
      ? null
      : { zh: `探索性线索：低于门槛 ${exploredBelow}`, en: `exploratory lead: below the bar of ${exploredBelow}` };
  return {
    total: m.total,
    parts: m.parts,
    explanation: {
      zh: [bar.zh, explored?.zh, m.explanation.zh].filter(Boolean).join('；'),
      en: [bar.en, explored?.en, m.explanation.en].filter(Boolean).join('; '),
    },
    similarity: m.similarity,
    weightsVersion: m.weightsVersion,
    probability: m.probability,
  };
}

/** A number in [0, 1) fixed for a pair and the text it was scored on: a retried job explores the same pairs. */
function drawOf(demandId: string, partnerId: string, contentHash: string): number {
  return createHash('sha256').update(`${demandId}:${partnerId}:${contentHash}`).digest().readUInt32BE(0) / 2 ** 32;
}
