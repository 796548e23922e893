import type { Actor, Role } from './actor';
import {
  challengeForm,
  challengePartyOf,
  demandForm,
  isOwnerOrAdmin,
  leadDemandForm,
  leadPartyOf,
  mayAnswerChallenge,
  mayAward,
  creditForm,
  mayConsentToLead,
  mayDraftDemands,
  mayFileCreditReports,
  mayKeepCreditRules,
  mayReadPerformanceReport,
  mayJudge,
  mayMoveLead,
  mayReportChallenges,
  mayRunChallenge,
  maySeeChallenge,
  maySeeProposal,
  mayProposeTo,
  solverRefusal,
  mayWrite,
  type ChallengeParty,
  type LeadParty,
  type ProfileKind,
} from './access-policy';

const ORG = 'org-1';
const OTHER = 'org-2';
const actor = (role: Role, organisationId: string | null = ORG): Actor => ({
  apiKeyId: 'k',
  role,
  organisationId,
  brokerId: role === 'broker' ? 'b' : null,
});

/** A key of each role: an operator's belongs to no organisation, the others' to ORG. */
const keyOf = (role: Role): Actor => actor(role, role === 'admin' ? null : ORG);
/** Rules only operators pass. */
const OPERATORS_ONLY: [Role, boolean][] = [
  ['admin', true],
  ['enterprise', false],
  ['institution', false],
  ['programme', false],
  ['broker', false],
];

describe('access policy', () => {
  // role -> kinds it may write for its own organisation
  const matrix: [Role, ProfileKind[]][] = [
    ['admin', ['achievement', 'demand', 'expert', 'broker']],
    ['enterprise', ['demand']],
    ['institution', ['achievement', 'expert']],
    ['programme', ['expert', 'demand']],
    ['broker', []],
  ];
  const kinds: ProfileKind[] = ['achievement', 'demand', 'expert', 'broker'];

  describe.each(matrix)('%s', (role, allowed) => {
    it.each(kinds)('writes its own %s only when the role allows it', (kind) => {
      expect(mayWrite(actor(role), kind, ORG)).toBe(allowed.includes(kind));
    });

    it.each(kinds)("never writes another organisation's %s unless admin", (kind) => {
      expect(mayWrite(actor(role), kind, OTHER)).toBe(role === 'admin');
    });

    it("sees a demand's confidential fields only as its owner or as admin", () => {
      expect(demandForm(actor(role), OTHER)).toBe(role === 'admin' ? 'full' : 'public');
      expect(demandForm(actor(role), ORG)).toBe('full');
    });
  });

  it('treats an actor without organisation as owner of nothing', () => {
    expect(isOwnerOrAdmin(actor('enterprise', null), ORG)).toBe(false);
  });
});

describe('lead access', () => {
  const lead = { brokerId: 'b', demandOrganisationId: ORG, partnerOrganisationId: OTHER };

  it('knows each party of a lead, and nobody else', () => {
    expect(leadPartyOf(actor('admin', null), lead)).toBe('admin');
    expect(leadPartyOf(actor('broker'), lead)).toBe('broker');
    expect(leadPartyOf({ ...actor('broker'), brokerId: 'someone-else' }, lead)).toBeNull();
    expect(leadPartyOf(actor('enterprise'), lead)).toBe('demand_owner');
    expect(leadPartyOf(actor('institution', OTHER), lead)).toBe('partner_owner');
    expect(leadPartyOf(actor('institution', 'org-3'), lead)).toBeNull();
  });

  it('lets the broker move the lead, the enterprise only refuse it, the partner neither', () => {
    expect(mayMoveLead('broker', 'contract_signed')).toBe(true);
    expect(mayMoveLead('demand_owner', 'declined')).toBe(true);
    expect(mayMoveLead('demand_owner', 'accepted')).toBe(false);
    expect(mayMoveLead('partner_owner', 'declined')).toBe(false);
    expect(mayConsentToLead('demand_owner')).toBe(true);
    expect(mayConsentToLead('broker')).toBe(false);
  });

  // Every party x the facts a lead can reach (by any path through its lifecycle) -> the form of the demand it sees.
  // The state is not an input: it cannot widen a view (a broker that declined, or whose offer lapsed, sees what it
  // saw while offered; paths to each fact are driven through the real service in lead-views.int-spec.ts).
  const facts: [string, { brokerAccepted: boolean; consented: boolean }][] = [
    [
      'nobody accepted, no consent (unassigned, offered, declined or lapsed before acceptance)',
      { brokerAccepted: false, consented: false },
    ],
    ['nobody accepted, consent given', { brokerAccepted: false, consented: true }],
    [
      'broker accepted, no consent (accepted … closed, or declined after acceptance)',
      { brokerAccepted: true, consented: false },
    ],
    ['broker accepted, consent given', { brokerAccepted: true, consented: true }],
  ];
  const expected: Record<string, ('full' | 'public')[]> = {
    admin: ['full', 'full', 'full', 'full'],
    demand_owner: ['full', 'full', 'full', 'full'],
    broker: ['public', 'public', 'full', 'full'],
    partner_owner: ['public', 'full', 'public', 'full'],
    introducer: ['public', 'public', 'public', 'public'],
  };
  describe.each(Object.entries(expected))('%s', (party, forms) => {
    it.each(facts.map(([name, f], i) => [name, f, forms[i]] as const))('%s: %#', (_, f, form) => {
      expect(leadDemandForm(party as LeadParty, f)).toBe(form);
    });
  });
});

