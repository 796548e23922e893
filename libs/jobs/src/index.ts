// Owns the queues on Redis (BullMQ): the connection, queue and job names, payload types, one enqueue method per job.
// It must not run jobs: processors live in apps/worker and call the libs that own the work.
export { JobsModule, REDIS } from './jobs.module';
export { JOBS, QUEUES, type EmbedProfilePayload, type ProfilesJobPayload } from './job-names';
export { ProfileJobs } from './profile-jobs';
