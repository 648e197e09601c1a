// A real push service for tests, on 127.0.0.1 over HTTPS with a self-signed certificate made
// here (the sender trusts it through PUSH_CA_FILE), speaking HTTP/2 and HTTP/1.1 as the large
// push services do (or HTTP/1.1 only, with `http1Only`). It plays the browsers too: each subscription
// it hands out has its own P-256 key pair and auth secret, so every message received is checked
// as a browser would: the VAPID token's signature (ES256 over the site's public key), its
// audience and expiry, the headers (aes128gcm, TTL, Urgency, Topic), and the payload decrypted
// (RFC 8291) with that subscription's private key. Subscriptions can be told to misbehave: gone
// (404/410), busy (429 with Retry-After), broken (500), or slow (answers after a delay).
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { decrypt } from 'http_ece';
import { generate } from 'selfsigned';

export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'gone'; status: 404 | 410 }
  /** Answers `status` (429 or 5xx) to the next `times` messages, with Retry-After seconds if given. */
  | { kind: 'busy'; status: number; times: number; retryAfter?: string }
  /** Waits `ms` before answering 201. */
  | { kind: 'slow'; ms: number };

export interface ReceivedPush {
  /** The subscription's id (the last part of its endpoint). */
  id: string;
  payload: unknown;
  topic: string | undefined;
  ttl: string | undefined;
  urgency: string | undefined;
  /** The VAPID public key the token was signed with (k=…). */
  vapidKey: string;
}

export interface TestSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface TestPushService {
  /** https://127.0.0.1:<port> */
  origin: string;
  /** The certificate file to trust (PUSH_CA_FILE). */
  caFile: string;
  /** A browser's subscription on this service: a fresh key pair and auth secret. */
  subscribe(behaviour?: Behaviour): TestSubscription;
  behave(id: string, behaviour: Behaviour): void;
  /** Every message accepted (2xx), decrypted and checked, in order of arrival. */
  received: ReceivedPush[];
  /** Messages answered with something else than 2xx, by status. */
  refused: Map<number, number>;
  /** Messages whose token, headers or encryption were wrong (a failing test names them). */
  problems: string[];
  /** The HTTP version of each message accepted, in order ('2.0' or '1.1'). */
  versions: string[];
  waitFor(count: number, ms?: number): Promise<ReceivedPush[]>;
  close(): Promise<void>;
}

interface Known {
  ecdh: ECDH;
  auth: string;
  behaviour: Behaviour;
}

let certificate: Promise<{ key: string; cert: string; file: string }> | undefined;

/** One certificate per test process (making one takes a moment), for 127.0.0.1. */
function testCertificate() {
  certificate ??= generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  }).then((made) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-push-ca-'));
    const file = path.join(dir, 'push-ca.pem');
    fs.writeFileSync(file, made.cert);
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return { key: made.private, cert: made.cert, file };
  });
  return certificate;
}

