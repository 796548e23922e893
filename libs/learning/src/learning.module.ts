import { Module } from '@nestjs/common';
import { LearningService } from './learning.service';
import { WeightVersionsRepository } from './weight-versions.repository';

@Module({ providers: [LearningService, WeightVersionsRepository], exports: [LearningService] })
export class LearningModule {}
