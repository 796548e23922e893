// Owns the market's records: organisations and the four kinds of profile (achievements, demands, experts, brokers),
// their validation, storage, visibility, bulk import and the embedding of their text. It must not match or score:
// matching reads vectors through its repository.
export * from './dto/achievement.dto';
export * from './dto/broker.dto';
export * from './dto/demand.dto';
export * from './dto/expert.dto';
export * from './dto/list-query.dto';
export * from './dto/organisation.dto';
export { LIMITS } from './dto/limits';
export {
  AMOUNT_MAX,
  IsAmount,
  IsDisciplineCode,
  IsRfc3339Date,
  isRfc3339Date,
  KeysAreData,
  keysAreDataOf,
  RFC3339_DATE_PATTERN,
  RFC3339_DATE_TEXT,
  RFC3339_DATE_TIME_PATTERN,
  NULL_MEANS_NULL,
  Nullable,
  Omittable,
  IsIndustryCode,
  IsNotBlank,
  IsNotLessThan,
  IsRegionCode,
} from './dto/validators';
export { validationProblems } from './dto/validation-problems';
export { embeddingHash, embeddingText, privateEmbeddingText, profileText } from './embedding-text';
export { OrganisationsService, type NewOrganisation, type WebhookTarget } from './organisations.service';
export { ProfileEmbeddingService, type EmbedOutcome } from './profile-embedding.service';
export { ProfileImportService, type ImportFormat, type ImportKind, type ImportSummary } from './profile-import.service';
export { PROFILE_TABLES } from './profile-tables';
export * from './profiles.errors';
export { ProfilesModule } from './profiles.module';
export { ProfilesRepository, type ProfileChange, type ProfileFilter } from './profiles.repository';
export { ProfilesService, type ListOptions } from './profiles.service';
export { isLive, isPublished, LIVE_STATUSES, publicFormOf, statusOf } from './visibility';
export * from './profiles.types';
