import { Test, type TestingModule } from '@nestjs/testing';
import type { Actor } from '@app/access';
import { ChallengeLifecycleService, ChallengesModule, ChallengeViewsService } from '@app/challenges';
import { ConfigModule } from '@app/config';
import { JobsModule } from '@app/jobs';
import { ObservabilityModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { OrganisationsService, ProfilesService } from '@app/profiles';
import { eventually } from '../../../test/fixtures';
import { emptyTestQueues } from '../../../test/test-database';
import { ProcessorsModule } from './processors.module';

const admin: Actor = { apiKeyId: 'test-admin', role: 'admin', organisationId: null, brokerId: null };
const base = [ConfigModule, ObservabilityModule.forProcess('test'), PersistenceModule, JobsModule, ChallengesModule];

describe('challenge deadlines through the worker (real PostgreSQL, Redis and queues)', () => {
  let api: TestingModule;

  beforeAll(async () => {
    await emptyTestQueues();
    // The API side alone: it writes the challenge and its deadline job; no worker runs yet.
    api = await Test.createTestingModule({ imports: base }).compile();
    await api.init();
  });
  afterAll(() => api.close());

  it('moves a challenge whose deadline passed while the worker was down once the worker is back', async () => {
    const org = await api
      .get(OrganisationsService)
      .create('system', { kind: 'enterprise', name: '截止测试企业', regionCode: '330502' });
    const demand = await api.get(ProfilesService).create(admin, 'demand', {
      organisationId: org.id,
      title: '寻求高盐废水零排放技术',
      description: '化工园区高盐废水蒸发结晶，要求分盐后工业盐达标。',
      regionCode: '330502',
    });
    const deadline = new Date(Date.now() + 1_000).toISOString();
    const lifecycle = api.get(ChallengeLifecycleService);
    const { id } = await lifecycle.create(admin, {
      demandId: demand.id,
      title: '高盐废水分盐结晶技术攻关',
      statement: '征集高盐废水分盐结晶、工业盐回用的技术方案。',
      confidentialDetails: null,
      terms: '保密',
      prizeAmount: 500_000,
      prizeFor: '中试验证的方案',
      deadline,
      eligibleRegions: [],
      eligibleKinds: [],
      criteria: [{ name: '可行性', description: '', weight: 1 }],
      judgeExpertIds: [],
    });
    await lifecycle.transition(admin, id, 'open');
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await api.get(ChallengeViewsService).get(admin, id)).state).toBe('open');

    const worker = await Test.createTestingModule({ imports: [...base, ProcessorsModule] }).compile();
    await worker.init();
    try {
      const view = await eventually(async () => {
        const v = await api.get(ChallengeViewsService).get(admin, id);
        return v.state === 'reviewing' ? v : undefined;
      }, 20_000);
      expect(view.next).toEqual(['closed']);
      const events = await api.get(ChallengeViewsService).events(admin, id);
      expect(events.at(-1)).toMatchObject({ fromState: 'open', toState: 'reviewing', actor: { kind: 'system' } });
    } finally {
      await worker.close();
    }
  });
});
