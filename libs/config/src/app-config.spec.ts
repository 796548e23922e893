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

  it('allows no internal webhook host by default, and takes host names, addresses and CIDRs', () => {
    expect(loadConfig({}).leads.webhook).toMatchObject({ allowedHosts: [], dnsServers: [] });
    const sut = loadConfig({
      WEBHOOK_ALLOWED_HOSTS: ' 127.0.0.1, hooks.corp.internal ,10.0.0.0/8,,fd00::/8',
      WEBHOOK_DNS_SERVERS: '127.0.0.1:5353,[::1]:53',
    });
    expect(sut.leads.webhook.allowedHosts).toEqual(['127.0.0.1', 'hooks.corp.internal', '10.0.0.0/8', 'fd00::/8']);
    expect(sut.leads.webhook.dnsServers).toEqual(['127.0.0.1:5353', '[::1]:53']);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: 'http://hooks' })).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_HOSTS: '10.0.0.0/33' })).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
    expect(() => loadConfig({ WEBHOOK_DNS_SERVERS: 'dns.example.cn' })).toThrow(/WEBHOOK_DNS_SERVERS/);
  });

  it('hides passwords when redacted', () => {
    const sut = redacted(
      loadConfig({ DATABASE_URL: 'postgres://app:s3cret@db:5432/x', REDIS_URL: 'redis://:hunter2@cache:6379' }),
    );
    expect(JSON.stringify(sut)).not.toMatch(/s3cret|hunter2/);
  });
});
