import { Test, type TestingModule } from '@nestjs/testing';
import type { Actor } from '@app/access';
import { ConfigModule } from '@app/config';
import { CreditModule, CreditService, type CreditEventKind } from '@app/credit';
import { EmbeddingService } from '@app/embedding';
import { JobsModule } from '@app/jobs';
import { ObservabilityModule } from '@app/observability';
import { Db, PersistenceModule } from '@app/persistence';
import { OrganisationsService, ProfilesRepository, type ProfileKind } from '@app/profiles';
import { VectorIndexModule } from '@app/vector-index';
import { LeadsModule } from './leads.module';
import { LeadGenerationService } from './lead-generation.service';
import { LeadLifecycleService } from './lead-lifecycle.service';
import { LeadOffersService } from './lead-offers.service';
import { axisVector, insertEmbedded } from '../../../test/profile-fixtures';

const admin: Actor = { apiKeyId: 'test-admin', role: 'admin', organisationId: null, brokerId: null };

/**
 * Credit events come from the rows of the leads' own moves (libs/credit reads them, never copies them): a job that
 * runs twice or a move sent twice adds no event, and each event names the row that proves it.
 */
describe('credit events of leads, exactly once (real PostgreSQL)', () => {
  let moduleRef: TestingModule;
  let generation: LeadGenerationService;
  let offers: LeadOffersService;
  let lifecycle: LeadLifecycleService;
  let credit: CreditService;
  let db: Db;
  let repository: ProfilesRepository;
  let modelId: string;
  const actors: Record<'enterprise' | 'institution' | 'brokerA' | 'brokerB' | 'outsider', Actor> = {} as never;
  const ids: Record<string, string> = {};
  let partnerCount = 0;

  const insert = (kind: ProfileKind, organisationId: string, values: Record<string, unknown>, axis: number) =>
    insertEmbedded(repository, db, { kind, organisationId, values, vector: axisVector(axis), modelId });
  const achievement = () =>
    insert(
      'achievement',
      ids.university,
      {
        title: `信用 ${++partnerCount}`,
        abstract: '湿法回收',
        readinessLevel: 6,
        regionCode: '330106',
        industryCode: '42',
      },
      1,
    );
  const introduce = async () =>
    (
      await generation.introduce(admin, {
        demandId: ids.demand,
        partnerKind: 'achievement',
        partnerId: await achievement(),
      })
    ).lead;
  const move = (actor: Actor, leadId: string, to: string, extra: Record<string, unknown> = {}) =>
    lifecycle.transition(actor, leadId, { to, ...extra } as never);
  const pendingOffer = async (leadId: string) =>
    (await db.one<{ id: string }>('SELECT id FROM lead_offers WHERE lead_id = $1 AND outcome IS NULL', [leadId]))!.id;
  /** Events of one kind of a subject, for one lead. */
  const eventsOf = async (kind: 'organisation' | 'broker', id: string, event: CreditEventKind, leadId: string) =>
    (await credit.record(admin, kind, id)).events!.filter((e) => e.kind === event && e.leadId === leadId);
  const contract = {
    amount: 1_000_000,
    paidAmount: 1_000_000,
    transactionMode: 'negotiated',
    registrationNumber: '2026330000000002',
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
        CreditModule,
      ],
    }).compile();
    generation = moduleRef.get(LeadGenerationService);
    offers = moduleRef.get(LeadOffersService);
    lifecycle = moduleRef.get(LeadLifecycleService);
    credit = moduleRef.get(CreditService);
    db = moduleRef.get(Db);
    repository = moduleRef.get(ProfilesRepository);
    modelId = moduleRef.get(EmbeddingService).modelId;
    const organisations = moduleRef.get(OrganisationsService);
    const org = async (kind: 'enterprise' | 'university' | 'transfer_organisation', regionCode: string) =>
      (await organisations.create('system', { kind, name: `信用记录 ${kind} ${Math.random()}`, regionCode })).id;
    const [enterprise, university, office, other] = await Promise.all([
      org('enterprise', '330502'),
      org('university', '330106'),
      org('transfer_organisation', '330500'),
      org('enterprise', '330100'),
    ]);
    Object.assign(ids, { university, enterprise, office });
    const demand = {
      title: '退役电池回收',
      description: '机密工艺参数',
      industryCode: '42',
      regionCode: '330502',
      status: 'open',
      confidentialFields: ['description'],
    };
    ids.demand = await insert('demand', enterprise, demand, 1);
    const broker = { industryCodes: ['42'], regionCodes: ['330500'], capacity: 50 };
    const brokerA = await insert('broker', office, { ...broker, name: '甲', expertise: '电池回收' }, 1);
    const brokerB = await insert('broker', office, { ...broker, name: '乙', expertise: '其他' }, 7);
    await db.query('UPDATE brokers SET active = false WHERE organisation_id <> $1', [office]);
    Object.assign(ids, { brokerA, brokerB });
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

  it('an offer whose expiry job runs twice lapses once, on the broker and its organisation', async () => {
    const lead = await introduce();
    const offer = await pendingOffer(lead.id);
    expect(await offers.expireOffer(offer)).toBe('expired');
    expect(await offers.expireOffer(offer)).toBe('answered');
    const lapsed = await eventsOf('broker', ids.brokerA, 'offer_lapsed', lead.id);
    expect(lapsed).toEqual([expect.objectContaining({ source: { kind: 'offer', id: offer } })]);
    expect(await eventsOf('organisation', ids.office, 'offer_lapsed', lead.id)).toHaveLength(1);
  });

  it('a contract signed twice over (a retried request) counts once for the broker, its organisation and both parties', async () => {
    const lead = await introduce();
    await move(actors.brokerA, lead.id, 'accepted');
    await move(actors.brokerA, lead.id, 'contacted');
    await move(actors.brokerA, lead.id, 'negotiating');
    await move(actors.brokerA, lead.id, 'contract_signed', { contract });
    await expect(move(actors.brokerA, lead.id, 'contract_signed', { contract })).rejects.toMatchObject({
      code: expect.any(String),
    });
    for (const [kind, id] of [
      ['broker', ids.brokerA],
      ['organisation', ids.office],
      ['organisation', ids.enterprise],
      ['organisation', ids.university],
    ] as const) {
      expect(await eventsOf(kind, id, 'contract_signed', lead.id)).toHaveLength(1);
      expect(await eventsOf(kind, id, 'settled_on_exchange', lead.id)).toHaveLength(1);
    }
    const [signed] = await eventsOf('broker', ids.brokerA, 'contract_signed', lead.id);
    const proof = await db.one<{ to_state: string }>('SELECT to_state FROM lead_events WHERE id = $1', [
      signed.source.id,
    ]);
    expect(proof?.to_state).toBe('contract_signed');
  });

  it('declined after acceptance, and accepted then left idle, each once on the broker who accepted', async () => {
    const declined = await introduce();
    await move(actors.brokerA, declined.id, 'accepted');
    await move(actors.brokerA, declined.id, 'declined', { reason: 'price_mismatch' });
    expect(await eventsOf('broker', ids.brokerA, 'declined_after_acceptance', declined.id)).toHaveLength(1);

    const idle = await introduce();
    await move(actors.brokerA, idle.id, 'accepted');
    expect(await eventsOf('broker', ids.brokerA, 'accepted_idle', idle.id)).toHaveLength(0);
    // Fifteen days ago, and nothing since (CREDIT_IDLE_HOURS: 14 days).
    await db.query(
      "UPDATE lead_offers SET responded_at = responded_at - interval '15 days', offered_at = offered_at - interval '15 days' WHERE lead_id = $1",
      [idle.id],
    );
    await db.query("UPDATE lead_events SET at = at - interval '15 days' WHERE lead_id = $1", [idle.id]);
    expect(await eventsOf('broker', ids.brokerA, 'accepted_idle', idle.id)).toHaveLength(1);
    await move(actors.brokerA, idle.id, 'contacted');
    // The move came after the idle time: the record keeps what happened.
    expect(await eventsOf('broker', ids.brokerA, 'accepted_idle', idle.id)).toHaveLength(1);
  });

  it("an award's lead counts once for the challenge's owner: honoured when signed, not honoured when dropped", async () => {
    const awarded = async (leadId: string) =>
      db.query(
        `INSERT INTO challenges (demand_id, organisation_id, title, statement, terms, prize_amount, prize_for,
                                 deadline, criteria, region_code, state, lead_id)
         VALUES ($1, $2, '揭榜', '难题', '条款', 100000, '首个方案', now(), '[]', '330502', 'awarded', $3)`,
        [ids.demand, ids.enterprise, leadId],
      );
    const honoured = await introduce();
    await awarded(honoured.id);
    for (const to of ['accepted', 'contacted', 'negotiating']) await move(actors.brokerA, honoured.id, to);
    expect(await eventsOf('organisation', ids.enterprise, 'award_honoured', honoured.id)).toHaveLength(0);
    await move(actors.brokerA, honoured.id, 'contract_signed', {
      contract: { ...contract, registrationNumber: '2026330000000003' },
    });
    expect(await eventsOf('organisation', ids.enterprise, 'award_honoured', honoured.id)).toHaveLength(1);
    // The owner's, not the solver's or the broker's.
    expect(await eventsOf('organisation', ids.university, 'award_honoured', honoured.id)).toHaveLength(0);
    expect(await eventsOf('broker', ids.brokerA, 'award_honoured', honoured.id)).toHaveLength(0);

    const dropped = await introduce();
    await awarded(dropped.id);
    await move(actors.brokerA, dropped.id, 'accepted');
    await move(actors.brokerA, dropped.id, 'declined', { reason: 'price_mismatch' });
    expect(await eventsOf('organisation', ids.enterprise, 'award_not_honoured', dropped.id)).toHaveLength(1);
  });

  it('scores by the rule in force with its parts, in full for the subject and operators, summed up for others', async () => {
    const full = await credit.record(actors.brokerA, 'broker', ids.brokerA);
    expect(full.form).toBe('full');
    const [inForce] = await credit.rulesAll(); // the e2e suite brings in versions (with v1's points) on this database
    expect(full.score.rule).toEqual({ id: inForce.id, version: inForce.version });
    const expected = full.score.parts.reduce((s, p) => s + p.subtotal, 70);
    expect(full.score.score).toBeCloseTo(Math.min(100, Math.max(0, expected)), 5);
    expect(full.score.parts).toEqual(
      expect.arrayContaining([
        {
          kind: 'contract_signed',
          count: full.counts.contract_signed,
          points: 3,
          subtotal: 3 * full.counts.contract_signed,
        },
        { kind: 'offer_lapsed', count: full.counts.offer_lapsed, points: -1, subtotal: -full.counts.offer_lapsed },
      ]),
    );
    const summary = await credit.record(actors.outsider, 'broker', ids.brokerA);
    expect(summary).toMatchObject({ form: 'summary', events: null, counts: full.counts });
    expect(summary.score.score).toBe(full.score.score);
    expect((await credit.record(actors.enterprise, 'organisation', ids.enterprise)).form).toBe('full');
    expect((await credit.record(actors.brokerB, 'broker', ids.brokerA)).form).toBe('summary');
    await expect(credit.record(admin, 'broker', ids.enterprise)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
