// Owns leads: creation from matches (once per pair), broker assignment, the lifecycle to a signed contract,
// delivery to inboxes and webhooks, subsidy estimates, funnel and ranking. It must not score matches (libs/matching
// does) nor run jobs (libs/processors call it); it hands work on only through libs/jobs' outbox.
export * from './dto/lead.dto';
export { SubsidyRuleDto } from './dto/subsidy-rule.dto';
export { LeadDeliveryService, type InboxItem } from './lead-delivery.service';
export {
  LeadReportsService,
  type FunnelDimension,
  type FunnelRow,
  type PerformanceReport,
  type PerformanceRow,
  type Ranking,
  type RankingRow,
} from './lead-reports.service';
export { lastEndedPeriod, PERIOD_PATTERN, reportPeriod, type ReportPeriod } from './report-period';
export { InvalidTransitionError } from './leads.errors';
export { LeadsModule } from './leads.module';
export { LeadConsentService } from './lead-consent.service';
export { LeadGenerationService } from './lead-generation.service';
export { LeadLearningService } from './lead-learning.service';
export { decide, outcomeOf, type Decision } from './lead-outcomes';
export type { DeclineReason } from './lead-lifecycle';
export { LeadLifecycleService } from './lead-lifecycle.service';
export { LeadOffersService } from './lead-offers.service';
export {
  LeadViewsService,
  type LeadCredit,
  type LeadListItem,
  type LeadView,
  type MatchWithLead,
} from './lead-views.service';
export type { SubsidyRule } from './subsidy';
export { SubsidyRulesService } from './subsidy-rules.service';
export type { WebhookDelivery } from './webhook-deliveries.repository';
export { WebhookSender, type WebhookSubject } from './webhook-sender.service';
export { verifySignature } from './webhook-signature';
