// Owns who may do what: API keys (hashed at rest), the Actor a key stands for, and the access policy every service
// consults. It must not know HTTP: the API's guard turns a header into an Actor through this lib.
export { AccessModule } from './access.module';
export {
  AccessError,
  ForbiddenError,
  InvalidApiKeyRequestError,
  OrganisationNotFoundError,
  UnauthenticatedError,
} from './access.errors';
export {
  challengeForm,
  challengePartyOf,
  demandForm,
  isOwnerOrAdmin,
  leadDemandForm,
  leadPartyOf,
  mayAnswerChallenge,
  mayAward,
  creditForm,
  mayConsentToLead,
  mayFileCreditReports,
  mayKeepCreditRules,
  mayReadPerformanceReport,
  mayDraftDemands,
  mayIntroduce,
  mayJudge,
  mayManageOrganisations,
  mayMoveLead,
  mayOperate,
  mayProposeTo,
  mayReportChallenges,
  mayRunChallenge,
  maySeeChallenge,
  maySeeProposal,
  mayWrite,
  solverRefusal,
  writableKinds,
  type ChallengeEligibility,
  type ChallengePartiesView,
  type ChallengeParty,
  type LeadParty,
  type LeadDemandFacts,
  type LeadPartiesView,
  type ProfileKind,
  type SolverOrganisation,
} from './access-policy';
export { onBehalfOf, ROLES, SYSTEM_ACTOR_ID, type Actor, type Role } from './actor';
export { ApiKeysService, type NewApiKey } from './api-keys.service';
export type { ApiKeyRecord } from './api-keys.repository';
