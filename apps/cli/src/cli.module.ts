import { Module } from '@nestjs/common';
import { AccessModule } from '@app/access';
import { ConfigModule } from '@app/config';
import { JobsModule } from '@app/jobs';
import { ObservabilityModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { ProfilesModule } from '@app/profiles';
import { VectorIndexModule } from '@app/vector-index';

/** What the operator's command line needs: the database, the queues, keys and profiles. */
@Module({
  imports: [
    ConfigModule,
    ObservabilityModule.forProcess('cli', 'stderr'),
    PersistenceModule,
    JobsModule,
    AccessModule,
    ProfilesModule,
  ],
})
export class CliModule {}

/** The same, with the search index (for `index rebuild`). */
@Module({ imports: [CliModule, VectorIndexModule] })
export class CliIndexModule {}
