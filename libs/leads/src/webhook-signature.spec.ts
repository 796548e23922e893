import { signWebhook, verifySignature } from './webhook-signature';

describe('webhook signature', () => {
  const body = JSON.stringify({ event: 'lead.offered', leadId: 'l-1' });
  const at = Date.parse('2026-11-25T08:00:00Z');

  it('verifies a body signed with the same secret', () => {
    expect(verifySignature('s3cret', body, signWebhook('s3cret', body, at), 300, at)).toBe(true);
  });

  it('refuses another secret, a changed body, and an old timestamp', () => {
    const header = signWebhook('s3cret', body, at);
    expect(verifySignature('other', body, header, 300, at)).toBe(false);
    expect(verifySignature('s3cret', body.replace('l-1', 'l-2'), header, 300, at)).toBe(false);
    expect(verifySignature('s3cret', body, header, 300, at + 301_000)).toBe(false);
    expect(verifySignature('s3cret', body, 'garbage', 300, at)).toBe(false);
  });
});
