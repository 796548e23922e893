import { Inject, Injectable, Logger } from '@nestjs/common';
import { ForbiddenError, mayOperate, SYSTEM_ACTOR_ID, type Actor } from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { creditKey, CreditService } from '@app/credit';
import { EmbeddingService } from '@app/embedding';
import { Jobs } from '@app/jobs';
import { leadsCreated } from '@app/observability';
import { Db, type Queryable } from '@app/persistence';
import { ProfilesRepository, type Demand } from '@app/profiles';
import { chooseBroker, pairVector, type Assignment } from './broker-assignment';
import type { AssignDto } from './dto/lead.dto';
import { manualNext } from './lead-lifecycle';
import { BrokerUnavailableError, InvalidTransitionError, LeadNotFoundError } from './leads.errors';
import { LeadViewsService, type LeadView } from './lead-views.service';
import { LeadOffersRepository } from './lead-offers.repository';
import { LeadsRepository } from './leads.repository';
import type { Lead, LeadOffer, NewLead } from './leads.types';

/** What the caller already holds of the pair, so that opening a lead reads neither side again. */
export interface KnownPair {
  demand: Pick<Demand, 'industryCode' | 'regionCode'>;
  demandVector?: Float32Array | null;
}

/**
 * Leads and their brokers: a new lead (once per pair, by a unique constraint) offered to the broker best placed
 * for it, the offer's service level (lapse, then the next broker, then the operators), waiting leads assigned when
 * capacity frees up, and an operator's assignment. Each offer commits its delivery and expiry jobs with it.
 */
@Injectable()
export class LeadOffersService {
  private readonly logger = new Logger(LeadOffersService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly leads: LeadsRepository,
    private readonly offerRecords: LeadOffersRepository,
    private readonly profiles: ProfilesRepository,
    private readonly embedding: EmbeddingService,
    private readonly jobs: Jobs,
    private readonly views: LeadViewsService,
    private readonly credit: CreditService,
  ) {}

  /** Inserts the lead and offers it to the best broker, in one transaction; undefined when the pair exists. */
  async open(newLead: NewLead, actor: string, known?: KnownPair): Promise<Lead | undefined> {
    return this.db.transaction((tx) => this.openIn(tx, newLead, actor, known));
  }

  /** `open` in the caller's transaction: the lead exists, and is offered, exactly when the caller's change commits. */
  async openIn(tx: Queryable, newLead: NewLead, actor: string, known?: KnownPair): Promise<Lead | undefined> {
    const lead = await this.leads.insert(tx, newLead);
    if (!lead) return undefined;
    leadsCreated.inc({ origin: newLead.origin });
    await this.leads.addEvent(tx, lead.id, null, 'unassigned', actor, { origin: newLead.origin, score: lead.score });
    await this.offerToNext(tx, lead, actor, undefined, known);
    return lead;
  }

  /**
   * `expire-offer`: the broker did not accept in time. The offer lapses and the lead goes to the next eligible
   * broker, or to the operators after LEAD_MAX_OFFERS. Does nothing when the broker answered meanwhile.
   */
  async expireOffer(offerId: string): Promise<'expired' | 'answered'> {
    return this.db.transaction(async (tx) => {
      const offer = await this.offerRecords.offer(offerId, tx);
      if (!offer) return 'answered';
      const lead = await this.leads.lock(tx, offer.leadId);
      if (!lead || lead.state !== 'offered' || lead.brokerId !== offer.brokerId) return 'answered';
      const current = await this.offerRecords.offer(offerId, tx);
      if (current?.outcome !== null) return 'answered';
      await this.offerRecords.closeOffer(tx, lead.id, 'expired');
      await this.offerToNext(tx, lead, SYSTEM_ACTOR_ID);
      return 'expired';
    });
  }

  /** `assign-waiting-leads`: leads that found no broker get one when capacity frees up. */
  async assignWaiting(limit = 200): Promise<number> {
    let assigned = 0;
    for (const id of await this.leads.waiting(limit)) {
      const offer = await this.db.transaction(async (tx) => {
        const lead = await this.leads.lock(tx, id);
        if (!lead || lead.state !== 'unassigned' || lead.escalatedAt) return null;
        return this.offerToNext(tx, lead, SYSTEM_ACTOR_ID);
      });
      if (offer) assigned++;
    }
    return assigned;
  }

