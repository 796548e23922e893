import { Module } from '@nestjs/common';
import { EmbeddingModule } from '@app/embedding';
import { MatchingModule } from '@app/matching';
import { ProfilesModule } from '@app/profiles';
import { LeadDeliveryService } from './lead-delivery.service';
import { LeadReportsService } from './lead-reports.service';
import { LeadViewsService } from './lead-views.service';
import { LeadsRepository } from './leads.repository';
import { LeadsService } from './leads.service';
import { OutboxRelay } from './outbox-relay';
import { OutboxRepository } from './outbox.repository';
import { SubsidyRulesRepository } from './subsidy-rules.repository';
import { SubsidyRulesService } from './subsidy-rules.service';

@Module({
  imports: [EmbeddingModule, ProfilesModule, MatchingModule],
  providers: [
    LeadsRepository,
    SubsidyRulesRepository,
    SubsidyRulesService,
    LeadsService,
    LeadViewsService,
    LeadDeliveryService,
    LeadReportsService,
    OutboxRelay,
    OutboxRepository,
  ],
  exports: [LeadsService, LeadViewsService, LeadDeliveryService, LeadReportsService, OutboxRelay, SubsidyRulesService],
})
export class LeadsModule {}
