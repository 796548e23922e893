import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ForbiddenError,
  leadPartyOf,
  mayConsentToLead,
  mayIntroduce,
  mayMoveLead,
  mayOperate,
  type Actor,
} from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Jobs, type GenerateLeadsPayload } from '@app/jobs';
import { leadsCreated, leadTransitions } from '@app/observability';
import { EmbeddingService } from '@app/embedding';
import { MatchingService, type Match, type MatchFilters, type MatchScore } from '@app/matching';
import type { Queryable } from '@app/persistence';
import { ProfilesRepository, ProfilesService, type Demand, type Profile } from '@app/profiles';
import { SearchIndexService } from '@app/vector-index';
import { chooseBroker, pairVector, type Assignment } from './broker-assignment';
import type { AssignDto, IntroduceDto, TransitionDto } from './dto/lead.dto';
import { canMove, closesOnWithdrawal, manualNext, type LeadState } from './lead-lifecycle';
import {
  BrokerUnavailableError,
  IndexBehindError,
  InvalidTransitionError,
  LeadNotFoundError,
  SameOrganisationError,
} from './leads.errors';
import { LeadViewsService, type LeadView } from './lead-views.service';
import { LeadsRepository } from './leads.repository';
import type { Lead, LeadOffer, NewLead, PartnerKind } from './leads.types';
import { estimateSubsidy, type ContractRecord } from './subsidy';
import { SubsidyRulesRepository } from './subsidy-rules.repository';

/** The actor of changes nobody asked for by hand: matching, service-level lapses, assignment. */
export const SYSTEM = 'system';

/** A match, with the lead its pair already has (null: none yet). */
export type MatchWithLead = Match & { lead: { id: string; state: LeadState } | null };

/**
 * Leads from matches to contracts: creation (once per pair, by a unique constraint), broker assignment, the
 * lifecycle with its events, service-level re-offers and escalation. Each change and the outbox rows it needs are
 * written in one transaction; the relay moves the outbox to the queues afterwards.
 */
@Injectable()
export class LeadsService {
  private readonly logger = new Logger(LeadsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly leads: LeadsRepository,
    private readonly profiles: ProfilesService,
    private readonly profileRecords: ProfilesRepository,
    private readonly matching: MatchingService,
    private readonly embedding: EmbeddingService,
    private readonly subsidyRules: SubsidyRulesRepository,
    private readonly views: LeadViewsService,
    private readonly jobs: Jobs,
    private readonly index: SearchIndexService,
  ) {}

  /**
   * The leads of a demand or achievement that was just embedded: its best matches above LEAD_MIN_SCORE, each a
   * lead unless the pair exists. Returns how many were created. Safe to run any number of times.
   */
  async generateFor({ kind, id, contentHash, changedAt }: GenerateLeadsPayload): Promise<number> {
    // Its neighbours are searched in this process's index, which must have its vector first; a retry waits longer.
    if (!(await this.index.reach(kind, changedAt))) throw new IndexBehindError(kind, id);
    const record = await this.profileRecords.findById(kind, id);
    if (!record || record.embedding.contentHash !== contentHash) return 0; // changed since: a newer job will run
    // Matching on behalf of the record's owner: it sees its own record whole and others' demands in public form,
    // so that every explanation stored on a lead may be shown to each party.
    const owner: Actor = {
      apiKeyId: SYSTEM,
      role: kind === 'demand' ? 'enterprise' : 'institution',
      organisationId: record.organisationId,
      brokerId: null,
    };
    const { minScore, perProfile } = this.config.leads;
    if (perProfile === 0) return 0;
    let pairs: { demandId: string; partnerKind: PartnerKind; match: Match }[] = [];
    if (kind === 'demand') {
      if ((record as Demand).status !== 'open') return 0;
      for (const target of ['achievement', 'expert'] as const) {
        const matches = await this.matching.forDemand(owner, id, target, {}, perProfile, { publicNeed: true });
        pairs.push(...matches.map((m) => ({ demandId: id, partnerKind: target, match: m })));
      }
    } else {
      const a = record as Profile & { status: string; visibility: string };
      if (a.visibility !== 'public' || !['listed', 'under_negotiation'].includes(a.status)) return 0;
      const matches = await this.matching.forAchievement(owner, id, {}, perProfile);
      pairs = matches.map((m) => ({ demandId: m.id, partnerKind: 'achievement' as const, match: { ...m, id } }));
    }
    let created = 0;
    for (const p of pairs.filter((p) => p.match.total >= minScore)) {
      const lead = await this.create(
        {
          demandId: p.demandId,
          partnerKind: p.partnerKind,
          partnerId: p.match.id,
          origin: 'matching',
          match: scoreOf(p.match),
        },
        SYSTEM,
      );
      if (lead) created++;
    }
    return created;
  }

