import { Test, type TestingModule } from '@nestjs/testing';
import type { Actor, Role } from '@app/access';
import { ConfigModule } from '@app/config';
import { JobsModule } from '@app/jobs';
import { ObservabilityModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { OrganisationsService, ProfilesService, type OrganisationKind } from '@app/profiles';
import { emptyTestQueues } from '../../../test/test-database';
import { ChallengeLifecycleService } from './challenge-lifecycle.service';
import { ProposalNotFoundError } from './challenges.errors';
import { ChallengesModule } from './challenges.module';
import { ProposalsService } from './proposals.service';

const admin: Actor = { apiKeyId: 'test-admin', role: 'admin', organisationId: null, brokerId: null };

describe('who sees a proposal (real PostgreSQL and model): every role', () => {
  let moduleRef: TestingModule;
  let sut: ProposalsService;
  const actors: Record<string, Actor> = {};
  let challengeId: string;
  let first: string;
  let second: string;

  const party = async (name: string, kind: OrganisationKind, role: Role, regionCode = '330106') => {
    const org = await moduleRef.get(OrganisationsService).create('system', { kind, name, regionCode });
    actors[name] = { apiKeyId: `key-${name}`, role, organisationId: org.id, brokerId: null };
    return org.id;
  };

  beforeAll(async () => {
    await emptyTestQueues();
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, ObservabilityModule.forProcess('test'), PersistenceModule, JobsModule, ChallengesModule],
    }).compile();
    await moduleRef.init();
    sut = moduleRef.get(ProposalsService);
    const profiles = moduleRef.get(ProfilesService);
    const owner = await party('owner', 'enterprise', 'enterprise', '330502');
    const judgeOrg = await party('judge', 'university', 'institution');
    await party('author', 'institute', 'institution');
    await party('rival', 'university', 'institution');
    await party('bystander', 'enterprise', 'enterprise');
    await party('programme', 'programme', 'programme', '330500');
    const office = await party('broker', 'transfer_organisation', 'broker', '330500');
    const broker = await profiles.create(admin, 'broker', {
      organisationId: office,
      name: '可见性经纪人',
      expertise: '环保技术转移',
      industryCodes: [],
      regionCodes: ['330000'],
    });
    actors.broker = { ...actors.broker, brokerId: broker.id };
    const judge = await profiles.create(admin, 'expert', {
      organisationId: judgeOrg,
      name: '评审专家',
      expertise: '水处理与膜分离',
      regionCodes: ['330100'],
    });
    const demand = await profiles.create(admin, 'demand', {
      organisationId: owner,
      title: '印染废水深度处理回用',
      description: '印染废水经生化处理后仍难达到回用标准，寻求膜法深度处理技术。',
      regionCode: '330502',
    });
    const lifecycle = moduleRef.get(ChallengeLifecycleService);
    ({ id: challengeId } = await lifecycle.create(actors.owner, {
      demandId: demand.id,
      title: '印染废水膜法深度处理揭榜',
      statement: '征集印染废水膜法深度处理、回用率不低于70%的方案。',
      confidentialDetails: '现有水质数据见附件。',
      terms: '保密',
      prizeAmount: 300_000,
      prizeFor: '中试验证的方案',
      deadline: new Date(Date.now() + 86_400_000).toISOString(),
      eligibleRegions: [],
      eligibleKinds: [],
      criteria: [{ name: '回用率', description: '', weight: 1 }],
      judgeExpertIds: [judge.id],
    }));
    await lifecycle.transition(actors.owner, challengeId, 'open');
    const answer = (summary: string) => ({
      summary,
      approach: '超滤加反渗透双膜法，浓水蒸发结晶。',
      team: '教授1名',
      price: null,
      timeline: '6个月',
      achievementIds: [],
      expertIds: [],
    });
    // Solvers register, accepting the terms, before they propose.
    for (const solver of [actors.author, actors.rival]) await lifecycle.register(solver, challengeId, true);
    first = (await sut.submit(actors.author, challengeId, answer('双膜法深度处理'))).id;
    second = (await sut.submit(actors.rival, challengeId, answer('臭氧催化氧化加膜法'))).id;
  }, 60_000);
  afterAll(() => moduleRef.close());

  // Each actor: may it read the author's proposal, and the ranked list of all?
  it.each([
    ['admin', true, true],
    ['owner', true, true],
    ['judge', true, true],
    ['author', true, false],
    ['rival', false, false],
    ['bystander', false, false],
    ['programme', false, false],
    ['broker', false, false],
  ])('%s: reads the proposal: %s; the ranking: %s', async (who, readsIt, readsRanking) => {
    const actor = who === 'admin' ? admin : actors[who];
    if (readsIt) await expect(sut.get(actor, first)).resolves.toMatchObject({ id: first });
    else await expect(sut.get(actor, first)).rejects.toBeInstanceOf(ProposalNotFoundError);
    if (readsRanking) {
      const ranked = await sut.ranked(actor, challengeId);
      expect(ranked.map((p) => p.id).sort()).toEqual([first, second].sort());
    } else await expect(sut.ranked(actor, challengeId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("gives each solver its own proposal as 'mine', and no one else's", async () => {
    await expect(sut.mine(actors.author, challengeId)).resolves.toMatchObject({ id: first });
    await expect(sut.mine(actors.rival, challengeId)).resolves.toMatchObject({ id: second });
    await expect(sut.mine(actors.bystander, challengeId)).resolves.toBeNull();
  });
});
