import { ROLES, type Actor, type Role } from './actor';

/**
 * Who may do what: the one place where authorisation is decided. Controllers authenticate; services ask these
 * functions before they read or write, so HTTP, bulk import and jobs follow the same rules.
 */
export type ProfileKind = 'achievement' | 'demand' | 'expert' | 'broker';

/** The kinds of profile each role manages for its own organisation. */
const WRITABLE: Record<Role, readonly ProfileKind[]> = {
  admin: ['achievement', 'demand', 'expert', 'broker'],
  enterprise: ['demand'],
  institution: ['achievement', 'expert'],
  // Its commissioners, and the needs it gathers in its counties (which it may publish as challenges).
  programme: ['expert', 'demand'],
  broker: [],
};

/** May the actor create or change a profile of this kind owned by this organisation? */
export function mayWrite(actor: Actor, kind: ProfileKind, ownerOrganisationId: string): boolean {
  if (actor.role === 'admin') return true;
  return WRITABLE[actor.role].includes(kind) && actor.organisationId === ownerOrganisationId;
}

export function writableKinds(role: Role): readonly ProfileKind[] {
  return WRITABLE[role];
}

/** May the actor ask the demand assistant about a draft? Whoever writes demands (it stores nothing). */
export function mayDraftDemands(actor: Actor): boolean {
  return WRITABLE[actor.role].includes('demand');
}

/**
 * How much of a credit record the actor sees: its subject (the organisation with every key of it, brokers included;
 * or the broker, and its organisation's keys that are not other brokers) and operators see it in full, events with their sources and reports with their evidence; everyone else the score and
 * the counts.
 */
export function creditForm(
  actor: Actor,
  subject: { kind: 'organisation' | 'broker'; id: string; organisationId: string },
): 'full' | 'summary' {
  if (actor.role === 'admin') return 'full';
  if (subject.kind === 'broker') {
    if (actor.brokerId === subject.id) return 'full';
    // A colleague broker of the same firm sees the summary; the organisation's other keys its brokers' records.
    return actor.role !== 'broker' && actor.organisationId === subject.organisationId ? 'full' : 'summary';
  }
  // An organisation's own keys, its brokers' included (a transfer organisation's keys are broker keys).
  return actor.organisationId === subject.organisationId ? 'full' : 'summary';
}

/** Bad-faith reports are filed by operators, with evidence. */
export const mayFileCreditReports = (actor: Actor): boolean => mayOperate(actor);

/**
 * The performance report of transfer organisations is published (定期向社会公布): a key of every role may read it.
 * A rule still, so that the day it is not, this one place changes.
 */
export const mayReadPerformanceReport = (actor: Actor): boolean => ROLES.includes(actor.role);

/** The credit scoring rule's versions are brought in by operators. */
export const mayKeepCreditRules = (actor: Actor): boolean => mayOperate(actor);

/** The owner of a record (and an admin) sees all of it, drafts, private and withdrawn records included. */
export function isOwnerOrAdmin(actor: Actor, ownerOrganisationId: string): boolean {
  return actor.role === 'admin' || actor.organisationId === ownerOrganisationId;
}

/**
 * A demand's confidential fields are shown to its owner and an admin only; everyone else gets its public form.
 * Within a lead, `leadDemandForm` widens this for the broker who accepted it and, after consent, the partner.
 */
export function demandForm(actor: Actor, ownerOrganisationId: string): 'full' | 'public' {
  return isOwnerOrAdmin(actor, ownerOrganisationId) ? 'full' : 'public';
}

export function mayManageOrganisations(actor: Actor): boolean {
  return actor.role === 'admin';
}

/**
 * How an actor takes part in a lead, if at all. `introducer`: a broker that introduced the pair by hand when the lead
 * went to another broker; it sees what it introduced as any outsider to the deal would.
 */
export type LeadParty = 'admin' | 'broker' | 'demand_owner' | 'partner_owner' | 'introducer';

export interface LeadPartiesView {
  brokerId: string | null;
  demandOrganisationId: string;
  partnerOrganisationId: string;
}

/** The broker holding the lead, the enterprise of the demand, the owner of the achievement or expert; or nobody. */
export function leadPartyOf(actor: Actor, lead: LeadPartiesView): LeadParty | null {
  if (actor.role === 'admin') return 'admin';
  if (actor.role === 'broker') return actor.brokerId !== null && actor.brokerId === lead.brokerId ? 'broker' : null;
  if (actor.organisationId === lead.demandOrganisationId) return 'demand_owner';
  if (actor.organisationId === lead.partnerOrganisationId) return 'partner_owner';
  return null;
}

/**
 * The broker moves the lead along; the enterprise may refuse the introduction (decline) at any open state; an
 * admin may do both. The partner's owner follows but does not move it.
 */
export function mayMoveLead(party: LeadParty, to: string): boolean {
  if (party === 'admin' || party === 'broker') return true;
  if (party === 'introducer') return false;
  return party === 'demand_owner' && to === 'declined';
}

/** Only the enterprise (or an admin) gives consent to show its demand in full to the partner's owner. */
export function mayConsentToLead(party: LeadParty): boolean {
  return party === 'admin' || party === 'demand_owner';
}

/** What decides a party's view of the demand within a lead, read from the lead when it is viewed. */
export interface LeadDemandFacts {
  /** The lead's broker accepted its offer itself (an accepted offer of that broker; a decline before it leaves none). */
  brokerAccepted: boolean;
  /** The enterprise agreed to show its demand to the partner's owner. */
  consented: boolean;
}

