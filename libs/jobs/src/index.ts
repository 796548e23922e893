// Owns the hand-off between stages: the outbox (a job is written in the transaction of the change that causes it),
// the relay that moves it to the job backend (BullMQ on Redis, or PostgreSQL alone), every job's definition (queue, payload schema, id, retries) and the
// processor base that checks a queue's handler table at boot. It runs no job itself: processors (libs/processors)
// call the libs that own the work.
export { prepareProcess, redisAnswers } from './prepare-process';
export { IndexNotifier } from './index-notifier';
export {
  JOB_DEFINITIONS,
  QUEUES,
  jobsOf,
  type EmbedProfilePayload,
  type GenerateLeadsPayload,
  type JobName,
  type JobOf,
  type JobRequest,
  type OutboxJob,
  type PayloadOf,
  type QueueName,
} from './job-definitions';
export { JobBackend, type JobContext, type QueuedJob, type QueueWork } from './job-backend';
export { JobRelay } from './job-relay';
export { InvalidJobError, Jobs } from './jobs';
export { JobsModule } from './jobs.module';
export { isFinalAttempt, QueueProcessor, type JobHandlers } from './queue-processor';
export { RedisOutage } from './redis-outage';
export { REDIS } from './redis.token';
