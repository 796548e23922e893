import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { isIPv4, isIPv6 } from 'node:net';
import * as dnsPacket from 'dns-packet';

/** A DNS server of a test's own on loopback: answers A and AAAA from `answers`, NXDOMAIN for names it lacks. */
export interface TestDnsServer {
  /** For WEBHOOK_DNS_SERVERS: "127.0.0.1:<port>". */
  readonly server: string;
  /** Name (lower case) -> the addresses it answers now; change it to rebind a name. */
  readonly answers: Map<string, string[]>;
  /** Every name asked, in order. */
  readonly asked: string[];
  close(): Promise<void>;
}

/** Starts it on a free UDP port of 127.0.0.1. Answers carry a TTL of 0, so no resolver keeps one. */
export async function startDnsServer(answers: Record<string, string[]> = {}): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const table = new Map(Object.entries(answers));
  const asked: string[] = [];
  socket.on('message', (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    asked.push(name);
    const known = table.get(name);
    const wanted = question.type === 'A' ? isIPv4 : question.type === 'AAAA' ? isIPv6 : () => false;
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      // The low four bits of the flags are the response code: 3 is NXDOMAIN.
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (known ? 0 : 3),
      questions: [question],
      answers: (known ?? [])
        .filter((a) => wanted(a))
        .map((data) => ({ type: question.type as 'A' | 'AAAA', name: question.name, ttl: 0, data })),
    });
    socket.send(response, peer.port, peer.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return {
    server: `127.0.0.1:${socket.address().port}`,
    answers: table,
    asked,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