  /**
   * Matches of a demand with the lead each pair already has, if any; pairs whose lead was declined are suppressed.
   * The matching itself (and who may see it) is MatchingService's.
   */
  async matchesForDemand(
    actor: Actor,
    demandId: string,
    target: PartnerKind,
    filters: MatchFilters,
    limit?: number,
  ): Promise<MatchWithLead[]> {
    // The demand's leads are read while the matching runs: one database round trip less in a row.
    const [matches, leads] = await Promise.all([
      this.matching.forDemand(actor, demandId, target, filters, limit),
      this.leads.statesOf({ demandId }),
    ]);
    return withLeads(matches, leads, (l) => l.partnerId);
  }

  /** Matches of an achievement (demands), annotated and suppressed the same way. */
  async matchesForAchievement(
    actor: Actor,
    achievementId: string,
    filters: MatchFilters,
    limit?: number,
  ): Promise<MatchWithLead[]> {
    const [matches, leads] = await Promise.all([
      this.matching.forAchievement(actor, achievementId, filters, limit),
      this.leads.statesOf({ partnerKind: 'achievement', partnerId: achievementId }),
    ]);
    return withLeads(matches, leads, (l) => l.demandId);
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
    const lead = await this.create({ ...dto, origin: 'manual', match: scoreOf(match) }, actor.apiKeyId);
    const id = lead?.id ?? (await this.leads.findByPair(dto.demandId, dto.partnerKind, dto.partnerId))!.id;
    return { lead: await this.views.view(actor, id, { introducer: true }), created: lead !== undefined };
  }

  /** Inserts the lead and offers it to the best broker, in one transaction; undefined when the pair exists. */
  private async create(newLead: NewLead, actor: string): Promise<Lead | undefined> {
    return this.leads.db.transaction(async (tx) => {
      const lead = await this.leads.insert(tx, newLead);
      if (!lead) return undefined;
      leadsCreated.inc({ origin: newLead.origin });
      await this.leads.addEvent(tx, lead.id, null, 'unassigned', actor, { origin: newLead.origin, score: lead.score });
      await this.offerToNext(tx, lead, actor);
      return lead;
    });
  }

  /**
   * Offers the lead to the best eligible broker it was not offered before. When there is none, the lead waits
   * unassigned (first time) or is escalated to the operators (after earlier offers lapsed).
   */
  private async offerToNext(
    tx: Queryable,
    lead: Lead,
    actor: string,
    forcedBrokerId?: string,
  ): Promise<LeadOffer | null> {
    await this.leads.lockAssignment(tx);
    const previous = await this.leads.offers(lead.id, tx);
    const candidates = await this.leads.brokerCandidates(tx, this.embedding.modelId);
    const pair = await this.pairFacts(lead, tx);
    const offered = new Set(previous.map((o) => o.brokerId));
    let assignment: Assignment | null;
    if (forcedBrokerId) {
      const broker = candidates.find((c) => c.id === forcedBrokerId);
      if (!broker) throw new BrokerUnavailableError(forcedBrokerId, 'not an active broker');
      if (offered.has(forcedBrokerId)) throw new BrokerUnavailableError(forcedBrokerId, 'was offered this lead before');
      if (broker.openLeads >= broker.capacity) throw new BrokerUnavailableError(forcedBrokerId, 'at capacity');
      const chosen = chooseBroker(pair, [broker], new Set())!;
      assignment = {
        ...chosen,
        explanation: {
          zh: `由运营人员指定；${chosen.explanation.zh}`,
          en: `assigned by an operator; ${chosen.explanation.en}`,
        },
      };
    } else {
      assignment = previous.length >= this.config.leads.maxOffers ? null : chooseBroker(pair, candidates, offered);
    }
    if (!assignment) {
      if (previous.length > 0) await this.escalate(tx, lead, actor);
      return null;
    }
    const dueAt = new Date(Date.now() + this.config.leads.offerTtlMs);
    const offer = await this.leads.addOffer(tx, {
      leadId: lead.id,
      brokerId: assignment.brokerId,
      attempt: previous.length + 1,
      reasons: assignment,
      dueAt,
    });
    await this.leads.update(tx, lead.id, {
      state: 'offered',
      broker_id: assignment.brokerId,
      offers_made: previous.length + 1,
      escalated_at: null,
    });
    await this.leads.addEvent(tx, lead.id, lead.state, 'offered', actor, {
      brokerId: assignment.brokerId,
      attempt: offer.attempt,
      offerId: offer.id,
      why: assignment.explanation,
    });
    await this.jobs.add(tx, 'deliver-lead', { offerId: offer.id });
    await this.jobs.add(tx, 'expire-offer', { offerId: offer.id, dueAt: offer.dueAt });
    return offer;
  }

