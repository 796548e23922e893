import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startApi } from '../app';
import { makeParty } from '../fixtures';
import { emptyTestQueues } from '../test-database';

describe('rate limits, security headers and request metrics (e2e)', () => {
  let app: NestExpressApplication;
  let second: NestExpressApplication;
  const http = (a = app) => request(a.getHttpServer());

  beforeAll(async () => {
    // Budgets are counted in Redis: start from none, and leave none for the suites that follow.
    await emptyTestQueues();
    process.env.RATE_LIMIT_PER_MINUTE = '5';
    process.env.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE = '3';
    app = await startApi();
    second = await startApi(); // a second API process on the same Redis
  });
  afterAll(async () => {
    delete process.env.RATE_LIMIT_PER_MINUTE;
    delete process.env.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE;
    await app.close();
    await second.close();
    await emptyTestQueues();
  });

  it('limits a key across routes and across API processes, counts each key apart, and says when to retry', async () => {
    const a = await makeParty(app, 'enterprise', 'enterprise');
    const b = await makeParty(app, 'enterprise', 'enterprise');
    const paths = ['/v1/demands', '/v1/me', '/v1/achievements', '/v1/leads', '/v1/experts'];
    for (const [i, path] of paths.entries())
      await http(i % 2 ? second : app)
        .get(path)
        .set('X-Api-Key', a.key)
        .expect(200);
    const limited = await http(second).get('/v1/taxonomy/regions').set('X-Api-Key', a.key).expect(429);
    expect(limited.body.error).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await http().get('/v1/demands').set('X-Api-Key', b.key).expect(200);
  });

  it('limits requests without a valid key by client address, yet never refuses a valid key for them', async () => {
    for (let i = 0; i < 3; i++) await http().get('/v1/demands').set('X-Api-Key', `tt_bad_${i}`).expect(401);
    const limited = await http(second).get('/v1/demands').expect(429);
    expect(limited.headers['retry-after']).toBeDefined();
    await http().get('/v1/demands').set('X-Api-Key', 'tt_bad_again').expect(429);
    const wellFormed = `tt_0123abcd_${'x'.repeat(32)}`;
    await http(second).get('/v1/demands').set('X-Api-Key', wellFormed).expect(429);
    // A colleague behind the same office address, whose key no process has seen yet, still gets in.
    const colleague = await makeParty(app, 'enterprise', 'enterprise');
    await http(second).get('/v1/demands').set('X-Api-Key', colleague.key).expect(200);
  });

  it('puts security headers on every answer, API and web app alike', async () => {
    for (const path of ['/v1/me', '/', '/app/main.js', '/health/live']) {
      const r = await http().get(path);
      expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['x-powered-by']).toBeUndefined();
    }
    // The page's import map is the one inline script allowed, by its hash.
    const page = await http().get('/').expect(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
  });

  it('answers /metrics to this machine only, unless a token is configured, which it then asks of everyone', async () => {
    // Refused as an unauthenticated request is: 401, or 429 once this address's budget is spent (it is, above).
    const refused = (r: request.Response) => {
      expect([401, 429]).toContain(r.status);
      expect(r.text).not.toContain('http_request_duration_seconds');
    };
    // Behind a proxy on this machine the peer is loopback, but the request came from elsewhere.
    refused(await http().get('/metrics').set('X-Forwarded-For', '203.0.113.7'));
    process.env.METRICS_TOKEN = 'metrics-token-of-the-scraper';
    const guarded = await startApi();
    try {
      refused(await http(guarded).get('/metrics'));
      refused(await http(guarded).get('/metrics').set('Authorization', 'Bearer metrics-token-of-the-scrapex'));
      await http(guarded).get('/metrics').set('Authorization', 'Bearer metrics-token-of-the-scraper').expect(200);
    } finally {
      delete process.env.METRICS_TOKEN;
      await guarded.close();
    }
  });

  it('counts each answer on /metrics with the status the client got', async () => {
    // Both API instances of this suite live in one Jest process and so share one metrics registry: the three 429s of
    // the unauthenticated requests above are counted together.
    const metrics = (await http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/v1\/demands",status="401"\} 3/);
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/v1\/demands",status="429"\} 3/);
    expect(metrics).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/v1\/demands",status="200"\} [1-9]/,
    );
  });
});
