// A crowd of readers with a page open, for `bench alerts-banner`: holds `count` live-banner streams
// (`/alerts/live`) in a process of its own, so the load generator and the server keep their event
// loops. Prints "ready <n>" once every stream is open; then, for each alert event, the time each
// stream received it; "report" on stdin prints them as one JSON line and exits.
import http from 'node:http';

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const received = []; // per alert id: receive times (ms since the epoch)
let open = 0;
let failed = 0;

function connect() {
  return new Promise((resolve) => {
    const request = http.get(`${url}/alerts/live`, { agent }, (res) => {
      if (res.statusCode !== 200) {
        failed++;
        res.resume();
        return resolve();
      }
      open++;
      resolve();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(frame)?.[1];
          if (id && /^event: alert$/m.test(frame)) (received[id] ??= []).push(Date.now());
        }
      });
    });
    request.on('error', () => {
      failed++;
      resolve();
    });
  });
}

for (let i = 0; i < count; i += 250) {
  await Promise.all(Array.from({ length: Math.min(250, count - i) }, connect));
}
process.stdout.write(`ready ${open} ${failed}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (line) => {
  if (!line.startsWith('report')) return;
  process.stdout.write(`${JSON.stringify({ open, failed, received: Object.fromEntries(Object.entries(received)) })}\n`);
  process.exit(0);
});
