import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { JobsModule } from '@app/jobs';
import { ObservabilityModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { ProcessorsModule } from '@app/processors';

/** The background process: runs the queued jobs (embedding, delivery) so the API's event loop stays free. */
@Module({
  imports: [ConfigModule, ObservabilityModule.forProcess('worker'), PersistenceModule, JobsModule, ProcessorsModule],
})
export class WorkerModule {}
