// Sends one web push message (RFC 8030) with the web-push library's encryption (aes128gcm, RFC
// 8291) and a VAPID token (RFC 8292), over a keep-alive HTTPS agent with a bounded number of
// sockets per push service. What the push service answered is turned into what the fan-out does
// next: sent; gone (404/410: the browser unsubscribed, drop the subscription); later (429, 5xx,
// a timeout or a dropped connection, with the service's Retry-After when it gave one); or failed.
import dns from 'node:dns';
import fs from 'node:fs';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import tls from 'node:tls';
import webpush from 'web-push';
import { isLocalName, isPrivateAddress } from './private-address.ts';
import type { VapidKeys } from './vapid-keys.ts';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushMessage {
  /** The JSON the service worker reads (title, text, url, icon, tag). */
  payload: string;
  /** Collapses repeats: a second delivery of the same alert replaces the first at the push service. */
  topic: string;
  /** How long the push service may hold it for an offline browser, in seconds. */
  ttlSeconds: number;
}

export type PushOutcome =
  | { kind: 'sent'; status: number }
  | { kind: 'gone'; status: number }
  | { kind: 'later'; reason: string; retryAfterMs?: number }
  | { kind: 'failed'; reason: string };

export interface PushSender {
  send(target: PushTarget, message: PushMessage): Promise<PushOutcome>;
  close(): void;
}

export interface PushSenderOptions {
  keys: () => Promise<VapidKeys>;
  /** VAPID `sub`: a mailto: or https: contact for the push services. */
  subject: string;
  /** Loopback and private addresses allowed (tests); refused otherwise, at every DNS answer. */
  allowPrivate: boolean;
  /** PEM of extra certificate authorities to trust besides the system's (tests, a private relay). */
  caFile?: string | null;
  /** The whole request, connect to response, in ms. */
  timeoutMs?: number;
  /** Sockets per push service (origin); the fan-out's per-origin concurrency should not exceed it. */
  socketsPerOrigin?: number;
}

/** VAPID tokens live at most 24 h (RFC 8292 §2); one is made per push service and kept 12 h. */
const TOKEN_HOURS = 12;
const HOUR = 3600_000;

export function webPushSender(options: PushSenderOptions): PushSender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  // One TLS context for every connection: passing `ca` alone would parse every root certificate
  // again for each new socket.
  const secureContext = options.caFile ? tls.createSecureContext({ ca: [...tls.rootCertificates, fs.readFileSync(options.caFile, 'utf8')] }) : undefined;
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: options.socketsPerOrigin ?? 64,
    maxFreeSockets: options.socketsPerOrigin ?? 64,
    scheduling: 'lifo',
    secureContext,
    lookup: options.allowPrivate ? undefined : publicOnlyLookup,
  });
  const tokens = new Map<string, { header: string; renewAt: number }>();

  async function authorization(origin: string): Promise<string> {
    const cached = tokens.get(origin);
    if (cached && cached.renewAt > Date.now()) return cached.header;
    const keys = await options.keys();
    const expiration = Math.floor(Date.now() / 1000) + TOKEN_HOURS * 3600;
    const { Authorization } = webpush.getVapidHeaders(origin, options.subject, keys.publicKey, keys.privateKey, 'aes128gcm', expiration);
    tokens.set(origin, { header: Authorization, renewAt: Date.now() + (TOKEN_HOURS - 1) * HOUR });
    return Authorization;
  }

  return {
    async send(target, message) {
      let url: URL;
      try {
        url = new URL(target.endpoint);
      } catch {
        return { kind: 'failed', reason: 'the endpoint is not a URL' };
      }
      // DNS is not asked for an address literal, so the lookup guard never sees it: checked here.
      if (!options.allowPrivate && (isPrivateAddress(url.hostname) || isLocalName(url.hostname))) return { kind: 'failed', reason: 'the endpoint points at a private address' };
      let details: webpush.RequestDetails;
      try {
        details = webpush.generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, message.payload, {
          TTL: message.ttlSeconds,
          urgency: 'high',
          topic: message.topic,
          contentEncoding: 'aes128gcm',
          // The token is signed once per push service (above), not once per message.
          vapidDetails: undefined,
          headers: { Authorization: await authorization(url.origin) },
        });
      } catch (error) {
        return { kind: 'failed', reason: `could not encrypt for this subscription: ${(error as Error).message}` };
      }
      return post(url, details, agent, timeoutMs);
    },
    close() {
      agent.destroy();
    },
  };
}

function post(url: URL, details: webpush.RequestDetails, agent: https.Agent, timeoutMs: number): Promise<PushOutcome> {
  return new Promise((resolve) => {
    const request = https.request(url, { method: 'POST', headers: details.headers as Record<string, string | number>, agent });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('response', (response) => {
      // The body says nothing we act on; read and drop it so the socket goes back to the pool.
      response.resume();
      response.on('end', () => {
        clearTimeout(timer);
        resolve(outcome(response.statusCode ?? 0, response.headers['retry-after']));
      });
      response.on('error', () => undefined);
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      if ((error as NodeJS.ErrnoException).code === 'EPRIVATE') return resolve({ kind: 'failed', reason: error.message });
      resolve({ kind: 'later', reason: `${(error as NodeJS.ErrnoException).code ?? 'connection'}: ${error.message}` });
    });
    request.end(details.body);
  });
}

/** What the fan-out does with a push service's answer. */
export function outcome(status: number, retryAfter: string | undefined, now = Date.now()): PushOutcome {
  if (status >= 200 && status < 300) return { kind: 'sent', status };
  if (status === 404 || status === 410) return { kind: 'gone', status };
  if (status === 429 || status >= 500) return { kind: 'later', reason: `the push service answered ${status}`, retryAfterMs: parseRetryAfter(retryAfter, now) };
  return { kind: 'failed', reason: `the push service refused it (${status})` };
}

/** Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** DNS, but an answer that names a private or loopback address is an error (no SSRF by DNS). */
const publicOnlyLookup: LookupFunction = (hostname, lookupOptions, callback) => {
  if (isLocalName(hostname)) return callback(Object.assign(new Error(`${hostname} is a local name`), { code: 'EPRIVATE' }), '', 4);
  dns.lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    const list = addresses as dns.LookupAddress[];
    const blocked = list.find((a) => isPrivateAddress(a.address));
    if (blocked || list.length === 0) return callback(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }), '', 4);
    if (lookupOptions.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};
