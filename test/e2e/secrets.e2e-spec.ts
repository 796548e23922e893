import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { Db, IdempotencyRepository } from '@app/persistence';
import { startApi } from '../app';
import { makeAdminKey, makeOrganisation, makeParty } from '../fixtures';

describe('secrets shown once (e2e)', () => {
  let app: NestExpressApplication;
  let admin: string;
  let db: Db;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await startApi();
    admin = await makeAdminKey(app);
    db = app.get(Db);
  });
  afterAll(() => app.close());

  /** Every stored idempotent answer, as text. */
  const storedAnswers = async () =>
    (await db.query<{ response: unknown }>('SELECT response FROM idempotency_keys')).map((r) =>
      JSON.stringify(r.response),
    );

  it('never stores an API key secret with its Idempotency-Key, nor shows it on a retry', async () => {
    const party = await makeParty(app, 'enterprise', 'enterprise');
    const create = () =>
      http()
        .post('/v1/api-keys')
        .set('X-Api-Key', admin)
        .set('Idempotency-Key', 'key-once')
        .send({ role: 'enterprise', organisationId: party.organisationId });
    const first = await create().expect(201);
    expect(first.body.secret).toMatch(/^tt_/);
    expect((await storedAnswers()).some((a) => a.includes(first.body.secret as string))).toBe(false);
    const retry = await create().expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual({ id: first.body.id, secret: null, expiresAt: first.body.expiresAt });
    // The key made by the first request works; the retry made no second one.
    await http().get('/v1/me').set('X-Api-Key', first.body.secret).expect(200);
  });

  it("never stores a webhook's signing secret with its Idempotency-Key", async () => {
    const party = await makeOrganisation(app, 'transfer_organisation');
    const put = () =>
      http()
        .put(`/v1/organisations/${party.organisationId}/webhook`)
        .set('X-Api-Key', admin)
        .set('Idempotency-Key', 'hook-once')
        .send({ url: 'https://hooks.example.com/leads' });
    const first = await put().expect(200);
    expect(first.body.secret).toMatch(/^whsec_/);
    expect((await storedAnswers()).some((a) => a.includes(first.body.secret as string))).toBe(false);
    expect((await put().expect(200)).body.secret).toBeNull();
  });

  it('expires idempotency keys after their time to live, so a key may be used again', async () => {
    const party = await makeParty(app, 'enterprise', 'enterprise');
    const post = () =>
      http()
        .post('/v1/demands')
        .set('X-Api-Key', party.key)
        .set('Idempotency-Key', 'expiring')
        .send({ title: '寻求污水处理膜材料', description: '处理印染废水', regionCode: '330502' });
    const first = await post().expect(201);
    await db.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'expiring'");
    // A claim after the time to live runs the request again, even before the job deleted the row.
    const again = await post().expect(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body.id).not.toBe(first.body.id);
    await db.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'expiring'");
    expect(await app.get(IdempotencyRepository).expire(24)).toBeGreaterThanOrEqual(1);
    expect(await db.query("SELECT 1 FROM idempotency_keys WHERE key = 'expiring'")).toHaveLength(0);
  });
});
