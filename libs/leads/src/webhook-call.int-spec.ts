import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@app/config';
import { startDnsServer, type TestDnsServer } from '../../../test/dns-server';
import { WebhookAddressNotAllowedError } from './leads.errors';
import { WebhookAddressGuard } from './webhook-address-guard';
import { callWebhook, type WebhookOutcome } from './webhook-call';

/** A receiver on loopback that counts what reaches it; `answer` decides what it does with each request. */
interface Receiver {
  server: Server;
  port: number;
  requests: number;
  answer: (req: IncomingMessage, res: ServerResponse) => void;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    server: createServer((req, res) => {
      receiver.requests++;
      receiver.answer(req, res);
    }),
    port: 0,
    requests: 0,
    answer: (_req, res) => res.writeHead(204).end(),
  };
  receiver.server.listen(0, '127.0.0.1');
  await once(receiver.server, 'listening');
  receiver.port = (receiver.server.address() as AddressInfo).port;
  return receiver;
}

describe('webhook calls (real sockets, a real DNS server and resolver on loopback)', () => {
  let dns: TestDnsServer;
  let receiver: Receiver;
  let other: Receiver;

  /** The guard as the service builds it, resolving through the test's DNS server; `allowed` as WEBHOOK_ALLOWED_HOSTS. */
  const guard = (allowed = '', timeoutMs = 1500) =>
    new WebhookAddressGuard(
      loadConfig({
        WEBHOOK_DNS_SERVERS: dns.server,
        WEBHOOK_ALLOWED_HOSTS: allowed,
        WEBHOOK_TIMEOUT_MS: String(timeoutMs),
      }),
    );

  const call = (sut: WebhookAddressGuard, url: string, timeoutMs = 1500): Promise<WebhookOutcome> =>
    callWebhook({
      url: new URL(url),
      route: sut.route(new URL(url)),
      headers: { 'content-type': 'application/json' },
      body: '{"event":"lead.offered"}',
      timeoutMs,
    });

  beforeAll(async () => {
    dns = await startDnsServer();
    [receiver, other] = await Promise.all([startReceiver(), startReceiver()]);
  });
  beforeEach(() => {
    receiver.requests = other.requests = 0;
    receiver.answer = (_req, res) => res.writeHead(204).end();
    dns.answers.clear();
  });
  afterAll(async () => {
    receiver.server.closeAllConnections();
    other.server.closeAllConnections();
    receiver.server.close();
    other.server.close();
    await dns.close();
  });

  it('delivers to a receiver the operator allowed (so the refusals below are the policy, not the set-up)', async () => {
    const sut = guard('127.0.0.1');
    await expect(sut.checkRegistration(`http://127.0.0.1:${receiver.port}/hooks`)).resolves.toBeUndefined();
    expect(await call(sut, `http://127.0.0.1:${receiver.port}/hooks`)).toEqual({
      outcome: 'delivered',
      statusCode: 204,
    });
    expect(receiver.requests).toBe(1);
  });

  it('never reaches a receiver on loopback, by address or by any form of it', async () => {
    const sut = guard();
    for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '0x7f000001', '2130706433', 'localhost']) {
      const url = `http://${host}:${receiver.port}/hooks`;
      await expect(sut.checkRegistration(url)).rejects.toBeInstanceOf(WebhookAddressNotAllowedError);
      expect(await call(sut, url)).toEqual({ outcome: 'address_not_allowed', statusCode: null });
    }
    expect(receiver.requests).toBe(0);
  });

  it('refuses a name that resolves to a private or loopback address, at registration and at the call', async () => {
    dns.answers.set('office.hooks.test', ['10.1.2.3']);
    dns.answers.set('v6.hooks.test', ['fd00::5']);
    dns.answers.set('loop.hooks.test', ['127.0.0.1']);
    const sut = guard();
    for (const name of ['office.hooks.test', 'v6.hooks.test', 'loop.hooks.test'])
      await expect(sut.checkRegistration(`https://${name}/hooks`)).rejects.toMatchObject({
        code: 'WEBHOOK_ADDRESS_NOT_ALLOWED',
        details: [{ field: 'url', problems: [expect.stringMatching(/resolves to a (private|uniqueLocal|loopback)/)] }],
      });
    // Only the loopback name is called: a check that failed must not send traffic off this machine.
    expect(await call(sut, `http://loop.hooks.test:${receiver.port}/hooks`)).toEqual({
      outcome: 'address_not_allowed',
      statusCode: null,
    });
    expect(receiver.requests).toBe(0);
    expect(dns.asked.filter((n) => n === 'loop.hooks.test').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses at the call a name rebound to loopback after it was registered on a public address', async () => {
    dns.answers.set('rebind.hooks.test', ['93.184.215.14']);
    const sut = guard();
    const url = `http://rebind.hooks.test:${receiver.port}/hooks`;
    await expect(sut.checkRegistration(url)).resolves.toBeUndefined();
    dns.answers.set('rebind.hooks.test', ['127.0.0.1']);
    expect(await call(sut, url)).toEqual({ outcome: 'address_not_allowed', statusCode: null });
    expect(receiver.requests).toBe(0);
  });

  it('refuses a name when any of its addresses is internal, for the socket may fall back to any', async () => {
    dns.answers.set('mixed.hooks.test', ['127.0.0.1', '::1']);
    const sut = guard();
    expect(await call(sut, `http://mixed.hooks.test:${receiver.port}/`)).toMatchObject({
      outcome: 'address_not_allowed',
    });
    expect(receiver.requests).toBe(0);
  });

  it('reaches an internal host the operator allowed by name, through the resolver', async () => {
    dns.answers.set('hooks.corp.test', ['127.0.0.1']);
    const sut = guard('hooks.corp.test');
    await expect(sut.checkRegistration(`http://hooks.corp.test:${receiver.port}/`)).resolves.toBeUndefined();
    expect(await call(sut, `http://hooks.corp.test:${receiver.port}/`)).toEqual({
      outcome: 'delivered',
      statusCode: 204,
    });
    expect(receiver.requests).toBe(1);
  });

  it('does not follow a redirect to loopback: a 3xx is the receiver refusing', async () => {
    receiver.answer = (_req, res) => res.writeHead(302, { location: `http://localhost:${other.port}/` }).end();
    const sut = guard('127.0.0.1');
    expect(await call(sut, `http://127.0.0.1:${receiver.port}/hooks`)).toEqual({ outcome: 'refused', statusCode: 302 });
    expect(receiver.requests).toBe(1);
    expect(other.requests).toBe(0);
  });

  it('times out a receiver that does not answer, within WEBHOOK_TIMEOUT_MS', async () => {
    receiver.answer = () => undefined; // holds the request open
    const sut = guard('127.0.0.1', 500);
    const started = Date.now();
    expect(await call(sut, `http://127.0.0.1:${receiver.port}/slow`, 500)).toEqual({
      outcome: 'timed_out',
      statusCode: null,
    });
    expect(Date.now() - started).toBeLessThan(3000);
    receiver.server.closeAllConnections();
  });

  it('reads at most 64 KiB (MAX_RESPONSE_BYTES) of an endless answer, then closes', async () => {
    receiver.answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      // Writes until the sender hangs up: without the cap this would run until the deadline.
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write(chunk);
      }, 1);
      res.on('close', () => clearInterval(timer));
    };
    const sut = guard('127.0.0.1', 20_000);
    const started = Date.now();
    expect(await call(sut, `http://127.0.0.1:${receiver.port}/big`, 20_000)).toEqual({
      outcome: 'delivered',
      statusCode: 200,
    });
    // Without the cap the call would read until its 20 s deadline; with it, it ends after MAX_RESPONSE_BYTES.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says only "unreachable" for a refused connection or a name that does not exist', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const sut = guard('127.0.0.1');
    expect(await call(sut, `http://127.0.0.1:${port}/`)).toEqual({ outcome: 'unreachable', statusCode: null });
    expect(await call(sut, `http://nowhere.hooks.test:${port}/`)).toEqual({ outcome: 'unreachable', statusCode: null });
    // A name that does not resolve now may be registered: every call checks again.
    await expect(sut.checkRegistration('https://nowhere.hooks.test/')).resolves.toBeUndefined();
  });

  it('refuses other schemes and credentials at the call too', async () => {
    const sut = guard('127.0.0.1');
    expect(await call(sut, `ftp://127.0.0.1:${receiver.port}/`)).toMatchObject({ outcome: 'address_not_allowed' });
    expect(await call(sut, `http://u:p@127.0.0.1:${receiver.port}/`)).toMatchObject({
      outcome: 'address_not_allowed',
    });
    expect(receiver.requests).toBe(0);
  });
});
