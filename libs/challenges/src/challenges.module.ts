import { Module } from '@nestjs/common';
import { JobsModule } from '@app/jobs';
import { ProfilesModule } from '@app/profiles';
import { ChallengeLifecycleService } from './challenge-lifecycle.service';
import { ChallengeViewsService } from './challenge-views.service';
import { ChallengesRepository } from './challenges.repository';

/** The services other libs and apps use; the repositories stay inside. */
const SERVICES = [ChallengeLifecycleService, ChallengeViewsService];

@Module({
  imports: [JobsModule, ProfilesModule],
  providers: [ChallengesRepository, ...SERVICES],
  exports: SERVICES,
})
export class ChallengesModule {}
