import { Test, type TestingModule } from '@nestjs/testing';
import type { Actor } from '@app/access';
import { ConfigModule } from '@app/config';
import { EmbeddingService } from '@app/embedding';
import { JobsModule } from '@app/jobs';
import { ObservabilityModule } from '@app/observability';
import { Db, PersistenceModule } from '@app/persistence';
import { OrganisationsService, ProfilesRepository, type ProfileKind } from '@app/profiles';
import { VectorIndexModule } from '@app/vector-index';
import { LeadsModule } from './leads.module';
import { LeadViewsService, type LeadView } from './lead-views.service';
import { LeadConsentService } from './lead-consent.service';
import { LeadGenerationService } from './lead-generation.service';
import { LeadLifecycleService } from './lead-lifecycle.service';
import { LeadOffersService } from './lead-offers.service';
import { axisVector, insertEmbedded } from '../../../test/profile-fixtures';

const admin: Actor = { apiKeyId: 'test-admin', role: 'admin', organisationId: null, brokerId: null };

/**
 * Every way a lead can go, driven through the real service, and what each party then reads of the demand and the
 * partner. The rule (access-policy.ts): the broker sees the demand in full only after accepting the lead itself,
 * the partner's owner only after the enterprise consented; either side is shown only while the viewer may see it.
 */
