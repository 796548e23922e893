import { Module } from '@nestjs/common';
import { EmbeddingModule } from '@app/embedding';
import { JobsModule } from '@app/jobs';
import { OrganisationsRepository } from './organisations.repository';
import { OrganisationsService } from './organisations.service';
import { ProfileEmbeddingService } from './profile-embedding.service';
import { ProfilesRepository } from './profiles.repository';
import { ProfilesService } from './profiles.service';
import { ProfileImportService } from './profile-import.service';

@Module({
  imports: [EmbeddingModule, JobsModule],
  providers: [
    ProfilesRepository,
    OrganisationsRepository,
    ProfilesService,
    OrganisationsService,
    ProfileEmbeddingService,
    ProfileImportService,
  ],
  exports: [ProfilesService, OrganisationsService, ProfileEmbeddingService, ProfileImportService, ProfilesRepository],
})
export class ProfilesModule {}
