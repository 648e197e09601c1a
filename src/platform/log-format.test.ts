import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLogLine } from './log-format.ts';

test('pino JSON lines read as time, level, message and fields', () => {
  const line = JSON.stringify({ level: 30, time: Date.UTC(2026, 10, 26, 12, 1, 2), pid: 1, hostname: 'h', msg: 'Bulletin is serving', port: 3000 });
  assert.equal(formatLogLine(line), '12:01:02 INFO  Bulletin is serving port=3000');
});

test('errors show their stack; lines that are not JSON pass through', () => {
  const line = JSON.stringify({ level: 50, time: 0, msg: 'request failed', err: { message: 'boom', stack: 'Error: boom\n    at x' } });
  assert.equal(formatLogLine(line), '00:00:00 ERROR request failed\nError: boom\n    at x');
  assert.equal(formatLogLine('plain text'), 'plain text');
});