  /** An operator assigns a waiting or escalated lead: to a named broker, or to the best eligible one. */
  async assign(actor: Actor, leadId: string, dto: AssignDto): Promise<LeadView> {
    if (!mayOperate(actor)) throw new ForbiddenError('assign leads');
    await this.db.transaction(async (tx) => {
      const lead = await this.leads.lock(tx, leadId);
      if (!lead) throw new LeadNotFoundError(leadId);
      if (lead.state !== 'unassigned') throw new InvalidTransitionError(lead.state, 'offered', manualNext(lead.state));
      const offer = await this.offerToNext(tx, { ...lead, escalatedAt: null }, actor.apiKeyId, dto.brokerId);
      if (!offer) throw new BrokerUnavailableError(dto.brokerId ?? 'any', 'no eligible broker left');
    });
    return this.views.view(actor, leadId);
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
    known?: KnownPair,
  ): Promise<LeadOffer | null> {
    await this.offerRecords.lockAssignment(tx);
    const previous = await this.offerRecords.offers(lead.id, tx);
    const candidates = await this.brokerCandidates(tx);
    const pair = await this.pairFacts(tx, lead, known);
    const offered = new Set(previous.map((o) => o.brokerId));
    let assignment: Assignment | null;
    if (forcedBrokerId) {
      const broker = candidates.find((c) => c.id === forcedBrokerId);
      if (!broker) throw new BrokerUnavailableError(forcedBrokerId, 'not an active broker');
      if (offered.has(forcedBrokerId)) throw new BrokerUnavailableError(forcedBrokerId, 'was offered this lead before');
      if (broker.openLeads >= broker.capacity) throw new BrokerUnavailableError(forcedBrokerId, 'at capacity');
      const chosen = chooseBroker(pair, [broker], new Set(), this.config.leads.assignmentWeights)!;
      assignment = {
        ...chosen,
        explanation: {
          zh: `由运营人员指定；${chosen.explanation.zh}`,
          en: `assigned by an operator; ${chosen.explanation.en}`,
        },
      };
    } else {
      assignment =
        previous.length >= this.config.leads.maxOffers
          ? null
          : chooseBroker(pair, candidates, offered, this.config.leads.assignmentWeights);
    }
    if (!assignment) {
      if (previous.length > 0) await this.escalate(tx, lead, actor);
      return null;
    }
    const dueAt = new Date(Date.now() + this.config.leads.offerTtlMs);
    const offer = await this.offerRecords.addOffer(tx, {
      leadId: lead.id,
      brokerId: assignment.brokerId,
      attempt: previous.length + 1,
      reasons: assignment,
      dueAt,
    });
    await this.leads.update(tx, lead.id, {
      state: 'offered',
      brokerId: assignment.brokerId,
      offersMade: previous.length + 1,
      escalatedAt: null,
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

  /**
   * Active brokers with their credit scores, read on the assignment's transaction (it holds the lock); the scores
   * may be `CREDIT_ASSIGNMENT_MAX_AGE_SECONDS` old (reading every broker's record for every offer cost about 2 s at
   * 100,000 leads).
   */
  private async brokerCandidates(tx: Queryable) {
    const candidates = await this.offerRecords.brokerCandidates(tx, this.embedding.modelId);
    const credit = await this.credit.recentSummaries(
      candidates.map((c) => ({ kind: 'broker', id: c.id })),
      { on: tx, maxAgeMs: this.config.credit.assignmentMaxAgeMs },
    );
    return candidates.map((c) => ({
      ...c,
      creditScore: credit.get(creditKey({ kind: 'broker', id: c.id }))?.score ?? null,
    }));
  }

  private async escalate(tx: Queryable, lead: Lead, actor: string): Promise<void> {
    await this.leads.update(tx, lead.id, { state: 'unassigned', brokerId: null, escalatedAt: new Date() });
    await this.leads.addEvent(tx, lead.id, lead.state, 'unassigned', actor, { escalated: true });
    this.logger.warn({ leadId: lead.id, offers: lead.offersMade }, 'lead escalated to the operators');
  }

  /**
   * What assignment needs to know of the pair, read on the transaction's own client: it runs under the assignment
   * lock, and a pool query there waited forever once every pooled client was a transaction waiting for that lock
   * (found by CI: ten concurrent lead creations, the test suite hung). What the caller holds is not read again.
   */
  private async pairFacts(tx: Queryable, lead: Lead, known?: KnownPair) {
    const demand = known?.demand ?? (await this.profiles.findByIds('demand', [lead.demandId], tx))[0];
    const current = (v?: { vector: Float32Array; modelId: string }) =>
      v && v.modelId === this.embedding.modelId ? v.vector : null;
    const a =
      known?.demandVector !== undefined
        ? known.demandVector
        : current(await this.profiles.vectorOf('demand', lead.demandId, tx));
    const b = current(await this.profiles.vectorOf(lead.partnerKind, lead.partnerId, tx));
    return {
      vector: pairVector(a, b),
      industryCode: demand?.industryCode ?? null,
      regionCode: demand?.regionCode ?? '',
    };
  }
}
