// Owns challenges (张榜招贤 / 揭榜挂帅): a demand published with a prize and a deadline, its lifecycle and events, the
// solvers invited by matching, their registrations, proposals (ranked by fit, scored by judges), the award (whose
// lead libs/leads makes) and the operators' funnel. It must not score matches (libs/matching does) nor run jobs
// (libs/processors call it); it hands work on only through libs/jobs' outbox.
export * from './dto/challenge.dto';
export * from './dto/proposal.dto';
export { CHALLENGE_STATES, type ChallengeState, type Criterion, type ManualTarget } from './challenge-lifecycle';
export { ChallengeLifecycleService, type ChallengePatch } from './challenge-lifecycle.service';
export { ChallengeViewsService, type ChallengeView } from './challenge-views.service';
export { ChallengeAwardService, type AwardInput } from './challenge-award.service';
export type { ChallengeInvitation } from './challenge-invitations.repository';
export { ChallengeInvitationsService } from './challenge-invitations.service';
export { ChallengeReportsService, type ChallengeFunnel } from './challenge-reports.service';
export { ChallengesModule } from './challenges.module';
export type { FitPart, RankedProposal } from './proposal-ranking';
export { ProposalsService } from './proposals.service';
export type { Proposal } from './proposals.types';
export type { Challenge, ChallengeEvent } from './challenges.types';
