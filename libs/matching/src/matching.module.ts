import { Module } from '@nestjs/common';
import { EmbeddingModule } from '@app/embedding';
import { LearningModule } from '@app/learning';
import { ProfilesModule } from '@app/profiles';
import { VectorIndexModule } from '@app/vector-index';
import { MatchingService } from './matching.service';

@Module({
  imports: [EmbeddingModule, LearningModule, ProfilesModule, VectorIndexModule],
  providers: [MatchingService],
  exports: [MatchingService, LearningModule],
})
export class MatchingModule {}
