import { Module } from '@nestjs/common';
import { LeadsModule } from '@app/leads';
import { ProfilesModule } from '@app/profiles';
import { LeadsProcessor } from './leads.processor';
import { MaintenanceProcessor } from './maintenance.processor';
import { ProfilesProcessor } from './profiles.processor';

/** The job processors; composed by the worker process, and by the API process when RUN_WORKER is true. */
@Module({
  imports: [ProfilesModule, LeadsModule],
  providers: [ProfilesProcessor, LeadsProcessor, MaintenanceProcessor],
})
export class ProcessorsModule {}
