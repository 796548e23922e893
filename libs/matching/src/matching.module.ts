import { Module } from '@nestjs/common';
import { EmbeddingModule } from '@app/embedding';
import { ProfilesModule } from '@app/profiles';
import { VectorIndexModule } from '@app/vector-index';
import { MatchingService } from './matching.service';

@Module({
  imports: [EmbeddingModule, ProfilesModule, VectorIndexModule],
  providers: [MatchingService],
  exports: [MatchingService],
})
export class MatchingModule {}
