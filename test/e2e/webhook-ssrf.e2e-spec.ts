import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { Actor } from '@app/access';
import { EmbeddingService } from '@app/embedding';
import { LeadGenerationService } from '@app/leads';
import { Db } from '@app/persistence';
import { ProfilesRepository } from '@app/profiles';
import { startApi } from '../app';
import { startDnsServer, type TestDnsServer } from '../dns-server';
import { emptyMarket, eventually, makeAdminKey, makeOrganisation } from '../fixtures';
import { axisVector, insertEmbedded } from '../profile-fixtures';

const system: Actor = { apiKeyId: 'test-admin', role: 'admin', organisationId: null, brokerId: null };

describe('webhooks and SSRF (e2e: the API, its worker, a DNS server and a receiver on loopback)', () => {
  let app: NestExpressApplication;
  let admin: string;
  let db: Db;
  let dns: TestDnsServer;
  let receiver: Server;
  let port: number;
  let requests = 0;
  const http = () => request(app.getHttpServer());
  const webhookOf = async (organisationId: string) =>
    (await db.one<{ webhook_url: string | null }>('SELECT webhook_url FROM organisations WHERE id = $1', [
      organisationId,
    ]))!.webhook_url;

  beforeAll(async () => {
    dns = await startDnsServer();
    receiver = createServer((_req, res) => {
      requests++;
      res.writeHead(204).end();
    }).listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    port = (receiver.address() as AddressInfo).port;
    // The default policy (no internal host allowed), names resolved by this suite's DNS server, attempts kept short.
    delete process.env.WEBHOOK_ALLOWED_HOSTS;
    Object.assign(process.env, {
      WEBHOOK_DNS_SERVERS: dns.server,
      WEBHOOK_ATTEMPTS: '2',
      WEBHOOK_BACKOFF_MS: '100',
      OUTBOX_POLL_MS: '100',
    });
    await emptyMarket();
    app = await startApi();
    admin = await makeAdminKey(app);
    db = app.get(Db);
  });
  afterAll(async () => {
    await app?.close();
    receiver.close();
    await dns.close();
  });

  it('refuses every internal form of the security probe at registration, naming the field, storing nothing', async () => {
    const { organisationId } = await makeOrganisation(app, 'transfer_organisation');
    dns.answers.set('intranet.hooks.test', ['10.0.0.7']);
    dns.answers.set('v6.intranet.hooks.test', ['fd00::7']);
    const internal = [
      `http://127.0.0.1:${port}/hooks`,
      `http://localhost:${port}/hooks`,
      `http://[::1]:${port}/hooks`,
      `http://[::ffff:127.0.0.1]:${port}/hooks`,
      `http://0x7f000001:${port}/hooks`,
      'http://0.0.0.0/hooks',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://10.1.2.3/hooks',
      'http://192.168.1.10/hooks',
      'http://172.20.0.1/hooks',
      'http://100.64.0.1/hooks',
      'http://[fe80::1]/hooks',
      'http://127.0.0.1:5432/',
      'http://127.0.0.1:6379/',
      'https://intranet.hooks.test/hooks',
      'https://v6.intranet.hooks.test/hooks',
    ];
    for (const url of internal) {
      const r = await http()
        .put(`/v1/organisations/${organisationId}/webhook`)
        .set('X-Api-Key', admin)
        .send({ url })
        .expect(400);
      expect({ url, error: r.body.error, field: r.body.details?.[0]?.field }).toEqual({
        url,
        error: 'WEBHOOK_ADDRESS_NOT_ALLOWED',
        field: 'url',
      });
      expect(JSON.stringify(r.body)).not.toMatch(/whsec_/);
    }
    expect(await webhookOf(organisationId)).toBeNull();
    expect(requests).toBe(0);
    // The same request with a public receiver is taken (and removed again: no call may leave this machine).
    dns.answers.set('office.hooks.test', ['93.184.215.14']);
    await http()
      .put(`/v1/organisations/${organisationId}/webhook`)
      .set('X-Api-Key', admin)
      .send({ url: 'https://office.hooks.test/hooks' })
      .expect(200);
    await http().delete(`/v1/organisations/${organisationId}/webhook`).set('X-Api-Key', admin).expect(204);
  });

  it('refuses at delivery a name rebound to loopback after registration; the deliveries page shows only the outcome class', async () => {
    const office = (await makeOrganisation(app, 'transfer_organisation', '330500')).organisationId;
    const enterprise = (await makeOrganisation(app, 'enterprise')).organisationId;
    const university = (await makeOrganisation(app, 'university', '330106')).organisationId;
    // Registered while the name answers a public address; answering loopback by the time the offer is announced.
    dns.answers.set('rebind.hooks.test', ['93.184.215.14']);
    await http()
      .put(`/v1/organisations/${office}/webhook`)
      .set('X-Api-Key', admin)
      .send({ url: `http://rebind.hooks.test:${port}/hooks` })
      .expect(200);
    dns.answers.set('rebind.hooks.test', ['127.0.0.1']);

    const repository = app.get(ProfilesRepository);
    const modelId = app.get(EmbeddingService).modelId;
    const base = { industryCode: '42', regionCode: '330502', status: 'open' as const };
    const demandId = await insertEmbedded(repository, db, {
      kind: 'demand',
      organisationId: enterprise,
      values: { ...base, title: '退役电池回收', description: '回收工艺' },
      vector: axisVector(1),
      modelId,
    });
    const partnerId = await insertEmbedded(repository, db, {
      kind: 'achievement',
      organisationId: university,
      values: {
        abstract: '湿法回收',
        readinessLevel: 6,
        regionCode: '330106',
        industryCode: '42',
        title: '正极材料回收',
      },
      vector: axisVector(1),
      modelId,
    });
    await insertEmbedded(repository, db, {
      kind: 'broker',
      organisationId: office,
      values: { industryCodes: ['42'], regionCodes: ['330500'], capacity: 10, name: '陈经纪', expertise: '电池回收' },
      vector: axisVector(1),
      modelId,
    });
    await db.query('UPDATE brokers SET active = false WHERE organisation_id <> $1', [office]);
    const { lead } = await app.get(LeadGenerationService).introduce(system, {
      demandId,
      partnerKind: 'achievement',
      partnerId,
    });
    const offer = (await db.one<{ id: string }>('SELECT id FROM lead_offers WHERE lead_id = $1', [lead.id]))!;

    const failed = await eventually(async () => {
      const r = await http().get('/v1/webhook-deliveries').query({ status: 'failed' }).set('X-Api-Key', admin);
      return (r.body as { offerId: string }[]).find((d) => d.offerId === offer.id);
    });
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 2,
      lastOutcome: 'address_not_allowed',
      lastStatusCode: null,
    });
    expect(failed).not.toHaveProperty('lastError');
    // Nothing of the socket's or resolver's own words, nor the address the name rebound to.
    expect(JSON.stringify(failed)).not.toMatch(/ECONN|ENOTFOUND|EAI_|127\.0\.0\.1|resolves|socket/i);
    expect(requests).toBe(0);
    expect(dns.asked.filter((n) => n === 'rebind.hooks.test').length).toBeGreaterThanOrEqual(3);
  });
});
