// Owns leads: creation from matches (once per pair), broker assignment, the lifecycle to a signed contract, the
// outbox and its relay, delivery to inboxes and webhooks, subsidy estimates, funnel and ranking. It must not score
// matches (libs/matching does) nor run jobs (apps/worker's processors call it).
export { ASSIGNMENT_WEIGHTS, chooseBroker, type Assignment, type BrokerCandidate } from './broker-assignment';
export * from './dto/lead.dto';
export { SubsidyRuleDto } from './dto/subsidy-rule.dto';
export { LeadDeliveryService, type InboxItem, type WebhookDelivery } from './lead-delivery.service';
export { DECLINE_REASONS, LEAD_STATES, MANUAL_TARGETS, type DeclineReason, type LeadState } from './lead-lifecycle';
export {
  LeadReportsService,
  RANKING_RULE,
  type FunnelDimension,
  type FunnelRow,
  type RankingRow,
} from './lead-reports.service';
export { LeadError, InvalidTransitionError, LeadNotFoundError } from './leads.errors';
export { LeadsModule } from './leads.module';
export { LeadsService, OUTBOX_TOPICS, SYSTEM, type LeadView, type MatchWithLead } from './leads.service';
export type { ContractRecord, Lead, LeadEvent, LeadOffer } from './leads.types';
export { OutboxRelay } from './outbox-relay';
export { estimateSubsidy, type SubsidyEstimate, type SubsidyRule } from './subsidy';
export { SubsidyRulesService } from './subsidy-rules.service';
export { signWebhook, verifySignature } from './webhook-signature';
