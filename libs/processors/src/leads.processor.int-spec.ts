import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Actor } from '@app/access';
import { ConfigModule } from '@app/config';
import { EmbeddingService } from '@app/embedding';
import { JobsModule } from '@app/jobs';
import {
  InvalidTransitionError,
  LeadDeliveryService,
  LeadGenerationService,
  LeadLifecycleService,
  LeadViewsService,
  verifySignature,
} from '@app/leads';
import { ObservabilityModule } from '@app/observability';
import { Db, PersistenceModule } from '@app/persistence';
import { OrganisationsService, ProfilesRepository, type ProfileKind } from '@app/profiles';
import { eventually } from '../../../test/fixtures';
import { emptyTestQueues } from '../../../test/test-database';
import { ProcessorsModule } from './processors.module';
import { axisVector, insertEmbedded } from '../../../test/profile-fixtures';

const admin: Actor = { apiKeyId: 'test-admin', role: 'admin', organisationId: null, brokerId: null };

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('leads through the worker (real PostgreSQL, Redis and queues)', () => {
  let moduleRef: TestingModule;
  let generation: LeadGenerationService;
  let lifecycle: LeadLifecycleService;
  let views: LeadViewsService;
  let db: Db;
  let repository: ProfilesRepository;
  let modelId: string;
  let receiver: Server;
  const received: Received[] = [];
  /** Calls to fail before answering, per demand/partner pair (offers expire fast here, so ids come and go). */
  const failuresLeft = new Map<string, number>();
  const ids: Record<string, string> = {};

  const insert = (kind: ProfileKind, organisationId: string, values: Record<string, unknown>, axis: number) =>
    insertEmbedded(repository, db, { kind, organisationId, values, vector: axisVector(axis), modelId });

  const leadRow = (id: string) =>
    db.one<{ state: string; broker_id: string | null; offers_made: number; escalated_at: Date | null }>(
      'SELECT state, broker_id, offers_made, escalated_at FROM leads WHERE id = $1',
      [id],
    );

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        const { demandId, partnerId } = JSON.parse(body) as { demandId: string; partnerId: string };
        const left = failuresLeft.get(`${demandId}/${partnerId}`) ?? 0;
        failuresLeft.set(`${demandId}/${partnerId}`, left - 1);
        res.statusCode = left > 0 ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    // Suites before this one (in one Jest process) leave jobs in the test queues and brokers in the test database:
    // this suite's worker would run those jobs first and could offer its lead to those brokers. It starts from empty
    // queues, and only its own brokers are active.
    await emptyTestQueues();
    Object.assign(process.env, {
      LEAD_OFFER_TTL_MS: '1500',
      LEAD_MAX_OFFERS: '2',
      OUTBOX_POLL_MS: '100',
      WEBHOOK_BACKOFF_MS: '100',
      WEBHOOK_ATTEMPTS: '4',
      // The receiver is on loopback, which webhooks may not reach unless an operator allows it.
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    });
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, ObservabilityModule.forProcess('test'), PersistenceModule, JobsModule, ProcessorsModule],
    }).compile();
    await moduleRef.init();
    generation = moduleRef.get(LeadGenerationService);
    lifecycle = moduleRef.get(LeadLifecycleService);
    views = moduleRef.get(LeadViewsService);
    db = moduleRef.get(Db);
    await db.query('UPDATE brokers SET active = false');
    repository = moduleRef.get(ProfilesRepository);
    modelId = moduleRef.get(EmbeddingService).modelId;
    const organisations = moduleRef.get(OrganisationsService);
    const org = async (kind: 'enterprise' | 'university' | 'transfer_organisation', regionCode: string) =>
      (await organisations.create('system', { kind, name: `线索测试 ${kind} ${Math.random()}`, regionCode })).id;
    const [enterprise, university, office] = await Promise.all([
      org('enterprise', '330502'),
      org('university', '330106'),
      org('transfer_organisation', '330500'),
    ]);
    ids.office = office;
    const base = { industryCode: '42', regionCode: '330502', status: 'open' };
    ids.demand = await insert('demand', enterprise, { ...base, title: '退役电池回收', description: '回收工艺' }, 1);
    ids.demand2 = await insert('demand', enterprise, { ...base, title: '电池拆解', description: '自动拆解' }, 3);
    const achievement = { abstract: '湿法回收', readinessLevel: 6, regionCode: '330106', industryCode: '42' };
    ids.achievement = await insert('achievement', university, { ...achievement, title: '正极材料回收' }, 1);
    ids.achievement2 = await insert('achievement', university, { ...achievement, title: '拆解机器人' }, 3);
    const broker = { industryCodes: ['42'], regionCodes: ['330500'], capacity: 10 };
    ids.close = await insert('broker', office, { ...broker, name: '近', expertise: '电池回收' }, 1);
    ids.far = await insert('broker', office, { ...broker, name: '远', expertise: '其他' }, 7);
    // Assignment considers every active broker in the database; suites share it and run one at a time.
    await db.query('UPDATE brokers SET active = false WHERE organisation_id <> $1', [office]);
    await moduleRef
      .get(LeadDeliveryService)
      .setWebhook(admin, office, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`)
      .then(({ secret }) => (ids.secret = secret));
  });

  afterAll(async () => {
    await moduleRef?.close();
    receiver?.close();
  });

  it('creates one lead per pair however many times the same introduction runs at once', async () => {
    const pair = { demandId: ids.demand, partnerKind: 'achievement' as const, partnerId: ids.achievement };
    const results = await Promise.all(Array.from({ length: 6 }, () => generation.introduce(admin, pair)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.lead.id)).size).toBe(1);
    const counts = await db.one<{ leads: number; offers: number; outbox: number }>(
      `SELECT (SELECT count(*) FROM leads WHERE demand_id = $1)::int AS leads,
              (SELECT count(*) FROM lead_offers o JOIN leads l ON l.id = o.lead_id WHERE l.demand_id = $1)::int AS offers,
              (SELECT count(*) FROM outbox WHERE job = 'deliver-lead' AND payload->>'offerId' IN
                 (SELECT o.id::text FROM lead_offers o JOIN leads l ON l.id = o.lead_id WHERE l.demand_id = $1))::int AS outbox`,
      [ids.demand],
    );
    expect(counts).toEqual({ leads: 1, offers: 1, outbox: 1 });
    ids.lead = results[0].lead.id;
    // The broker whose expertise is closest to the pair got it, with the reasons recorded.
    expect(results[0].lead.brokerId).toBe(ids.close);
    expect(results[0].lead.assignment?.explanation.en).toContain('expertise similarity');
  });

  it('delivers the offer to the inbox once and to the webhook, signed, retrying until it answers', async () => {
    const offer = await db.one<{ id: string }>('SELECT id FROM lead_offers WHERE lead_id = $1 AND attempt = 1', [
      ids.lead,
    ]);
    const inbox = await eventually(() =>
      db.one<{ deliveries: number }>('SELECT deliveries FROM inbox_items WHERE offer_id = $1', [offer!.id]),
    );
    expect(inbox.deliveries).toBeGreaterThanOrEqual(1);
    const calls = await eventually(() => {
      const c = received.filter((r) => r.headers['idempotency-key'] === offer!.id);
      return Promise.resolve(c.length > 0 ? c : undefined);
    });
    expect(verifySignature(ids.secret, calls[0].body, String(calls[0].headers['x-signature']))).toBe(true);
    expect(JSON.parse(calls[0].body)).toMatchObject({ event: 'lead.offered', leadId: ids.lead, offerId: offer!.id });
  });

  it('re-offers a lead nobody accepted to the next broker, then escalates it after the last offer', async () => {
    const reoffered = await eventually(async () => {
      const row = await leadRow(ids.lead);
      return row?.offers_made === 2 && row.state === 'offered' ? row : undefined;
    });
    expect(reoffered.broker_id).toBe(ids.far);
    const first = await db.one<{ outcome: string }>(
      'SELECT outcome FROM lead_offers WHERE lead_id = $1 AND attempt = 1',
      [ids.lead],
    );
    expect(first!.outcome).toBe('expired');
    const escalated = await eventually(async () => {
      const row = await leadRow(ids.lead);
      return row?.escalated_at ? row : undefined;
    });
    expect(escalated).toMatchObject({ state: 'unassigned', broker_id: null, offers_made: 2 });
    const lead = await views.view(admin, ids.lead);
    expect(lead.events.map((e) => e.toState)).toEqual(['unassigned', 'offered', 'offered', 'unassigned']);
    expect(lead.events.at(-1)?.data).toEqual({ escalated: true });
  });

  it('retries a failing webhook with backoff and records each attempt', async () => {
    failuresLeft.set(`${ids.demand2}/${ids.achievement2}`, 2);
    const { lead } = await generation.introduce(admin, {
      demandId: ids.demand2,
      partnerKind: 'achievement',
      partnerId: ids.achievement2,
    });
    const offer = await db.one<{ id: string }>('SELECT id FROM lead_offers WHERE lead_id = $1', [lead.id]);
    const delivery = await eventually(() =>
      db.one<{ status: string; attempts: number; last_status_code: number }>(
        `SELECT status, attempts, last_status_code FROM webhook_deliveries WHERE offer_id = $1 AND status = 'delivered'`,
        [offer!.id],
      ),
    );
    expect(delivery).toEqual({ status: 'delivered', attempts: 3, last_status_code: 204 });
    const keys = received.filter((r) => r.headers['idempotency-key'] === offer!.id);
    expect(keys).toHaveLength(3);
    const inbox = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM inbox_items WHERE offer_id = $1', [
      offer!.id,
    ]);
    expect(inbox!.n).toBe(1);
  });

  it('marks a webhook failed after its last attempt, and delivers it when replayed', async () => {
    failuresLeft.set(`${ids.demand2}/${ids.achievement}`, 4); // WEBHOOK_ATTEMPTS
    const { lead } = await generation.introduce(admin, {
      demandId: ids.demand2,
      partnerKind: 'achievement',
      partnerId: ids.achievement,
    });
    const offer = (await db.one<{ id: string }>('SELECT id FROM lead_offers WHERE lead_id = $1', [lead.id]))!;
    const delivery = moduleRef.get(LeadDeliveryService);
    const failed = await eventually(async () =>
      (await delivery.webhookDeliveries(admin, 'failed')).find((d) => d.offerId === offer.id),
    );
    expect(failed).toMatchObject({ attempts: 4, lastStatusCode: 500, lastOutcome: 'refused' });
    await delivery.replay(admin, offer.id);
    const replayed = await eventually(async () =>
      (await delivery.webhookDeliveries(admin, 'delivered')).find((d) => d.offerId === offer.id),
    );
    expect(replayed.attempts).toBe(5);
  });

  it('refuses moves the lifecycle does not allow, naming the allowed ones', async () => {
    // A fresh lead: offers lapse after 1.5 s in this suite.
    const { lead } = await generation.introduce(admin, {
      demandId: ids.demand,
      partnerKind: 'achievement',
      partnerId: ids.achievement2,
    });
    ids.lead2 = lead.id;
    const broker: Actor = { apiKeyId: 'k', role: 'broker', organisationId: ids.office, brokerId: lead.brokerId };
    await expect(lifecycle.transition(broker, ids.lead2, { to: 'negotiating' })).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
      allowed: ['accepted', 'declined'],
    });
    await lifecycle.transition(broker, ids.lead2, { to: 'accepted' });
    await expect(lifecycle.transition(broker, ids.lead2, { to: 'accepted' })).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
    await lifecycle.transition(broker, ids.lead2, { to: 'closed_lost' });
    await expect(lifecycle.transition(broker, ids.lead2, { to: 'contacted' })).rejects.toMatchObject({ allowed: [] });
    // Accepting closed the offer: its service level cannot fire any more.
    const offer = await db.one<{ outcome: string }>('SELECT outcome FROM lead_offers WHERE lead_id = $1', [ids.lead2]);
    expect(offer!.outcome).toBe('accepted');
  });

  it('closes the open leads of a withdrawn achievement as lost, with the reason and the offer', async () => {
    const university = (await db.one<{ organisation_id: string }>(
      'SELECT organisation_id FROM achievements WHERE id = $1',
      [ids.achievement],
    ))!.organisation_id;
    const withdrawn = await insert(
      'achievement',
      university,
      { title: '将撤回的成果', abstract: '湿法回收', readinessLevel: 6, regionCode: '330106', industryCode: '42' },
      1,
    );
    const { lead } = await generation.introduce(admin, {
      demandId: ids.demand,
      partnerKind: 'achievement',
      partnerId: withdrawn,
    });
    expect(await lifecycle.closeWithdrawn()).toBe(0);
    await db.query(`UPDATE achievements SET status = 'withdrawn' WHERE id = $1`, [withdrawn]);
    expect(await lifecycle.closeWithdrawn()).toBe(1);
    const closed = await views.view(admin, lead.id);
    expect(closed.state).toBe('closed_lost');
    expect(closed.events.at(-1)).toMatchObject({
      toState: 'closed_lost',
      actor: 'system',
      data: { reason: 'withdrawn' },
    });
    const offers = await db.query<{ outcome: string }>('SELECT outcome FROM lead_offers WHERE lead_id = $1', [lead.id]);
    expect(offers.map((o) => o.outcome)).not.toContain(null);
    expect(await lifecycle.closeWithdrawn()).toBe(0);
  });
});