  private async escalate(tx: Queryable, lead: Lead, actor: string): Promise<void> {
    await this.leads.update(tx, lead.id, { state: 'unassigned', broker_id: null, escalated_at: new Date() });
    await this.leads.addEvent(tx, lead.id, lead.state, 'unassigned', actor, { escalated: true });
    this.logger.warn({ leadId: lead.id, offers: lead.offersMade }, 'lead escalated to the operators');
  }

  /**
   * What assignment needs to know of the pair, read on the transaction's own client: it runs under the assignment
   * lock, and a pool query there waited forever once every pooled client was a transaction waiting for that lock
   * (found by CI: ten concurrent lead creations, the test suite hung).
   */
  private async pairFacts(lead: Lead, tx: Queryable) {
    const [demand] = await this.profileRecords.findByIds('demand', [lead.demandId], tx);
    const a = await this.profileRecords.vectorOf('demand', lead.demandId, tx);
    const b = await this.profileRecords.vectorOf(lead.partnerKind, lead.partnerId, tx);
    const current = (v?: { vector: Float32Array; modelId: string }) =>
      v && v.modelId === this.embedding.modelId ? v.vector : null;
    return {
      vector: pairVector(current(a), current(b)),
      industryCode: demand?.industryCode ?? null,
      regionCode: demand?.regionCode ?? '',
    };
  }

  /**
   * `expire-offer`: the broker did not accept in time. The offer lapses and the lead goes to the next eligible
   * broker, or to the operators after LEAD_MAX_OFFERS. Does nothing when the broker answered meanwhile.
   */
  async expireOffer(offerId: string): Promise<'expired' | 'answered'> {
    return this.leads.db.transaction(async (tx) => {
      const offer = await this.leads.offer(offerId, tx);
      if (!offer) return 'answered';
      const lead = await this.leads.lock(tx, offer.leadId);
      if (!lead || lead.state !== 'offered' || lead.brokerId !== offer.brokerId) return 'answered';
      const current = await this.leads.offer(offerId, tx);
      if (current?.outcome !== null) return 'answered';
      await this.leads.closeOffer(tx, lead.id, 'expired');
      await this.offerToNext(tx, lead, SYSTEM);
      return 'expired';
    });
  }

  /** `assign-waiting-leads`: leads that found no broker get one when capacity frees up. */
  async assignWaiting(limit = 200): Promise<number> {
    let assigned = 0;
    for (const id of await this.leads.waiting(limit)) {
      const offer = await this.leads.db.transaction(async (tx) => {
        const lead = await this.leads.lock(tx, id);
        if (!lead || lead.state !== 'unassigned' || lead.escalatedAt) return null;
        return this.offerToNext(tx, lead, SYSTEM);
      });
      if (offer) assigned++;
    }
    return assigned;
  }

  /** `close-withdrawn-leads`: open leads of a withdrawn demand or achievement end as lost, with their offer. */
  async closeWithdrawn(limit = 200): Promise<number> {
    let closed = 0;
    for (const id of await this.leads.ofWithdrawn(limit)) {
      const done = await this.leads.db.transaction(async (tx) => {
        const lead = await this.leads.lock(tx, id);
        if (!lead || !closesOnWithdrawal(lead.state)) return false;
        await this.leads.closeOffer(tx, lead.id, 'withdrawn');
        await this.leads.update(tx, lead.id, { state: 'closed_lost' });
        await this.leads.addEvent(tx, lead.id, lead.state, 'closed_lost', SYSTEM, { reason: 'withdrawn' });
        return true;
      });
      if (done) closed++;
    }
    return closed;
  }

  /** An operator assigns a waiting or escalated lead: to a named broker, or to the best eligible one. */
  async assign(actor: Actor, leadId: string, dto: AssignDto): Promise<LeadView> {
    if (!mayOperate(actor)) throw new ForbiddenError('assign leads');
    await this.leads.db.transaction(async (tx) => {
      const lead = await this.leads.lock(tx, leadId);
      if (!lead) throw new LeadNotFoundError(leadId);
      if (lead.state !== 'unassigned') throw new InvalidTransitionError(lead.state, 'offered', manualNext(lead.state));
      const offer = await this.offerToNext(tx, { ...lead, escalatedAt: null }, actor.apiKeyId, dto.brokerId);
      if (!offer) throw new BrokerUnavailableError(dto.brokerId ?? 'any', 'no eligible broker left');
    });
    return this.views.view(actor, leadId);
  }

