import { Module } from '@nestjs/common';
import { EmbeddingModule } from '@app/embedding';
import { MatchingModule } from '@app/matching';
import { ProfilesModule } from '@app/profiles';
import { VectorIndexModule } from '@app/vector-index';
import { LeadDeliveryService } from './lead-delivery.service';
import { LeadReportsService } from './lead-reports.service';
import { LeadViewsService } from './lead-views.service';
import { LeadsRepository } from './leads.repository';
import { LeadsService } from './leads.service';
import { SubsidyRulesRepository } from './subsidy-rules.repository';
import { SubsidyRulesService } from './subsidy-rules.service';

@Module({
  imports: [EmbeddingModule, ProfilesModule, MatchingModule, VectorIndexModule],
  providers: [
    LeadsRepository,
    SubsidyRulesRepository,
    SubsidyRulesService,
    LeadsService,
    LeadViewsService,
    LeadDeliveryService,
    LeadReportsService,
  ],
  exports: [LeadsService, LeadViewsService, LeadDeliveryService, LeadReportsService, SubsidyRulesService],
})
export class LeadsModule {}
