import { Inject, Injectable } from '@nestjs/common';
import { ForbiddenError, mayIntroduce, SYSTEM_ACTOR_ID, type Actor } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { GenerateLeadsPayload } from '@app/jobs';
import { Db } from '@app/persistence';
import { MatchingService, type Match, type MatchScore } from '@app/matching';
import { isLive, ProfilesRepository, ProfilesService, type Achievement, type Demand } from '@app/profiles';
import { SearchIndexService } from '@app/vector-index';
import type { IntroduceDto } from './dto/lead.dto';
import { LeadOffersService } from './lead-offers.service';
import { LeadViewsService, type LeadView } from './lead-views.service';
import { IndexBehindError, SameOrganisationError } from './leads.errors';
import { LeadsRepository } from './leads.repository';
import type { PartnerKind } from './leads.types';

/** A pair the matcher proposes: which demand, which partner, and the match that scored it. */
interface Proposal {
  demandId: string;
  partnerKind: PartnerKind;
  partnerId: string;
  match: Match;
}

/**
 * Where leads come from: `generate-leads` (a demand or achievement has a new vector: its best matches above
 * LEAD_MIN_SCORE become leads) and introductions by hand. Both open the lead through LeadOffersService.
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
  ) {}

  /**
   * The leads of a demand or achievement that was just embedded; returns how many were created. Safe to run any
   * number of times (a pair has one lead). The record is read once, after this process's index has caught up with
   * its vector (the neighbours are searched there); a retry of the job waits longer.
   */
  async generateFor({ kind, id, contentHash, changedAt }: GenerateLeadsPayload): Promise<number> {
    const { minScore, perProfile } = this.config.leads;
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
        const { matches, vector } = await this.matching.forReadDemand(demand, target, perProfile);
        demandVector = vector;
        proposals.push(...matches.map((m) => ({ demandId: id, partnerKind: target, partnerId: m.id, match: m })));
      }
    } else {
      const achievement = record as Achievement;
      const matches = await this.matching.forReadAchievement(achievement, perProfile);
      // Here each match is a demand: the pair's demand is the match, the partner this achievement.
      proposals = matches.map((m) => ({ demandId: m.id, partnerKind: 'achievement', partnerId: id, match: m }));
    }
    let created = 0;
    for (const p of proposals.filter((p) => p.match.total >= minScore)) {
      const demand = kind === 'demand' ? (record as Demand) : (p.match.record as Demand);
      const lead = await this.offers.open(
        {
          demandId: p.demandId,
          partnerKind: p.partnerKind,
          partnerId: p.partnerId,
          origin: 'matching',
          match: scoreOf(p.match),
        },
        SYSTEM_ACTOR_ID,
        { demand, demandVector: kind === 'demand' ? demandVector : undefined },
      );
      if (lead) created++;
    }
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
}

/** What a lead keeps of a match: the score, its parts and explanation, not the record. */
function scoreOf(m: Match): MatchScore & { similarity: number } {
  return { total: m.total, parts: m.parts, explanation: m.explanation, similarity: m.similarity };
}
