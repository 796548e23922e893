import { ConfigError, loadConfig, redacted } from './app-config';

describe('loadConfig', () => {
  it('applies defaults to an empty environment', () => {
    const sut = loadConfig({});
    expect(sut.http.port).toBe(3000);
    expect(sut.database.url).toBeUndefined();
    expect(sut.redis.url).toBe('redis://127.0.0.1:6379');
    expect(sut.embedding.model).toBe('bge-small-zh-v1.5');
    expect(sut.embedding.batchSize).toBe(1);
  });

  it('names every invalid variable', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', EMBEDDING_BATCH_SIZE: '0' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (e) {
      const message = (e as ConfigError).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('EMBEDDING_BATCH_SIZE');
    }
  });

  it('takes score and broker weights as JSON objects over their defaults, and names a bad one', () => {
    const sut = loadConfig({ MATCH_WEIGHTS: '{"region":0.2}', BROKER_WEIGHTS: '{"load":0.3}' });
    expect(sut.matching.weights).toMatchObject({ region: 0.2, semantic: 0.5 });
    expect(sut.leads.assignmentWeights).toMatchObject({ load: 0.3, expertise: 0.33, credit: 0.08 });
    expect(() => loadConfig({ BROKER_WEIGHTS: '{"charm":1}' })).toThrow(/BROKER_WEIGHTS/);
  });

  it('hides passwords when redacted', () => {
    const sut = redacted(
      loadConfig({ DATABASE_URL: 'postgres://app:s3cret@db:5432/x', REDIS_URL: 'redis://:hunter2@cache:6379' }),
    );
    expect(JSON.stringify(sut)).not.toMatch(/s3cret|hunter2/);
  });
});
