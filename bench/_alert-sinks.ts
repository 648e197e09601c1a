// The receiving side of `npm run bench -- alerts`, one per process (so it does not share the
// sender's event loop): `push` is an HTTPS push service speaking HTTP/2 and HTTP/1.1, as the large
// ones do (self-signed certificate)
// that accepts every message for one browser key pair and decrypts one in 100 to prove the
// encryption; `smtp` is an SMTP server that counts mails. Each tells its parent where it listens,
// then answers 'stats' with what it received (since the last 'reset') and when (epoch ms) the first and last arrived.
import { createECDH, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { decrypt } from 'http_ece';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';

const kind = process.argv[2];
const stats = { count: 0, first: 0, last: 0, decrypted: 0, problems: 0, topics: new Set<string>() };
const arrived = () => {
  const now = Date.now();
  stats.count++;
  stats.first ||= now;
  stats.last = now;
};
process.on('message', (message) => {
  if (message === 'stats') process.send!({ count: stats.count, first: stats.first, last: stats.last, decrypted: stats.decrypted, problems: stats.problems, topics: [...stats.topics] });
  if (message === 'reset') {
    Object.assign(stats, { count: 0, first: 0, last: 0, decrypted: 0, problems: 0, topics: new Set<string>() });
    process.send!('reset');
  }
  if (message === 'exit') process.exit(0);
});

if (kind === 'push') {
  const made = await generate([{ name: 'commonName', value: '127.0.0.1' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', extensions: [{ name: 'basicConstraints', cA: true }, { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }] });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-bench-push-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, made.cert);
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16).toString('base64url');
  const server = http2.createSecureServer({ key: made.private, cert: made.cert, allowHTTP1: true }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      arrived();
      if (typeof request.headers.topic === 'string') stats.topics.add(request.headers.topic);
      if (stats.count % 100 === 1) {
        try {
          JSON.parse(decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: ecdh, authSecret: auth }).toString());
          stats.decrypted++;
        } catch {
          stats.problems++;
        }
      }
      response.writeHead(201).end();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.send!({ origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, caFile, p256dh: ecdh.getPublicKey().toString('base64url'), auth });
  });
} else {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 1024 * 1024,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        arrived();
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  server.listen(0, '127.0.0.1', () => process.send!({ url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}` }));
}
