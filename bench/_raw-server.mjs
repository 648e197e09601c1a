// The baseline: a bare node:http server that sends one recorded response (status, headers, bytes)
// to every request. Nothing serves those bytes faster from Node, so it bounds the page cache.
// Plain JavaScript, run by plain node: no loader between it and the socket.
import fs from 'node:fs';
import http from 'node:http';

const recorded = JSON.parse(fs.readFileSync(process.env.BENCH_RAW_FILE, 'utf8'));
const body = Buffer.from(recorded.body, 'base64');
// A flat [name, value, …] list: the cheapest form of headers for writeHead.
const headers = Object.entries({ ...recorded.headers, 'content-length': String(body.length) }).flat();
const server = http.createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
// The same server settings as Bulletin's (Fastify's defaults): no per-request timeout timer, long keep-alive.
server.requestTimeout = 0;
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
