import { Injectable } from '@nestjs/common';
import { ForbiddenError, leadPartyOf, mayMoveLead, SYSTEM_ACTOR_ID, type Actor } from '@app/access';
import { leadTransitions } from '@app/observability';
import { Db } from '@app/persistence';
import { ProfilesRepository } from '@app/profiles';
import type { TransitionDto } from './dto/lead.dto';
import { canMove, closesOnWithdrawal, manualNext } from './lead-lifecycle';
import { InvalidTransitionError, LeadNotFoundError } from './leads.errors';
import { LeadViewsService, type LeadView } from './lead-views.service';
import { LeadOffersRepository } from './lead-offers.repository';
import { LeadsRepository, type LeadChange } from './leads.repository';
import { estimateSubsidy, type ContractRecord } from './subsidy';
import { SubsidyRulesRepository } from './subsidy-rules.repository';

/**
 * A lead's life after its offer (lead-lifecycle.ts holds the rules): the moves its parties make, each an event with
 * its actor; the contract with its subsidy estimate; and the closing of leads whose demand or achievement was
 * withdrawn.
 */
@Injectable()
export class LeadLifecycleService {
  constructor(
    private readonly db: Db,
    private readonly leads: LeadsRepository,
    private readonly offerRecords: LeadOffersRepository,
    private readonly views: LeadViewsService,
    private readonly profiles: ProfilesRepository,
    private readonly subsidyRules: SubsidyRulesRepository,
  ) {}

  /** Returns the lead as the actor now sees it. */
  async transition(actor: Actor, leadId: string, dto: TransitionDto): Promise<LeadView> {
    await this.db.transaction(async (tx) => {
      const lead = await this.leads.lock(tx, leadId);
      const party = lead && leadPartyOf(actor, { ...lead.parties, brokerId: lead.brokerId });
      if (!lead || !party) throw new LeadNotFoundError(leadId);
      if (!mayMoveLead(party, dto.to)) throw new ForbiddenError(`move this lead to ${dto.to}`);
      if (!canMove(lead.state, dto.to)) throw new InvalidTransitionError(lead.state, dto.to, manualNext(lead.state));
      const change: LeadChange = { state: dto.to };
      const data: Record<string, unknown> = {};
      if (lead.state === 'offered')
        await this.offerRecords.closeOffer(tx, lead.id, dto.to === 'accepted' ? 'accepted' : 'declined');
      if (dto.to === 'declined') {
        Object.assign(change, { declineReason: dto.reason, declineNote: dto.note ?? null });
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
          // The award's lead is a challenge winner's whatever the form says: nobody has to tick the box.
          challengeWinner: (c.challengeWinner ?? false) || lead.challengeId !== null,
          signedAt: c.signedAt ?? new Date().toISOString().slice(0, 10),
        };
        const [demand] = await this.profiles.findByIds('demand', [lead.demandId], tx);
        const subsidy = estimateSubsidy(
          { ...contract, buyerRegionCode: demand.regionCode },
          await this.subsidyRules.active(tx),
        );
        Object.assign(change, {
          contract,
          contractAmount: contract.amount,
          contractSignedAt: contract.signedAt,
          subsidy,
        });
        Object.assign(data, { amount: contract.amount, registrationNumber: contract.registrationNumber });
      }
      await this.leads.update(tx, lead.id, change);
      await this.leads.addEvent(tx, lead.id, lead.state, dto.to, actor.apiKeyId, data);
      leadTransitions.inc({ to: dto.to });
    });
    return this.views.view(actor, leadId);
  }

  /** `close-withdrawn-leads`: open leads of a withdrawn demand or achievement end as lost, with their offer. */
  async closeWithdrawn(limit = 200): Promise<number> {
    let closed = 0;
    for (const id of await this.leads.ofWithdrawn(limit)) {
      const done = await this.db.transaction(async (tx) => {
        const lead = await this.leads.lock(tx, id);
        if (!lead || !closesOnWithdrawal(lead.state)) return false;
        await this.offerRecords.closeOffer(tx, lead.id, 'withdrawn');
        await this.leads.update(tx, lead.id, { state: 'closed_lost' });
        await this.leads.addEvent(tx, lead.id, lead.state, 'closed_lost', SYSTEM_ACTOR_ID, { reason: 'withdrawn' });
        return true;
      });
      if (done) closed++;
    }
    return closed;
  }
}
