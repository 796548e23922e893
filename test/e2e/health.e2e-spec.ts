import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startApi } from '../app';
import { eventually } from '../fixtures';

describe('health and docs (e2e)', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await startApi();
  });
  afterAll(() => app.close());

  it('is live', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
  });

  it('is ready when PostgreSQL, Redis, the model and the index answer, and names the model', async () => {
    const res = await eventually(async () => {
      const r = await request(app.getHttpServer()).get('/health/ready');
      return r.status === 200 ? r : undefined;
    });
    expect(res.body.status).toBe('ok');
    expect(Object.keys(res.body.details).sort()).toEqual(['index', 'model', 'postgres', 'redis']);
    expect(res.body.details.model).toMatchObject({ status: 'up', dimension: 512 });
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/health/ready');
  });

  it('answers an unknown route with the error body and the request id it was given', async () => {
    const res = await request(app.getHttpServer()).get('/v1/nowhere').set('X-Request-Id', 'req-42').expect(404);
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.body).toMatchObject({ statusCode: 404, error: 'NOT_FOUND', requestId: 'req-42' });
  });
});
