import { Module } from '@nestjs/common';
import { EmbeddingModule } from '@app/embedding';
import { JobsModule } from '@app/jobs';
import { LeadsModule } from '@app/leads';
import { MatchingModule } from '@app/matching';
import { ProfilesModule } from '@app/profiles';
import { ChallengeAwardService } from './challenge-award.service';
import { ChallengeInvitationsRepository } from './challenge-invitations.repository';
import { ChallengeInvitationsService } from './challenge-invitations.service';
import { ChallengeLifecycleService } from './challenge-lifecycle.service';
import { ChallengeReportsRepository } from './challenge-reports.repository';
import { ChallengeReportsService } from './challenge-reports.service';
import { ChallengeViewsService } from './challenge-views.service';
import { ChallengesRepository } from './challenges.repository';
import { ProposalsRepository } from './proposals.repository';
import { ProposalsService } from './proposals.service';

/** The services other libs and apps use; the repositories stay inside. */
const SERVICES = [
  ChallengeLifecycleService,
  ChallengeViewsService,
  ChallengeInvitationsService,
  ProposalsService,
  ChallengeAwardService,
  ChallengeReportsService,
];

@Module({
  imports: [EmbeddingModule, JobsModule, ProfilesModule, MatchingModule, LeadsModule],
  providers: [
    ChallengesRepository,
    ChallengeInvitationsRepository,
    ProposalsRepository,
    ChallengeReportsRepository,
    ...SERVICES,
  ],
  exports: SERVICES,
})
export class ChallengesModule {}
