import { Inject, Injectable } from '@nestjs/common';
import {
  leadDemandForm,
  leadPartyOf,
  mayConsentToLead,
  mayMoveLead,
  type Actor,
  type LeadDemandFacts,
  type LeadParty,
} from '@app/access';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { creditKey, CreditService, type CreditSummary } from '@app/credit';
import type { Match } from '@app/matching';
import { Db } from '@app/persistence';
import {
  ProfilesRepository,
  ProfilesService,
  publicFormOf,
  type Demand,
  type Profile,
  type ProfileKind,
} from '@app/profiles';
import type { Assignment } from './broker-assignment';
import type { LeadListQueryDto } from './dto/lead.dto';
import { isTerminal, manualNext, type LeadState } from './lead-lifecycle';
import { LeadNotFoundError } from './leads.errors';
import { LeadOffersRepository } from './lead-offers.repository';
import { LeadsRepository, type LeadFilter, type LeadRow } from './leads.repository';
import type { Lead, LeadEvent } from './leads.types';

/**
 * A match, with the lead its pair already has (null: none yet) and the credit record (score and counts) of the
 * organisation that holds the matched record: the counterpart the viewer would deal with.
 */
export type MatchWithLead = Match & { lead: { id: string; state: LeadState } | null; credit: CreditSummary | null };

/** The credit records (score and counts) of a lead's sides and broker; null for a side the viewer may not see now. */
export interface LeadCredit {
  demandOrganisation: CreditSummary | null;
  partnerOrganisation: CreditSummary | null;
  broker: CreditSummary | null;
}

/** A lead as one party sees it: the demand in the form that party may read, the partner, the offer, the history. */
export interface LeadView extends Lead {
  dueAt: string | null;
  /** Titles as in lists; null when the viewer may no longer see that side (withdrawn, made private, a draft). */
  demandTitle: string | null;
  partnerTitle: string | null;
  /** Null when the viewer may not see that side now. */
  demand: Demand | null;
  partner: Profile | null;
  /** Why the current broker was chosen (absent for the partner's and the enterprise's view of an open offer). */
  assignment: Assignment | null;
  events: LeadEvent[];
  /** What the viewer may do next: moves of the lifecycle its role allows, and `consent` for the enterprise. */
  actions: string[];
  /** `public`: the viewer sees the demand's teaser (confidential fields null). */
  demandForm: 'full' | 'public';
  credit: LeadCredit;
}

/** A lead in a list: its titles and the demand's form, without what only the lead's own page reads. */
export type LeadListItem = Omit<LeadView, 'demand' | 'partner' | 'assignment' | 'events' | 'actions' | 'credit'>;

/**
 * How each party reads leads: one lead with its demand in the form the party may see (access-policy.ts), its
 * partner while the party may see it, why its broker was chosen and what the party may do next; and lists of them.
 */