describe('challenge access', () => {
  const JUDGE = 'org-judge';
  const SOLVER = 'org-solver';
  const INELIGIBLE = 'org-ineligible';
  const challenge = {
    organisationId: ORG,
    judgeOrganisationIds: [JUDGE],
    eligibleKinds: ['university'],
    eligibleRegions: ['33'],
    registered: [
      { organisationId: SOLVER, kind: 'university', regionCode: '330106' },
      // Registered before eligibility was checked at registration: it is released nothing.
      { organisationId: INELIGIBLE, kind: 'enterprise', regionCode: '330106' },
    ],
  };
  const parties: [string, Actor, ChallengeParty][] = [
    ['an operator', actor('admin', null), 'admin'],
    ["the demand's enterprise", actor('enterprise', ORG), 'owner'],
    ["a judging expert's institution", actor('institution', JUDGE), 'judge'],
    ["a broker of a judging expert's organisation", actor('broker', JUDGE), 'public'],
    ['a registered solver', actor('institution', SOLVER), 'registered'],
    ['a registered solver outside the eligibility', actor('institution', INELIGIBLE), 'public'],
    ['another institution', actor('institution', OTHER), 'public'],
    ['a broker', actor('broker', OTHER), 'public'],
    ['a key without organisation', actor('enterprise', null), 'public'],
  ];

  it.each(parties)('knows %s as %s', (_who, a, party) => {
    expect(challengePartyOf(a, challenge)).toBe(party);
  });

  // party -> [sees a draft, full form, judges, awards]
  const matrix: [ChallengeParty, boolean, 'full' | 'public', boolean, boolean][] = [
    ['admin', true, 'full', false, true],
    ['owner', true, 'full', true, true],
    ['judge', false, 'full', true, false],
    ['registered', false, 'full', false, false],
    ['public', false, 'public', false, false],
  ];
  it.each(matrix)('%s: draft %s, form %s, judges %s, awards %s', (party, draft, form, judges, awards) => {
    expect(maySeeChallenge(party, false)).toBe(draft);
    expect(maySeeChallenge(party, true)).toBe(true);
    expect(challengeForm(party)).toBe(form);
    expect(mayJudge(party)).toBe(judges);
    expect(mayAward(party)).toBe(awards);
  });

  it("runs a challenge on a demand only as the demand's writer or an operator", () => {
    expect(mayRunChallenge(actor('enterprise', ORG), ORG)).toBe(true);
    expect(mayRunChallenge(actor('admin', null), ORG)).toBe(true);
    expect(mayRunChallenge(actor('enterprise', OTHER), ORG)).toBe(false);
    expect(mayRunChallenge(actor('institution', ORG), ORG)).toBe(false);
    expect(mayRunChallenge(actor('programme', ORG), ORG)).toBe(true);
    expect(mayRunChallenge(actor('programme', OTHER), ORG)).toBe(false);
  });

  it.each(OPERATORS_ONLY)('lets %s read the challenge funnel: %s', (role, allowed) => {
    expect(mayReportChallenges(keyOf(role))).toBe(allowed);
  });

  it.each<[Role, boolean]>([
    ['admin', true],
    ['enterprise', true],
    ['programme', true],
    ['institution', false],
    ['broker', false],
  ])('lets %s ask the demand assistant: %s', (role, allowed) => {
    expect(mayDraftDemands(keyOf(role))).toBe(allowed);
  });

  it('shows a credit record in full to its subject and operators, the score and counts to everyone else', () => {
    const broker = { kind: 'broker' as const, id: 'broker-1', organisationId: ORG };
    const organisation = { kind: 'organisation' as const, id: ORG, organisationId: ORG };
    const brokerActor = (brokerId: string): Actor => ({ ...actor('broker', ORG), brokerId });
    expect(creditForm(actor('admin', null), broker)).toBe('full');
    expect(creditForm(brokerActor('broker-1'), broker)).toBe('full');
    expect(creditForm(brokerActor('broker-2'), broker)).toBe('summary');
    // A transfer organisation's keys are broker keys: each reads its organisation's record in full.
    expect(creditForm(brokerActor('broker-1'), organisation)).toBe('full');
    expect(creditForm({ ...actor('broker', OTHER), brokerId: 'broker-3' }, organisation)).toBe('summary');
    for (const role of ['enterprise', 'institution', 'programme'] as const) {
      expect(creditForm(actor(role, ORG), organisation)).toBe('full');
      expect(creditForm(actor(role, OTHER), organisation)).toBe('summary');
      expect(creditForm(actor(role, OTHER), broker)).toBe('summary');
    }
  });

  it.each(OPERATORS_ONLY)(
    'lets %s file bad-faith reports and bring in credit rules: %s (everyone reads the published report)',
    (role, allowed) => {
      const who = keyOf(role);
      expect(mayFileCreditReports(who)).toBe(allowed);
      expect(mayKeepCreditRules(who)).toBe(allowed);
      expect(mayReadPerformanceReport(who)).toBe(true);
    },
  );

  it('takes answers from institutions, programmes and enterprises other than the owner and its judges', () => {
    const roles: [Role, ChallengeParty, boolean][] = [
      ['institution', 'public', true],
      ['programme', 'registered', true],
      ['enterprise', 'public', true],
      ['enterprise', 'owner', false],
      ['institution', 'judge', false],
      ['broker', 'public', false],
      ['admin', 'admin', false],
    ];
    for (const [role, party, answers] of roles) expect(mayAnswerChallenge(actor(role, OTHER), party)).toBe(answers);
  });

  it.each<[string, { kind: string; regionCode: string }, string | null]>([
    ['an eligible university in Zhejiang', { kind: 'university', regionCode: '330106' }, null],
    ['an enterprise', { kind: 'enterprise', regionCode: '330106' }, 'organisations of kind university only'],
    ['a university in Jiangsu', { kind: 'university', regionCode: '320102' }, 'organisations in regions 33 only'],
  ])('refuses or admits %s as a solver', (_who, org, refusal) => {
    expect(solverRefusal({ organisationId: OTHER, ...org }, challenge)).toBe(refusal);
    expect(solverRefusal({ organisationId: OTHER, ...org }, { eligibleKinds: [], eligibleRegions: [] })).toBeNull();
  });

  it('takes proposals only from solvers that registered (eligible, terms accepted)', () => {
    expect(mayProposeTo(actor('institution', SOLVER), 'registered')).toBe(true);
    expect(mayProposeTo(actor('institution', OTHER), 'public')).toBe(false);
    expect(mayProposeTo(actor('broker', OTHER), 'registered')).toBe(false);
    expect(mayProposeTo(actor('enterprise', ORG), 'owner')).toBe(false);
  });

  it('shows a proposal to its author, the owner, the judges and operators, and to no other solver', () => {
    expect(maySeeProposal(actor('institution', SOLVER), 'registered', SOLVER)).toBe(true);
    expect(maySeeProposal(actor('institution', OTHER), 'registered', SOLVER)).toBe(false);
    expect(maySeeProposal(actor('institution', OTHER), 'public', SOLVER)).toBe(false);
    expect(maySeeProposal(actor('enterprise', ORG), 'owner', SOLVER)).toBe(true);
    expect(maySeeProposal(actor('institution', JUDGE), 'judge', SOLVER)).toBe(true);
    expect(maySeeProposal(actor('admin', null), 'admin', SOLVER)).toBe(true);
  });
});
