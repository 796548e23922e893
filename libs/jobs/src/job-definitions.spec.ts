import { JOB_DEFINITIONS, jobsOf, QUEUES } from './job-definitions';
import { parsePayload } from './jobs';

describe('job definitions', () => {
  it('gives every job of the outbox a deterministic id, so a row relayed twice runs once', () => {
    const offerId = '6f1c1d7e-8b8a-4a55-9c51-0d3a5b0e2f11';
    expect(JOB_DEFINITIONS['deliver-lead'].jobId!({ offerId })).toBe(`deliver.${offerId}`);
    expect(JOB_DEFINITIONS['deliver-lead'].jobId!({ offerId, replay: 2 })).toBe(`deliver.${offerId}.replay.2`);
    for (const [name, d] of Object.entries(JOB_DEFINITIONS))
      expect([name, 'everyMs' in d || 'jobId' in d]).toEqual([name, true]);
  });

  it('names the field of a payload that does not fit its schema', () => {
    expect(() => parsePayload('expire-offer', { offerId: '6f1c1d7e-8b8a-4a55-9c51-0d3a5b0e2f11' })).toThrow(
      /expire-offer: dueAt/,
    );
    expect(() => parsePayload('nonsense' as never, {})).toThrow('no such job');
  });

  it('puts every job on exactly one queue', () => {
    const all = Object.values(QUEUES).flatMap((q) => jobsOf(q));
    expect(all.sort()).toEqual(Object.keys(JOB_DEFINITIONS).sort());
  });
});