export async function startPushService(options: { decrypt?: boolean; http1Only?: boolean } = {}): Promise<TestPushService> {
  const { key, cert, file } = await testCertificate();
  const known = new Map<string, Known>();
  const pending = new Set<NodeJS.Timeout>();
  let next = 0;
  const service: TestPushService = {
    origin: '',
    caFile: file,
    received: [],
    refused: new Map(),
    problems: [],
    versions: [],
    subscribe(behaviour = { kind: 'ok' }) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      const id = `s${++next}-${randomBytes(6).toString('base64url')}`;
      known.set(id, { ecdh, auth, behaviour });
      return { id, endpoint: `${service.origin}/push/${id}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth } };
    },
    behave(id, behaviour) {
      known.get(id)!.behaviour = behaviour;
    },
    async waitFor(count, ms = 30_000) {
      const until = Date.now() + ms;
      while (service.received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} pushes, got ${service.received.length} (refused: ${JSON.stringify([...service.refused])}, problems: ${service.problems.slice(0, 3).join('; ')})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return service.received;
    },
    close: () =>
      new Promise((resolve) => {
        for (const timer of pending) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const refuse = (status: number) => service.refused.set(status, (service.refused.get(status) ?? 0) + 1);

  const sockets = new Set<Socket>();
  const handle = (request: http2.Http2ServerRequest | IncomingMessage, response: http2.Http2ServerResponse | ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const id = /^\/push\/([\w-]+)$/.exec(request.url ?? '')?.[1];
      const subscription = id ? known.get(id) : undefined;
      if (!id || !subscription || request.method !== 'POST') {
        refuse(404);
        return response.writeHead(404).end();
      }
      const behaviour = subscription.behaviour;
      if (behaviour.kind === 'gone') {
        refuse(behaviour.status);
        return response.writeHead(behaviour.status).end();
      }
      if (behaviour.kind === 'busy' && behaviour.times > 0) {
        behaviour.times--;
        refuse(behaviour.status);
        return response.writeHead(behaviour.status, behaviour.retryAfter ? { 'retry-after': behaviour.retryAfter } : {}).end();
      }
      const accept = () => {
        const checked = check(request.headers, Buffer.concat(chunks), subscription, `${service.origin}`, options.decrypt !== false);
        if ('problem' in checked) {
          service.problems.push(`${id}: ${checked.problem}`);
          refuse(400);
          return response.writeHead(400).end(checked.problem);
        }
        service.received.push({ id, ...checked });
        service.versions.push(request.httpVersion);
        response.writeHead(201, { location: `${service.origin}/message/${service.received.length}` }).end();
      };
      if (behaviour.kind === 'slow') {
        const timer = setTimeout(() => (pending.delete(timer), accept()), behaviour.ms);
        pending.add(timer);
      } else accept();
    });
  };
  const server = options.http1Only
    ? https.createServer({ key, cert, keepAliveTimeout: 30_000 }, handle)
    : http2.createSecureServer({ key, cert, allowHTTP1: true }, handle);
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return service;
}

/** Checks one message as a push service and a browser would; the decrypted JSON, or the problem. */
function check(headers: Record<string, string | string[] | undefined>, body: Buffer, subscription: Known, origin: string, decryptIt: boolean): Omit<ReceivedPush, 'id'> | { problem: string } {
  if (headers['content-encoding'] !== 'aes128gcm') return { problem: `Content-Encoding is ${String(headers['content-encoding'])}` };
  const vapid = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(String(headers.authorization ?? ''));
  if (!vapid) return { problem: `no VAPID Authorization: ${String(headers.authorization)}` };
  const [, token, k] = vapid as unknown as [string, string, string];
  const [head, claims, signature] = token.split('.') as [string, string, string];
  const raw = Buffer.from(k, 'base64url');
  const jwk = { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') };
  const signed = verify('sha256', Buffer.from(`${head}.${claims}`), { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  if (!signed) return { problem: 'the VAPID signature does not verify' };
  const claim = JSON.parse(Buffer.from(claims, 'base64url').toString()) as { aud?: string; exp?: number; sub?: string };
  if (claim.aud !== origin) return { problem: `VAPID aud is ${claim.aud}, not ${origin}` };
  if (!claim.exp || claim.exp * 1000 < Date.now() || claim.exp * 1000 > Date.now() + 24 * 3600_000) return { problem: `VAPID exp out of range: ${claim.exp}` };
  if (!/^(mailto:|https:)/.test(claim.sub ?? '')) return { problem: `VAPID sub is ${claim.sub}` };
  let payload: unknown = null;
  if (decryptIt) {
    try {
      payload = JSON.parse(decrypt(body, { version: 'aes128gcm', privateKey: subscription.ecdh, authSecret: subscription.auth }).toString('utf8'));
    } catch (error) {
      return { problem: `the payload does not decrypt: ${(error as Error).message}` };
    }
  }
  const one = (name: string) => (typeof headers[name] === 'string' ? (headers[name] as string) : undefined);
  return { payload, topic: one('topic'), ttl: one('ttl'), urgency: one('urgency'), vapidKey: k };
}
