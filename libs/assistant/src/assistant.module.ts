import { Module } from '@nestjs/common';
import { EmbeddingModule } from '@app/embedding';
import { MatchingModule } from '@app/matching';
import { VectorIndexModule } from '@app/vector-index';
import { DemandAssistantService } from './demand-assistant.service';

@Module({
  imports: [EmbeddingModule, MatchingModule, VectorIndexModule],
  providers: [DemandAssistantService],
  exports: [DemandAssistantService],
})
export class AssistantModule {}
