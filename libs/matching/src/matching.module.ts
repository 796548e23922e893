import { Module } from '@nestjs/common';
import { EmbeddingModule } from '@app/embedding';
import { LearningModule } from '@app/learning';
import { ProfilesModule } from '@app/profiles';
import { VectorIndexModule } from '@app/vector-index';
import { MatchingService } from './matching.service';
import { SearchService } from './search.service';

@Module({
  imports: [EmbeddingModule, LearningModule, ProfilesModule, VectorIndexModule],
  providers: [MatchingService, SearchService],
  exports: [MatchingService, SearchService, LearningModule],
})
export class MatchingModule {}
