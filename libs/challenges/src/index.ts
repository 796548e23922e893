// Owns challenges (张榜招贤 / 揭榜挂帅): a demand published with a prize and a deadline, its lifecycle and events, the
// solvers' registrations. It must not score matches (libs/matching does) nor run jobs (libs/processors call it); it
// hands work on only through libs/jobs' outbox.
export * from './dto/challenge.dto';
export { CHALLENGE_STATES, type ChallengeState, type Criterion, type ManualTarget } from './challenge-lifecycle';
export { ChallengeLifecycleService, type ChallengePatch } from './challenge-lifecycle.service';
export { ChallengeViewsService, type ChallengeView } from './challenge-views.service';
export { ChallengesModule } from './challenges.module';
export type { Challenge, ChallengeEvent } from './challenges.types';
