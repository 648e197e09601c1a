// Sends one web push message (RFC 8030) with the web-push library's encryption (aes128gcm, RFC
// 8291; on a thread of its own, push-encryption-thread.ts) and a VAPID token (RFC 8292). Each
// push service (origin) is reached over HTTP/2 when it offers it (the large ones do): one
// connection carries every message to it, as many at once as the fan-out sends, at about two
// thirds of HTTP/1.1's cost per message. A service that answers the TLS handshake with HTTP/1.1
// gets a keep-alive HTTPS agent with a bounded number of sockets.
// What the push service answered is turned into what the fan-out does next: sent; gone (404/410:
// the browser unsubscribed, drop the subscription); later (429, 5xx, a timeout or a dropped
// connection, with the service's Retry-After when it gave one); or failed.
import dns from 'node:dns';
import fs from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import tls from 'node:tls';
import webpush from 'web-push';
import type { Encrypted } from './push-encryption.ts';
import { encryptionThread } from './push-encryption-thread.ts';
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
  const lookup = options.allowPrivate ? undefined : publicOnlyLookup;
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: options.socketsPerOrigin ?? 64,
    maxFreeSockets: options.socketsPerOrigin ?? 64,
    scheduling: 'lifo',
    secureContext,
    lookup,
  });
  const encryptor = encryptionThread();
  const tokens = new Map<string, { header: string; renewAt: number }>();
  const routes = new Map<string, Promise<Route>>();

  /** How messages reach `url`'s push service: its HTTP/2 connection, or the HTTPS agent. */
  function routeFor(url: URL): Promise<Route> {
    let route = routes.get(url.origin);
    if (!route) {
      route = connectRoute(url, { secureContext, lookup, timeoutMs, forget: () => routes.delete(url.origin) });
      routes.set(url.origin, route);
      // A failed connection is tried afresh by the next message (the fan-out backs off first).
      route.catch(() => routes.delete(url.origin));
    }
    return route;
  }

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
      const details = await encryptor.encrypt({ endpoint: target.endpoint, p256dh: target.p256dh, auth: target.auth, payload: message.payload, ttlSeconds: message.ttlSeconds, topic: message.topic, authorization: await authorization(url.origin) });
      if (details.kind === 'refused') return { kind: 'failed', reason: details.reason };
      if (details.kind === 'later') return { kind: 'later', reason: details.reason };
      let route: Route;
      try {
        route = await routeFor(url);
      } catch (error) {
        return connectionOutcome(error as Error);
      }
      if (route.kind === 'h1') return post(url, details, agent, timeoutMs);
      // A message on its way keeps the process running, as a socket in use does.
      if (route.inFlight.count++ === 0) route.session.ref();
      try {
        return await postOverSession(route.session, url, details, timeoutMs);
      } finally {
        if (--route.inFlight.count === 0) route.session.unref();
      }
    },
    close() {
      encryptor.close();
      agent.destroy();
      for (const route of routes.values()) void route.then((r) => r.kind === 'h2' && r.session.destroy(), () => undefined);
      routes.clear();
    },
  };
}

type Ready = Extract<Encrypted, { kind: 'ready' }>;

type Route = { kind: 'h2'; session: http2.ClientHttp2Session; inFlight: { count: number } } | { kind: 'h1' };

/** An HTTP/2 connection with nothing to send for this long is closed (the next alert opens another). */
const IDLE_MS = 60_000;

/**
 * One TLS connection to the push service offering h2 and http/1.1 (ALPN): with h2 it becomes the
 * origin's HTTP/2 session, forgotten when it closes or fails; otherwise it is closed and the
 * origin uses the HTTPS agent from then on.
 */
function connectRoute(url: URL, options: { secureContext?: tls.SecureContext; lookup?: LookupFunction; timeoutMs: number; forget: () => void }): Promise<Route> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: url.hostname,
      port: Number(url.port) || 443,
      servername: isIP(url.hostname) ? undefined : url.hostname,
      ALPNProtocols: ['h2', 'http/1.1'],
      secureContext: options.secureContext,
      lookup: options.lookup,
    });
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS handshake within ${options.timeoutMs} ms`)), options.timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      if (socket.alpnProtocol !== 'h2') {
        socket.destroy();
        return resolve({ kind: 'h1' });
      }
      const session = http2.connect(url.origin, { createConnection: () => socket });
      session.on('error', () => undefined);
      for (const event of ['close', 'goaway', 'error'] as const) session.once(event, options.forget);
      session.setTimeout(IDLE_MS, () => session.close());
      // Like the agent's idle sockets, an idle session does not keep the process running.
      session.unref();
      resolve({ kind: 'h2', session, inFlight: { count: 0 } });
    });
  });
}

/** One message as a stream of the origin's HTTP/2 session. */
function postOverSession(session: http2.ClientHttp2Session, url: URL, details: Ready, timeoutMs: number): Promise<PushOutcome> {
  return new Promise((resolve) => {
    const headers: http2.OutgoingHttpHeaders = { ':method': 'POST', ':path': `${url.pathname}${url.search}` };
    for (const [name, value] of Object.entries(details.headers)) headers[name.toLowerCase()] = value as string | number;
    let stream: http2.ClientHttp2Stream;
    try {
      stream = session.request(headers);
    } catch (error) {
      return resolve(connectionOutcome(error as Error));
    }
    const timer = setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), timeoutMs);
    let status = 0;
    let retryAfter: string | undefined;
    stream.on('response', (answer) => {
      status = Number(answer[':status']);
      retryAfter = typeof answer['retry-after'] === 'string' ? answer['retry-after'] : undefined;
    });
    // The body says nothing we act on; reading it lets the stream end.
    stream.resume();
    stream.on('error', () => undefined);
    stream.on('close', () => {
      clearTimeout(timer);
      resolve(status ? outcome(status, retryAfter) : { kind: 'later', reason: stream.rstCode === http2.constants.NGHTTP2_CANCEL ? `no answer within ${timeoutMs} ms` : 'the connection to the push service was lost' });
    });
    stream.end(details.body);
  });
}

/** A connection that could not be made: a private address is final, anything else is "later". */
function connectionOutcome(error: Error): PushOutcome {
  if ((error as NodeJS.ErrnoException).code === 'EPRIVATE') return { kind: 'failed', reason: error.message };
  return { kind: 'later', reason: `${(error as NodeJS.ErrnoException).code ?? 'connection'}: ${error.message}` };
}

function post(url: URL, details: Ready, agent: https.Agent, timeoutMs: number): Promise<PushOutcome> {
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
      resolve(connectionOutcome(error));
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
