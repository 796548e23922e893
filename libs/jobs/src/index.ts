// Owns the queues on Redis (BullMQ): the connection, queue and job names, payload types, one enqueue method per job.
// It must not run jobs: processors live in apps/worker and call the libs that own the work.
export { prepareProcess, redisAnswers, RedisUnavailableError, startEmbeddedRedisIfNeeded } from './embedded-redis';
export { IndexNotifier } from './index-notifier';
export { JobsModule } from './jobs.module';
export { RedisOutage } from './redis-outage';
export { REDIS } from './redis.token';
export {
  JOBS,
  QUEUES,
  type EmbedProfilePayload,
  type GenerateLeadsPayload,
  type LeadsJobPayload,
  type OfferPayload,
  type ProfilesJobPayload,
} from './job-names';
export { LeadJobs } from './lead-jobs';
export { MaintenanceJobs } from './maintenance-jobs';
export { ProfileJobs } from './profile-jobs';