/**
 * Within a lead the demand is shown in full to its owner and admins; to the broker only once it accepted this lead
 * (its own accepted offer: not while offered, not after declining or lapsing before accepting, whatever state the
 * lead reached afterwards); to the partner's owner only once the enterprise consented. Everyone else in the lead sees
 * its public teaser. The state alone never widens the view.
 */
export function leadDemandForm(party: LeadParty, facts: LeadDemandFacts): 'full' | 'public' {
  if (party === 'admin' || party === 'demand_owner') return 'full';
  if (party === 'broker') return facts.brokerAccepted ? 'full' : 'public';
  if (party === 'introducer') return 'public';
  return facts.consented ? 'full' : 'public';
}

/** Introductions by hand: operators (admin) and brokers. */
export function mayIntroduce(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'broker';
}

/**
 * The funnel, rankings, escalations, webhooks and their deliveries, subsidy rules, the score weight versions: the
 * operators' (admin).
 */
export function mayOperate(actor: Actor): boolean {
  return actor.role === 'admin';
}

/**
 * How an actor takes part in a challenge: `owner` (the demand's organisation), `judge` (the organisation of an
 * expert named as judge; not its brokers, who are not that expert), `registered` (an eligible solver that accepted
 * the terms), or anyone else (`public`).
 */
export type ChallengeParty = 'admin' | 'owner' | 'judge' | 'registered' | 'public';

/** Who may answer a challenge: organisations of these kinds (empty: any) in these region code prefixes (empty: any). */
export interface ChallengeEligibility {
  eligibleKinds: readonly string[];
  eligibleRegions: readonly string[];
}

/** A solver's organisation, as eligibility reads it. */
export interface SolverOrganisation {
  organisationId: string;
  kind: string;
  regionCode: string;
}

export interface ChallengePartiesView extends ChallengeEligibility {
  organisationId: string;
  judgeOrganisationIds: readonly string[];
  /** The organisations that registered and accepted the terms. */
  registered: readonly SolverOrganisation[];
}

/**
 * Why an organisation may not answer a challenge (register for it, see its confidential details, submit a proposal),
 * or null when it may. One rule for all three: registration refuses on it, and a registration that no longer meets it
 * releases nothing.
 */
export function solverRefusal(org: SolverOrganisation, challenge: ChallengeEligibility): string | null {
  if (challenge.eligibleKinds.length > 0 && !challenge.eligibleKinds.includes(org.kind))
    return `organisations of kind ${challenge.eligibleKinds.join(', ')} only`;
  if (challenge.eligibleRegions.length > 0 && !challenge.eligibleRegions.some((r) => org.regionCode.startsWith(r)))
    return `organisations in regions ${challenge.eligibleRegions.join(', ')} only`;
  return null;
}

export function challengePartyOf(actor: Actor, challenge: ChallengePartiesView): ChallengeParty {
  if (actor.role === 'admin') return 'admin';
  const org = actor.organisationId;
  if (org === null) return 'public';
  if (org === challenge.organisationId) return 'owner';
  if (actor.role !== 'broker' && challenge.judgeOrganisationIds.includes(org)) return 'judge';
  const registration = challenge.registered.find((r) => r.organisationId === org);
  if (registration && solverRefusal(registration, challenge) === null) return 'registered';
  return 'public';
}

/** Publishing a challenge on a demand, and running it: the demand's writers (its enterprise or programme) and operators. */
export function mayRunChallenge(actor: Actor, demandOrganisationId: string): boolean {
  return mayWrite(actor, 'demand', demandOrganisationId);
}

/** A draft (and a draft cancelled before it opened) is seen by its owner and operators; once opened, by everyone. */
export function maySeeChallenge(party: ChallengeParty, opened: boolean): boolean {
  return opened || party === 'admin' || party === 'owner';
}

/** The confidential details: the owner, operators, judges, and eligible solvers that registered and accepted the terms. */
export function challengeForm(party: ChallengeParty): 'full' | 'public' {
  return party === 'public' ? 'public' : 'full';
}

/**
 * Who answers a challenge: an organisation that holds achievements, experts or know-how (institutions, programmes
 * with their commissioners, enterprises), never the owner itself or a judge; brokers and operators do not. It
 * registers first (accepting the terms, if eligible); `mayProposeTo` then lets it submit.
 */
export function mayAnswerChallenge(actor: Actor, party: ChallengeParty): boolean {
  return ['institution', 'programme', 'enterprise'].includes(actor.role) && party !== 'owner' && party !== 'judge';
}

/** A proposal is submitted by a solver that registered, eligible, and accepted this challenge's terms. */
export function mayProposeTo(actor: Actor, party: ChallengeParty): boolean {
  return mayAnswerChallenge(actor, party) && party === 'registered';
}

/** A proposal is seen by its author, the challenge's owner and judges, and operators; by no other solver. */
export function maySeeProposal(actor: Actor, party: ChallengeParty, authorOrganisationId: string): boolean {
  return party === 'admin' || party === 'owner' || party === 'judge' || actor.organisationId === authorOrganisationId;
}

/** The owner and the judges score proposals; operators see the scores but do not judge. */
export function mayJudge(party: ChallengeParty): boolean {
  return party === 'owner' || party === 'judge';
}

/** The award (or a close without award) is the owner's decision, or an operator's on its behalf. */
export function mayAward(party: ChallengeParty): boolean {
  return party === 'owner' || party === 'admin';
}

/** The challenges funnel: operators. */
export const mayReportChallenges = mayOperate;
