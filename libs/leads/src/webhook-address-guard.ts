import { lookup as systemLookup, Resolver } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { WebhookAddressNotAllowedError } from './leads.errors';
import {
  compileAllowance,
  judgeAddress,
  judgeHost,
  judgeUrlForm,
  type WebhookAllowance,
} from './webhook-address-policy';

/** How a call may reach its host: refused before any connection, or through a lookup that checks what it returns. */
export type WebhookRoute = { refused: WebhookAddressNotAllowedError } | { lookup: LookupFunction | undefined };

/**
 * Applies the address policy where webhooks meet the network: when a URL is registered, and inside the socket's own
 * lookup at every call, so the address judged is the address connected to (a name that answered a public address at
 * registration and a private one later, DNS rebinding, is refused at the call).
 */
@Injectable()
export class WebhookAddressGuard {
  private readonly allowance: WebhookAllowance;
  private readonly resolver: Resolver | undefined;
  private readonly timeoutMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { allowedHosts, dnsServers, timeoutMs } = config.leads.webhook;
    this.allowance = compileAllowance(allowedHosts);
    this.timeoutMs = timeoutMs;
    if (dnsServers.length > 0) {
      // Two tries within the call's time: a lost UDP answer is retried, a dead server does not hold the call.
      this.resolver = new Resolver({ timeout: Math.max(100, Math.floor(timeoutMs / 2)), tries: 2 });
      this.resolver.setServers(dnsServers);
    }
  }

  /**
   * At registration: throws WebhookAddressNotAllowedError when the host is, or now resolves to, an address refused.
   * A name that does not resolve now is accepted: nothing internal is reached through it, and every call checks again.
   */
  async checkRegistration(text: string): Promise<void> {
    const url = new URL(text);
    const host = url.hostname;
    const form = judgeUrlForm(url);
    if (!form.allowed) throw new WebhookAddressNotAllowedError(host, form.reason);
    const verdict = judgeHost(host, this.allowance);
    if ('allowed' in verdict) {
      if (!verdict.allowed) throw new WebhookAddressNotAllowedError(host, verdict.reason);
      return;
    }
    const addresses = await this.resolve(verdict.resolve).catch(() => []);
    for (const { address } of addresses) {
      const judged = judgeAddress(address, this.allowance, verdict.trusted);
      if (!judged.allowed) throw new WebhookAddressNotAllowedError(host, `resolves to a ${judged.reason}`);
    }
  }

  /** At a call: a host refused as it stands, or the lookup its socket must use (none for an allowed address). */
  route(url: URL): WebhookRoute {
    const form = judgeUrlForm(url);
    if (!form.allowed) return { refused: new WebhookAddressNotAllowedError(url.hostname, form.reason) };
    const verdict = judgeHost(url.hostname, this.allowance);
    if ('allowed' in verdict)
      return verdict.allowed
        ? { lookup: undefined }
        : { refused: new WebhookAddressNotAllowedError(url.hostname, verdict.reason) };
    const { trusted } = verdict;
    const lookup: LookupFunction = (hostname, options, callback) => {
      this.resolve(hostname)
        .then((all) => {
          // Every address the name has is judged, not only the one tried first: the socket may fall back to any.
          for (const { address } of all) {
            const judged = judgeAddress(address, this.allowance, trusted);
            if (!judged.allowed) throw new WebhookAddressNotAllowedError(hostname, `resolves to a ${judged.reason}`);
          }
          const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
          const usable = family === 4 || family === 6 ? all.filter((a) => a.family === family) : all;
          if (usable.length === 0) throw Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' });
          if (options.all) callback(null, usable);
          else callback(null, usable[0].address, usable[0].family);
        })
        .catch((e: NodeJS.ErrnoException) => callback(e, '', 0));
    };
    return { lookup };
  }

  /** The name's addresses, through WEBHOOK_DNS_SERVERS when set, else the system resolver. */
  private async resolve(name: string): Promise<LookupAddress[]> {
    if (!this.resolver) return withTimeout(systemLookup(name, { all: true }), this.timeoutMs, name);
    const [v4, v6] = await Promise.allSettled([this.resolver.resolve4(name), this.resolver.resolve6(name)]);
    const all = [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 })) : []),
    ];
    if (all.length === 0) throw v4.status === 'rejected' ? v4.reason : new Error(`no address for ${name}`);
    return all;
  }
}

/** getaddrinfo cannot be cancelled; the caller stops waiting for it. */
function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`resolving ${name} timed out`), { code: 'ETIMEOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
