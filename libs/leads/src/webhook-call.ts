import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { WebhookAddressNotAllowedError } from './leads.errors';
import type { WebhookRoute } from './webhook-address-guard';

/**
 * What became of one call, as operators see it. Only the class and the receiver's own status leave this file: socket
 * and resolver messages would tell a customer which internal hosts and ports exist.
 */
export type WebhookOutcome =
  | { outcome: 'delivered'; statusCode: number }
  /** The receiver answered, but not 2xx; a 3xx counts here, for redirects are not followed. */
  | { outcome: 'refused'; statusCode: number }
  | { outcome: 'timed_out' | 'address_not_allowed' | 'unreachable'; statusCode: null };

/** Bytes of an answer read before the socket is closed: the status decides, a body only needs draining. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface WebhookCall {
  url: URL;
  route: WebhookRoute;
  headers: Record<string, string>;
  body: string;
  /** Resolving, connecting, sending and reading the answer, all within this. */
  timeoutMs: number;
}

class CallTimedOut extends Error {}

/**
 * One POST, on node:http rather than fetch: the socket's lookup is ours (the route's, which judges each address it
 * returns), redirects are never followed, and the answer is read up to MAX_RESPONSE_BYTES. Never rejects.
 */
export function callWebhook(call: WebhookCall): Promise<WebhookOutcome> {
  if ('refused' in call.route) return Promise.resolve({ outcome: 'address_not_allowed', statusCode: null });
  const { lookup } = call.route;
  const request = call.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<WebhookOutcome>((resolve) => {
    let settled = false;
    /** Set once the receiver's status is in: what happens to the body after it does not change the outcome. */
    let answered: WebhookOutcome | undefined;
    const settle = (outcome: WebhookOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      resolve(outcome);
    };
    let req: ClientRequest;
    try {
      req = request(call.url, {
        method: 'POST',
        headers: { ...call.headers, 'content-length': String(Buffer.byteLength(call.body)) },
        lookup,
        // A fresh connection per call: a pooled socket would skip the lookup that judged its address.
        agent: false,
      });
    } catch {
      // A request node:http will not even start (a URL it cannot use) reaches no one.
      return resolve({ outcome: 'unreachable', statusCode: null });
    }
    const deadline = setTimeout(() => req.destroy(new CallTimedOut()), call.timeoutMs);
    req.on('response', (res: IncomingMessage) => {
      const statusCode = res.statusCode ?? 0;
      const outcome: WebhookOutcome =
        statusCode >= 200 && statusCode < 300
          ? { outcome: 'delivered', statusCode }
          : { outcome: 'refused', statusCode };
      answered = outcome;
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= MAX_RESPONSE_BYTES) settle(outcome);
      });
      res.on('end', () => settle(outcome));
      res.on('error', () => settle(outcome));
      res.on('close', () => settle(outcome));
    });
    req.on('error', (e) => {
      if (answered) settle(answered);
      else if (e instanceof CallTimedOut) settle({ outcome: 'timed_out', statusCode: null });
      else if (e instanceof WebhookAddressNotAllowedError) settle({ outcome: 'address_not_allowed', statusCode: null });
      else settle({ outcome: 'unreachable', statusCode: null });
    });
    req.end(call.body);
  });
}
