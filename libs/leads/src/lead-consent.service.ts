import { Injectable } from '@nestjs/common';
import { ForbiddenError, leadPartyOf, mayConsentToLead, type Actor } from '@app/access';
import { Db } from '@app/persistence';
import { LeadNotFoundError } from './leads.errors';
import { LeadViewsService, type LeadView } from './lead-views.service';
import { LeadsRepository } from './leads.repository';

/** The enterprise's consent to an introduction: from then on the partner's owner may read the demand in full. */
@Injectable()
export class LeadConsentService {
  constructor(
    private readonly db: Db,
    private readonly leads: LeadsRepository,
    private readonly views: LeadViewsService,
  ) {}

  /** Given once; asking again changes nothing. Returns the lead as the enterprise now sees it. */
  async consent(actor: Actor, leadId: string): Promise<LeadView> {
    await this.db.transaction(async (tx) => {
      const lead = await this.leads.lock(tx, leadId);
      const party = lead && leadPartyOf(actor, { ...lead.parties, brokerId: lead.brokerId });
      if (!lead || !party) throw new LeadNotFoundError(leadId);
      if (!mayConsentToLead(party)) throw new ForbiddenError('consent to this introduction');
      if (lead.consentAt) return;
      await this.leads.update(tx, lead.id, { consentAt: new Date() });
      await this.leads.addEvent(tx, lead.id, lead.state, lead.state, actor.apiKeyId, { consent: true });
    });
    return this.views.view(actor, leadId);
  }
}