describe('lead views along every path (real PostgreSQL)', () => {
  let moduleRef: TestingModule;
  let generation: LeadGenerationService;
  let offers: LeadOffersService;
  let lifecycle: LeadLifecycleService;
  let consents: LeadConsentService;
  let views: LeadViewsService;
  let db: Db;
  let repository: ProfilesRepository;
  let modelId: string;
  const actors: Record<'enterprise' | 'institution' | 'brokerA' | 'brokerB' | 'outsider', Actor> = {} as never;
  const ids: Record<string, string> = {};
  let partnerCount = 0;

  const insert = (kind: ProfileKind, organisationId: string, values: Record<string, unknown>, axis: number) =>
    insertEmbedded(repository, db, { kind, organisationId, values, vector: axisVector(axis), modelId });
  /** A new achievement of the institution, so that each path has a pair of its own. */
  const achievement = (extra: Record<string, unknown> = {}) =>
    insert(
      'achievement',
      ids.university,
      {
        title: `正极材料回收 ${++partnerCount}`,
        abstract: '湿法回收',
        readinessLevel: 6,
        regionCode: '330106',
        industryCode: '42',
        ...extra,
      },
      1,
    );
  const introduce = async (partnerId: string, demandId = ids.demand) =>
    (await generation.introduce(admin, { demandId, partnerKind: 'achievement', partnerId })).lead;
  const move = (actor: Actor, leadId: string, to: string, extra: Record<string, unknown> = {}) =>
    lifecycle.transition(actor, leadId, { to, ...extra } as never);
  /** [broker's form, partner owner's form], with the confidential description present or not. */
  const forms = async (leadId: string, broker: Actor = actors.brokerA) => {
    const b = await views.view(broker, leadId);
    const p = await views.view(actors.institution, leadId);
    expect(b.demand?.description ?? null).toBe(b.demandForm === 'full' ? '机密工艺参数' : null);
    expect(p.demand?.description ?? null).toBe(p.demandForm === 'full' ? '机密工艺参数' : null);
    return [b.demandForm, p.demandForm];
  };
  const contract = {
    amount: 1_000_000,
    paidAmount: 1_000_000,
    transactionMode: 'negotiated',
    registrationNumber: '2026330000000001',
    settledOnExchange: true,
  };

  beforeAll(async () => {
    process.env.LEAD_MAX_OFFERS = '3';
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule,
        ObservabilityModule.forProcess('test'),
        PersistenceModule,
        JobsModule,
        VectorIndexModule,
        LeadsModule,
      ],
    }).compile();
    generation = moduleRef.get(LeadGenerationService);
    offers = moduleRef.get(LeadOffersService);
    lifecycle = moduleRef.get(LeadLifecycleService);
    consents = moduleRef.get(LeadConsentService);
    views = moduleRef.get(LeadViewsService);
    db = moduleRef.get(Db);
    repository = moduleRef.get(ProfilesRepository);
    modelId = moduleRef.get(EmbeddingService).modelId;
    const organisations = moduleRef.get(OrganisationsService);
    const org = async (kind: 'enterprise' | 'university' | 'transfer_organisation', regionCode: string) =>
      (await organisations.create('system', { kind, name: `线索视图 ${kind} ${Math.random()}`, regionCode })).id;
    const [enterprise, university, office, other] = await Promise.all([
      org('enterprise', '330502'),
      org('university', '330106'),
      org('transfer_organisation', '330500'),
      org('enterprise', '330100'),
    ]);
    ids.university = university;
    const demand = {
      title: '退役电池回收',
      description: '机密工艺参数',
      industryCode: '42',
      regionCode: '330502',
      status: 'open',
      confidentialFields: ['description'],
    };
    ids.demand = await insert('demand', enterprise, demand, 1);
    ids.demand2 = await insert('demand', enterprise, demand, 1);
    const broker = { industryCodes: ['42'], regionCodes: ['330500'], capacity: 50 };
    const brokerA = await insert('broker', office, { ...broker, name: '甲', expertise: '电池回收' }, 1);
    const brokerB = await insert('broker', office, { ...broker, name: '乙', expertise: '其他' }, 7);
    await db.query('UPDATE brokers SET active = false WHERE organisation_id <> $1', [office]);
    const actor = (role: Actor['role'], organisationId: string, brokerId: string | null = null): Actor => ({
      apiKeyId: `key-${role}-${brokerId ?? organisationId}`,
      role,
      organisationId,
      brokerId,
    });
    Object.assign(actors, {
      enterprise: actor('enterprise', enterprise),
      institution: actor('institution', university),
      brokerA: actor('broker', office, brokerA),
      brokerB: actor('broker', office, brokerB),
      outsider: actor('enterprise', other),
    });
  });

  afterAll(() => moduleRef?.close());

  it('offered: the broker and the partner see the teaser; the enterprise and admins the whole demand', async () => {
    const lead = await introduce(await achievement());
    expect(lead.state).toBe('offered');
    expect(lead.brokerId).toBe(actors.brokerA.brokerId);
    expect(await forms(lead.id)).toEqual(['public', 'public']);
    expect((await views.view(actors.enterprise, lead.id)).demandForm).toBe('full');
    expect((await views.view(admin, lead.id)).demandForm).toBe('full');
    await expect(views.view(actors.outsider, lead.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(views.view(actors.brokerB, lead.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('declined by the broker while offered: still the teaser, in the view and in the list', async () => {
    const lead = await introduce(await achievement());
    await move(actors.brokerA, lead.id, 'declined', { reason: 'wrong_field' });
    expect(await forms(lead.id)).toEqual(['public', 'public']);
    const listed = await views.list(actors.brokerA, { demandId: ids.demand, state: 'declined' } as never);
    expect(listed.items.find((l) => l.id === lead.id)?.demandForm).toBe('public');
  });

  it('refused by the enterprise while offered: the broker keeps the teaser', async () => {
    const lead = await introduce(await achievement());
    await move(actors.enterprise, lead.id, 'declined', { reason: 'already_in_contact' });
    expect(await forms(lead.id)).toEqual(['public', 'public']);
  });

  it('consented while offered: the partner sees it whole, the broker still the teaser', async () => {
    const lead = await introduce(await achievement());
    await consents.consent(actors.enterprise, lead.id);
    expect(await forms(lead.id)).toEqual(['public', 'full']);
  });

  it('accepted by the broker: the broker sees it whole, and keeps seeing it after declining', async () => {
    const lead = await introduce(await achievement());
    await move(actors.brokerA, lead.id, 'accepted');
    expect(await forms(lead.id)).toEqual(['full', 'public']);
    await move(actors.brokerA, lead.id, 'declined', { reason: 'price_mismatch' });
    expect(await forms(lead.id)).toEqual(['full', 'public']);
  });

  it('accepted and followed to a contract, won or lost: the broker sees it whole at every step', async () => {
    for (const end of ['closed_won', 'closed_lost'] as const) {
      const lead = await introduce(await achievement());
      await move(actors.brokerA, lead.id, 'accepted');
      await consents.consent(actors.enterprise, lead.id);
      for (const to of ['contacted', 'negotiating']) {
        await move(actors.brokerA, lead.id, to);
        expect(await forms(lead.id)).toEqual(['full', 'full']);
      }
      if (end === 'closed_won') {
        await move(actors.brokerA, lead.id, 'contract_signed', { contract });
        expect(await forms(lead.id)).toEqual(['full', 'full']);
      }
      const closed: LeadView = await move(actors.brokerA, lead.id, end);
      expect(closed.state).toBe(end);
      expect(await forms(lead.id)).toEqual(['full', 'full']);
    }
  });

  it('lapsed and offered to the next broker: the first is no party any more, the next sees the teaser', async () => {
    const lead = await introduce(await achievement());
    const offer = await db.one<{ id: string }>('SELECT id FROM lead_offers WHERE lead_id = $1 AND outcome IS NULL', [
      lead.id,
    ]);
    expect(await offers.expireOffer(offer!.id)).toBe('expired');
    await expect(views.view(actors.brokerA, lead.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await forms(lead.id, actors.brokerB)).toEqual(['public', 'public']);
  });

  it('closed as lost when the demand is withdrawn: nobody but its owner reads it any more', async () => {
    const lead = await introduce(await achievement(), ids.demand2);
    await db.query("UPDATE demands SET status = 'withdrawn' WHERE id = $1", [ids.demand2]);
    expect(await lifecycle.closeWithdrawn()).toBeGreaterThanOrEqual(1);
    const asBroker = await views.view(actors.brokerA, lead.id);
    expect(asBroker.state).toBe('closed_lost');
    expect(asBroker.demandForm).toBe('public');
    expect(asBroker.demand).toBeNull();
    expect(asBroker.demandTitle).toBeNull();
    expect((await views.view(actors.institution, lead.id)).demand).toBeNull();
    expect((await views.view(actors.enterprise, lead.id)).demand?.description).toBe('机密工艺参数');
  });

  it('an achievement made private after its lead: the enterprise and the broker no longer read it, later edits included', async () => {
    const id = await achievement();
    const lead = await introduce(id);
    expect((await views.view(actors.enterprise, lead.id)).partner).not.toBeNull();
    await db.query("UPDATE achievements SET visibility = 'private', abstract = '新的机密摘要' WHERE id = $1", [id]);
    for (const viewer of [actors.enterprise, actors.brokerA]) {
      const view = await views.view(viewer, lead.id);
      expect(view.partner).toBeNull();
      expect(view.partnerTitle).toBeNull();
      expect(JSON.stringify(view)).not.toContain('新的机密摘要');
    }
    const listed = await views.list(actors.enterprise, { demandId: ids.demand });
    expect(listed.items.find((l) => l.id === lead.id)?.partnerTitle).toBeNull();
    expect((await views.view(actors.institution, lead.id)).partner).not.toBeNull();
    expect((await views.view(admin, lead.id)).partner).not.toBeNull();
  });

  it('a broker that introduces a pair which goes to another broker gets its lead, as an outsider to the deal', async () => {
    const partnerId = await achievement();
    const { lead, created } = await generation.introduce(actors.brokerB, {
      demandId: ids.demand,
      partnerKind: 'achievement',
      partnerId,
    });
    expect(created).toBe(true);
    expect(lead.brokerId).toBe(actors.brokerA.brokerId);
    expect(lead.demandForm).toBe('public');
    expect(lead.demand?.description).toBeNull();
    expect(lead.assignment).toBeNull();
    expect(lead.actions).toEqual([]);
    // Asked again: the same lead, 200 rather than 201; and later reads are for its parties only.
    const again = await generation.introduce(actors.brokerB, {
      demandId: ids.demand,
      partnerKind: 'achievement',
      partnerId,
    });
    expect([again.created, again.lead.id]).toEqual([false, lead.id]);
    await expect(views.view(actors.brokerB, lead.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a draft an operator introduced is not readable by the enterprise through the lead', async () => {
    const lead = await introduce(await achievement({ status: 'draft' }));
    const view = await views.view(actors.enterprise, lead.id);
    expect(view.partner).toBeNull();
    expect(view.partnerTitle).toBeNull();
  });
});
