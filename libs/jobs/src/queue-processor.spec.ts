import { UnrecoverableError } from 'bullmq';
import type { JobContext } from './job-backend';
import type { Jobs } from './jobs';
import { QueueProcessor, type JobHandlers } from './queue-processor';

const jobs = {} as Jobs;

class Maintenance extends QueueProcessor<'maintenance'> {
  constructor(private readonly given: Partial<JobHandlers<'maintenance'>> & Record<string, unknown>) {
    super('maintenance', jobs, 1);
  }
  protected handlers(): JobHandlers<'maintenance'> {
    return this.given as JobHandlers<'maintenance'>;
  }
}

const job = (name: string, data: unknown): JobContext => ({ name, data, opts: {}, attemptsMade: 0 });

describe('QueueProcessor', () => {
  const complete = {
    'expire-idempotency-keys': () => Promise.resolve('expired'),
    'prune-outbox': () => Promise.resolve(3),
  };

  it('stops the boot when a job of its queue has no handler', () => {
    const p = new Maintenance({ 'expire-idempotency-keys': complete['expire-idempotency-keys'] });
    expect(() => p.onModuleInit()).toThrow('no handler for prune-outbox');
  });

  it('stops the boot when it handles a job of another queue', () => {
    const p = new Maintenance({ ...complete, 'embed-profile': () => Promise.resolve() });
    expect(() => p.onModuleInit()).toThrow('handlers for jobs of other queues: embed-profile');
  });

  it('runs each job by its handler, and fails a bad payload at once instead of retrying it', async () => {
    const p = new Maintenance(complete);
    p.onModuleInit();
    await expect(p.process(job('prune-outbox', {}))).resolves.toBe(3);
    await expect(p.process(job('prune-outbox', { days: 'x' }))).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(p.process(job('deliver-lead', { offerId: 'x' }))).rejects.toThrow('no handler for job deliver-lead');
  });
});