@Injectable()
export class LeadViewsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly leads: LeadsRepository,
    private readonly offerRecords: LeadOffersRepository,
    private readonly profiles: ProfilesService,
    private readonly profileRecords: ProfilesRepository,
    private readonly credit: CreditService,
  ) {}

  /**
   * The lead as this actor sees it. `introducer`: the actor just introduced the pair by hand; a broker whose
   * introduction went to another broker is no party of it, and gets the view an outsider to the deal may have (the
   * demand's teaser, no assignment, nothing it may do) instead of a 404 for what it just created.
   */
  async view(actor: Actor, leadId: string, options: { introducer?: boolean } = {}): Promise<LeadView> {
    const lead = await this.leads.find(leadId, this.db.pool);
    const party: LeadParty | null | undefined =
      lead &&
      (leadPartyOf(actor, { ...lead.parties, brokerId: lead.brokerId }) ?? (options.introducer ? 'introducer' : null));
    if (!lead || !party) throw new LeadNotFoundError(leadId);
    const [[demand], [partner], offers, events] = await Promise.all([
      this.profileRecords.findByIds('demand', [lead.demandId], this.db.pool),
      this.profileRecords.findByIds(lead.partnerKind, [lead.partnerId], this.db.pool),
      this.offerRecords.offers(lead.id, this.db.pool),
      this.leads.events(lead.id),
    ]);
    const form = leadDemandForm(party, demandFactsOf(lead));
    const current = offers.filter((o) => o.brokerId === lead.brokerId).at(-1);
    const { parties, brokerAccepted, ...rest } = lead;
    const moves = manualNext(lead.state).filter((to) => mayMoveLead(party, to));
    const consent = mayConsentToLead(party) && !lead.consentAt && !isTerminal(lead.state) ? ['consent'] : [];
    // Each side is shown as the viewer may see it now, not as it was when the lead was made: an achievement made
    // private (or a draft an operator introduced) is not readable through its lead.
    const demandShown = this.profiles.maySee(actor, 'demand', demand);
    const partnerShown = this.profiles.maySee(actor, lead.partnerKind, partner);
    const demandOrganisation = { kind: 'organisation' as const, id: parties.demandOrganisationId };
    const partnerOrganisation = { kind: 'organisation' as const, id: parties.partnerOrganisationId };
    const broker = lead.brokerId ? { kind: 'broker' as const, id: lead.brokerId } : null;
    const credit = await this.credit.summaries([demandOrganisation, partnerOrganisation, ...(broker ? [broker] : [])]);
    return {
      ...rest,
      demandTitle: demandShown ? rest.demandTitle : null,
      partnerTitle: partnerShown ? rest.partnerTitle : null,
      demand: demandShown ? (form === 'full' ? demand : publicFormOf(demand)) : null,
      partner: partnerShown ? partner : null,
      assignment: party === 'admin' || party === 'broker' ? (current?.reasons ?? null) : null,
      events,
      actions: [...moves, ...consent],
      demandForm: form,
      credit: {
        demandOrganisation: demandShown ? (credit.get(creditKey(demandOrganisation)) ?? null) : null,
        partnerOrganisation: partnerShown ? (credit.get(creditKey(partnerOrganisation)) ?? null) : null,
        broker: broker ? (credit.get(creditKey(broker)) ?? null) : null,
      },
    };
  }

  async list(actor: Actor, query: LeadListQueryDto): Promise<{ items: LeadListItem[]; nextCursor: string | null }> {
    const filter: LeadFilter = {
      state: query.state,
      due: query.due,
      dueSoonMs: this.config.leads.offerTtlMs / 4,
      escalated: query.escalated,
      demandId: query.demandId,
      partnerId: query.partnerId,
    };
    if (actor.role === 'broker') filter.brokerId = actor.brokerId!;
    else if (actor.role !== 'admin') filter.involvingOrganisationId = actor.organisationId!;
    const page = await this.leads.list(filter, query.limit ?? 20, query.cursor);
    const shown = await this.shownSides(actor, page.items);
    return {
      items: page.items.map((l) => {
        const party = leadPartyOf(actor, { ...l.parties, brokerId: l.brokerId })!;
        const { parties, brokerAccepted, ...rest } = l;
        return {
          ...rest,
          demandTitle: shown.has(l.demandId) ? rest.demandTitle : null,
          partnerTitle: shown.has(l.partnerId) ? rest.partnerTitle : null,
          demandForm: leadDemandForm(party, demandFactsOf(l)),
        };
      }),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Matches of a demand (`of: demand`) or an achievement, each with the lead its pair already has and its holder's
   * credit record; pairs whose lead was declined are left out. A lead is found by its other side, the match's id.
   */
  async withLeads(of: { demandId: string } | { achievementId: string }, matches: Match[]): Promise<MatchWithLead[]> {
    const byDemand = 'demandId' in of;
    const leads = await this.leads.statesOf(
      byDemand ? { demandId: of.demandId } : { partnerKind: 'achievement', partnerId: of.achievementId },
    );
    const byMatch = new Map(leads.map((l) => [byDemand ? l.partnerId : l.demandId, l]));
    const holder = (m: Match) => ({ kind: 'organisation' as const, id: m.record.organisationId });
    const credit = await this.credit.summaries(matches.map(holder));
    return matches.flatMap((m) => {
      const lead = byMatch.get(m.id);
      if (lead?.state === 'declined') return [];
      return [
        {
          ...m,
          lead: lead ? { id: lead.id, state: lead.state } : null,
          credit: credit.get(creditKey(holder(m))) ?? null,
        },
      ];
    });
  }

  /** The ids of the demands and partners of these leads that the actor may see now (for the titles of a list). */
  private async shownSides(actor: Actor, leads: LeadRow[]): Promise<Set<string>> {
    const ids = (kind: ProfileKind) => [
      ...new Set(
        leads.flatMap((l) => [kind === 'demand' ? l.demandId : null, l.partnerKind === kind ? l.partnerId : null]),
      ),
    ];
    const shown = new Set<string>();
    for (const kind of ['demand', 'achievement', 'expert'] as const) {
      const wanted = ids(kind).filter((id): id is string => id !== null);
      if (wanted.length === 0) continue;
      for (const r of await this.profileRecords.findByIds(kind, wanted, this.db.pool))
        if (this.profiles.maySee(actor, kind, r)) shown.add(r.id);
    }
    return shown;
  }
}

/** The facts of a lead that decide how its broker and its partner's owner see the demand. */
function demandFactsOf(lead: LeadRow): LeadDemandFacts {
  return { brokerAccepted: lead.brokerAccepted, consented: lead.consentAt !== null };
}
