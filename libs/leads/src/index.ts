// Owns leads: creation from matches (once per pair), broker assignment, the lifecycle to a signed contract,
// delivery to inboxes and webhooks, subsidy estimates, funnel and ranking. It must not score matches (libs/matching
// does) nor run jobs (libs/processors call it); it hands work on only through libs/jobs' outbox.
export * from './dto/lead.dto';
export { SubsidyRuleDto } from './dto/subsidy-rule.dto';
export { LeadDeliveryService, type InboxItem, type WebhookDelivery } from './lead-delivery.service';
export { LeadReportsService, type FunnelDimension, type FunnelRow, type RankingRow } from './lead-reports.service';
export { InvalidTransitionError } from './leads.errors';
export { LeadsModule } from './leads.module';
export { LeadViewsService, type LeadView } from './lead-views.service';
export { LeadsService, type MatchWithLead } from './leads.service';
export type { SubsidyRule } from './subsidy';
export { SubsidyRulesService } from './subsidy-rules.service';
export { verifySignature } from './webhook-signature';
