import { Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ChallengesModule } from '@app/challenges';
import { JobRelay, JobsModule } from '@app/jobs';
import { LeadsModule } from '@app/leads';
import { ProfilesModule } from '@app/profiles';
import { ChallengesProcessor } from './challenges.processor';
import { LeadsProcessor } from './leads.processor';
import { MaintenanceProcessor } from './maintenance.processor';
import { ProfilesProcessor } from './profiles.processor';

/**
 * The job processors and the outbox relay that feeds them: composed by the worker process, and by the API process
 * when RUN_WORKER is true (single-machine mode).
 */
@Module({
  imports: [JobsModule, ProfilesModule, LeadsModule, ChallengesModule],
  providers: [ProfilesProcessor, LeadsProcessor, ChallengesProcessor, MaintenanceProcessor],
})
export class ProcessorsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly relay: JobRelay) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
