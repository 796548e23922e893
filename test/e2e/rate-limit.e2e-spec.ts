import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startApi } from '../app';
import { makeParty } from '../fixtures';

describe('rate limiting (e2e)', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    process.env.RATE_LIMIT_PER_MINUTE = '5';
    app = await startApi();
  });
  afterAll(async () => {
    delete process.env.RATE_LIMIT_PER_MINUTE;
    await app.close();
  });

  it('answers 429 past the limit of a key, and counts each key apart', async () => {
    const a = await makeParty(app, 'enterprise', 'enterprise');
    const b = await makeParty(app, 'enterprise', 'enterprise');
    const get = (key: string) => request(app.getHttpServer()).get('/v1/demands').set('X-Api-Key', key);
    for (let i = 0; i < 5; i++) await get(a.key).expect(200);
    const limited = await get(a.key).expect(429);
    expect(limited.body.statusCode).toBe(429);
    await get(b.key).expect(200);
  });
});
