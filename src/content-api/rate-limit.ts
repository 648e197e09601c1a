// The Content API's limit per client address. It is checked before the page cache answers (a
// cached answer costs little, but a scraper hammering one is still one to slow down), so it
// cannot be a Fastify hook: a fixed one-minute window counted in memory, per process. Clients are
// found as Fastify finds request.ip (TRUST_PROXY), so both paths count the same client.
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

export type TrustProxy = boolean | number | string[];

/** The client's address as Fastify's request.ip would give it for this TRUST_PROXY. */
export function clientAddressOf(trust: TrustProxy): (req: IncomingMessage) => string {
  if (trust === false) return (req) => req.socket.remoteAddress ?? '';
  const trusted = trust === true ? () => true : typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : proxyAddr.compile(trust);
  return (req) => proxyAddr(req, trusted);
}

export class RateLimiter {
  private window = 0;
  /** Requests per address in the current window; cleared whole when the window turns, so it never outgrows one minute of clients. */
  private readonly counts = new Map<string, number>();

  constructor(
    readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /** Counts one request; the seconds until the window turns when over the limit, else 0. */
  take(address: string): number {
    if (this.perMinute === 0) return 0;
    const now = this.now();
    const window = Math.floor(now / 60_000);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear();
    }
    const count = (this.counts.get(address) ?? 0) + 1;
    this.counts.set(address, count);
    return count > this.perMinute ? Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000)) : 0;
  }
}
