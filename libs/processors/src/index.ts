// Runs the jobs: one processor per queue, each a table from job name to one call of the lib that owns the work
// (checked at boot against libs/jobs' definitions), and the outbox relay. Composed by apps/worker, and by apps/api
// in single-machine mode.
export { ProcessorsModule } from './processors.module';