  async transition(actor: Actor, leadId: string, dto: TransitionDto): Promise<LeadView> {
    await this.leads.db.transaction(async (tx) => {
      const lead = await this.leads.lock(tx, leadId);
      const party = lead && leadPartyOf(actor, { ...lead.parties, brokerId: lead.brokerId });
      if (!lead || !party) throw new LeadNotFoundError(leadId);
      if (!mayMoveLead(party, dto.to)) throw new ForbiddenError(`move this lead to ${dto.to}`);
      if (!canMove(lead.state, dto.to)) throw new InvalidTransitionError(lead.state, dto.to, manualNext(lead.state));
      const fields: Parameters<LeadsRepository['update']>[2] = { state: dto.to };
      const data: Record<string, unknown> = {};
      if (lead.state === 'offered')
        await this.leads.closeOffer(tx, lead.id, dto.to === 'accepted' ? 'accepted' : 'declined');
      if (dto.to === 'declined') {
        Object.assign(fields, { decline_reason: dto.reason, decline_note: dto.note ?? null });
        Object.assign(data, { reason: dto.reason, note: dto.note, by: party });
      }
      if (dto.to === 'contract_signed') {
        const c = dto.contract!;
        const contract: ContractRecord = {
          amount: c.amount,
          paidAmount: c.paidAmount,
          transactionMode: c.transactionMode,
          registrationNumber: c.registrationNumber,
          settledOnExchange: c.settledOnExchange,
          challengeWinner: c.challengeWinner ?? false,
          signedAt: c.signedAt ?? new Date().toISOString().slice(0, 10),
        };
        const [demand] = await this.profileRecords.findByIds('demand', [lead.demandId], tx);
        const subsidy = estimateSubsidy(
          { ...contract, buyerRegionCode: demand.regionCode },
          await this.subsidyRules.active(tx),
        );
        Object.assign(fields, {
          contract,
          contract_amount: contract.amount,
          contract_signed_at: contract.signedAt,
          subsidy,
        });
        Object.assign(data, { amount: contract.amount, registrationNumber: contract.registrationNumber });
      }
      await this.leads.update(tx, lead.id, fields);
      await this.leads.addEvent(tx, lead.id, lead.state, dto.to, actor.apiKeyId, data);
      leadTransitions.inc({ to: dto.to });
    });
    return this.views.view(actor, leadId);
  }

  /** The enterprise agrees to the introduction: the partner's owner may now read the demand in full. */
  async consent(actor: Actor, leadId: string): Promise<LeadView> {
    await this.leads.db.transaction(async (tx) => {
      const lead = await this.leads.lock(tx, leadId);
      const party = lead && leadPartyOf(actor, { ...lead.parties, brokerId: lead.brokerId });
      if (!lead || !party) throw new LeadNotFoundError(leadId);
      if (!mayConsentToLead(party)) throw new ForbiddenError('consent to this introduction');
      if (lead.consentAt) return;
      await this.leads.update(tx, lead.id, { consent_at: new Date() });
      await this.leads.addEvent(tx, lead.id, lead.state, lead.state, actor.apiKeyId, { consent: true });
    });
    return this.views.view(actor, leadId);
  }
}

/** What a lead keeps of a match: the score, its parts and explanation, not the record. */
function scoreOf(m: Match): MatchScore & { similarity: number } {
  return { total: m.total, parts: m.parts, explanation: m.explanation, similarity: m.similarity };
}

export type { LeadState };

/**
 * Each match with its pair's lead, if any; pairs whose lead was declined are left out. The leads are those of the
 * side the matches were asked for, so a lead is found by its other side (`matched`), the match's id.
 */
function withLeads(
  matches: Match[],
  leads: { id: string; demandId: string; partnerId: string; state: LeadState }[],
  matched: (lead: { demandId: string; partnerId: string }) => string,
): MatchWithLead[] {
  const byMatch = new Map(leads.map((l) => [matched(l), l]));
  return matches.flatMap((m) => {
    const lead = byMatch.get(m.id);
    if (lead?.state === 'declined') return [];
    return [{ ...m, lead: lead ? { id: lead.id, state: lead.state } : null }];
  });
}
