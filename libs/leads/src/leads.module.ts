import { Module } from '@nestjs/common';
import { CreditModule } from '@app/credit';
import { EmbeddingModule } from '@app/embedding';
import { JobsModule } from '@app/jobs';
import { MatchingModule } from '@app/matching';
import { ProfilesModule } from '@app/profiles';
import { VectorIndexModule } from '@app/vector-index';
import { LeadDeliveryRepository } from './lead-delivery.repository';
import { LeadDeliveryService } from './lead-delivery.service';
import { LeadReportsRepository } from './lead-reports.repository';
import { LeadReportsService } from './lead-reports.service';
import { LeadViewsService } from './lead-views.service';
import { LeadOffersRepository } from './lead-offers.repository';
import { LeadsRepository } from './leads.repository';
import { LeadConsentService } from './lead-consent.service';
import { LeadGenerationService } from './lead-generation.service';
import { LeadLearningService } from './lead-learning.service';
import { MatchCandidatesRepository } from './match-candidates.repository';
import { LeadLifecycleService } from './lead-lifecycle.service';
import { LeadOffersService } from './lead-offers.service';
import { SubsidyRulesRepository } from './subsidy-rules.repository';
import { SubsidyRulesService } from './subsidy-rules.service';
import { WebhookAddressGuard } from './webhook-address-guard';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookSender } from './webhook-sender.service';

/** The services other libs and apps use; the repositories stay inside. */
const SERVICES = [
  LeadGenerationService,
  LeadLearningService,
  LeadOffersService,
  LeadLifecycleService,
  LeadConsentService,
  LeadViewsService,
  LeadDeliveryService,
  LeadReportsService,
  SubsidyRulesService,
  WebhookSender,
];

@Module({
  imports: [CreditModule, EmbeddingModule, JobsModule, ProfilesModule, MatchingModule, VectorIndexModule],
  providers: [
    LeadsRepository,
    LeadOffersRepository,
    LeadReportsRepository,
    LeadDeliveryRepository,
    WebhookDeliveriesRepository,
    WebhookAddressGuard,
    SubsidyRulesRepository,
    MatchCandidatesRepository,
    ...SERVICES,
  ],
  exports: SERVICES,
})
export class LeadsModule {}
