import { Module } from '@nestjs/common';
import { EmbeddingModule } from '@app/embedding';
import { JobsModule } from '@app/jobs';
import { ProfilesModule } from '@app/profiles';
import { SearchIndexService } from './search-index.service';

@Module({
  imports: [EmbeddingModule, JobsModule, ProfilesModule],
  providers: [SearchIndexService],
  exports: [SearchIndexService],
})
export class VectorIndexModule {}
