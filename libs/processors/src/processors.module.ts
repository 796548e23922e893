import { Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ChallengesModule } from '@app/challenges';
import { JobBackend, JobRelay, JobsModule } from '@app/jobs';
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
  constructor(
    private readonly relay: JobRelay,
    private readonly backend: JobBackend,
    private readonly profiles: ProfilesProcessor,
    private readonly leads: LeadsProcessor,
    private readonly challenges: ChallengesProcessor,
    private readonly maintenance: MaintenanceProcessor,
  ) {}

  onApplicationBootstrap(): void {
    this.relay.start();
    this.backend.work([this.profiles, this.leads, this.challenges, this.maintenance].map((p) => p.work()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
