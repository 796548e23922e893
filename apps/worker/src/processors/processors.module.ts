import { Module } from '@nestjs/common';
import { ProfilesModule } from '@app/profiles';
import { ProfilesProcessor } from './profiles.processor';

/** The job processors; composed by the worker process, and by the API process when RUN_WORKER is true. */
@Module({ imports: [ProfilesModule], providers: [ProfilesProcessor] })
export class ProcessorsModule {}
