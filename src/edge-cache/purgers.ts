// The caches in front, each told which keys to drop in the way it understands, in batches no
// larger than it accepts. A purger throws when its cache did not accept a batch: the purge job
// then keeps the keys and tries again (purges are idempotent; a key sent twice costs nothing).
import type { PurgeConfig } from '../platform/config.ts';

export interface Purger {
  /** Names it in logs and errors; never its credentials. */
  readonly name: string;
  purge(keys: readonly string[]): Promise<void>;
}

/** One request may not wait longer than this: a hung CDN API must not hold the purge lane. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Splits keys into batches of at most `count` keys and `bytes` bytes once joined by a space. */
export function batches(keys: readonly string[], count: number, bytes = Infinity): string[][] {
  const out: string[][] = [];
  let batch: string[] = [];
  let size = 0;
  for (const key of keys) {
    if (batch.length > 0 && (batch.length >= count || size + key.length + 1 > bytes)) {
      out.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(key);
    size += key.length + 1;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

async function send(name: string, url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    throw new Error(`${name} purge: no answer from ${new URL(url).origin} (${(error as Error).message})`);
  }
  if (!res.ok) throw new Error(`${name} purge: ${res.status} ${res.statusText} from ${new URL(url).origin}: ${(await res.text()).slice(0, 200)}`);
  return res;
}

/**
 * Varnish with vmod_xkey (deploy/varnish/bulletin.vcl) or any cache that honours the same request:
 * `PURGE /` with the keys in `xkey-purge`, space-separated. Each Varnish in front is one URL.
 * Varnish reads request headers up to 8 KB by default, so a batch stays well under that.
 */
export function httpPurger(url: string): Purger {
  return {
    name: `http ${new URL(url).host}`,
    async purge(keys) {
      for (const batch of batches(keys, 500, 4000)) {
        const res = await send('HTTP', url, { method: 'PURGE', headers: { 'xkey-purge': batch.join(' ') } });
        await res.arrayBuffer();
      }
    },
  };
}

/** Fastly's purge by surrogate key: up to 256 keys per call (POST /service/{id}/purge). */
export function fastlyPurger(config: NonNullable<PurgeConfig['fastly']>): Purger {
  return {
    name: 'Fastly',
    async purge(keys) {
      for (const batch of batches(keys, 256)) {
        const res = await send('Fastly', `${config.apiUrl}/service/${encodeURIComponent(config.serviceId)}/purge`, {
          method: 'POST',
          headers: { 'fastly-key': config.token, accept: 'application/json', 'content-type': 'application/json' },
          body: JSON.stringify({ surrogate_keys: batch }),
        });
        await res.arrayBuffer();
      }
    },
  };
}

/** Cloudflare's purge by cache tag: up to 100 tags per call (POST /zones/{id}/purge_cache); `success` must be true. */
export function cloudflarePurger(config: NonNullable<PurgeConfig['cloudflare']>): Purger {
  return {
    name: 'Cloudflare',
    async purge(keys) {
      for (const batch of batches(keys, 100)) {
        const res = await send('Cloudflare', `${config.apiUrl}/zones/${encodeURIComponent(config.zoneId)}/purge_cache`, {
          method: 'POST',
          headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ tags: batch }),
        });
        const answer = (await res.json().catch(() => ({}))) as { success?: unknown; errors?: { message?: string }[] };
        if (answer.success !== true) throw new Error(`Cloudflare purge: not accepted (${answer.errors?.map((e) => e.message).join('; ') || 'no success in the answer'})`);
      }
    },
  };
}

export function configuredPurgers(config: PurgeConfig): Purger[] {
  return [
    ...config.httpUrls.map(httpPurger),
    ...(config.fastly ? [fastlyPurger(config.fastly)] : []),
    ...(config.cloudflare ? [cloudflarePurger(config.cloudflare)] : []),
  ];
}
