import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { CaptureError } from './capture-error.ts';
import { MAX_CAPTURE_BYTES, readCaptureFile } from './capture-file.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/captures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bulletin-capture-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function rejects(path: string, reason: RegExp) {
  await assert.rejects(readCaptureFile(path), (error: unknown) => {
    assert.ok(error instanceof CaptureError, String(error));
    assert.equal(error.file, path);
    assert.ok(error.message.startsWith(`${path}: `), error.message);
    assert.match(error.reason, reason);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
}

describe('readCaptureFile', () => {
  it('reads a UTF-8 capture, keeping its text as is', async () => {
    const text = await readCaptureFile(join(fixtures, 'seed.txt'));
    assert.match(text, /^Technical News\n/);
    assert.match(text, /Russia’s Vladimir Putin/);
  });

  it('drops the BOM and keeps CRLF for the parser to handle', async () => {
    const text = await readCaptureFile(join(fixtures, 'crlf-bom.txt'));
    assert.ok(text.startsWith('Riverside Gazette'));
    assert.match(text, /\r\n/);
  });

  it('refuses a directory', () => rejects(dir, /is a directory/));

  it('refuses a missing file', () => rejects(join(dir, 'nope.txt'), /no such file/));

  it('refuses a file over 5 MB without reading it', async () => {
    const path = join(dir, 'huge.txt');
    writeFileSync(path, '');
    truncateSync(path, MAX_CAPTURE_BYTES + 1);
    await rejects(path, /is 5 MB; a capture file is at most 5 MB|at most 5 MB/);
  });

  it('refuses a 20 MB single line', async () => {
    const path = join(dir, 'one-line.txt');
    writeFileSync(path, `Headline – National\n\n${'x'.repeat(20 * 1024 * 1024)}`);
    await rejects(path, /is 20 MB; a capture file is at most 5 MB/);
  });

  it('refuses invalid UTF-8, saying where', async () => {
    const path = join(dir, 'latin1.txt');
    // "Café – National" saved as Latin-1: é is the lone byte 0xE9.
    writeFileSync(path, Buffer.from([...Buffer.from('Caf'), 0xe9, ...Buffer.from(' – National\n\nText.\n')]));
    await rejects(path, /not valid UTF-8 text \(bad byte at offset 3\)/);
    writeFileSync(path, Buffer.from([...Buffer.from('Café'), 0xff, ...Buffer.from(' – National')]));
    await rejects(path, /bad byte at offset 5\)/);
  });

  it('refuses a binary file', () => rejects(join(fixtures, 'binary.bin'), /binary/));

  it('refuses text full of control characters', async () => {
    const path = join(dir, 'controls.txt');
    writeFileSync(path, `Headline – National\n\n${'\x01\x02\x1b text '.repeat(50)}`);
    await rejects(path, /binary/);
  });

  it('reads an empty file (the parser reports it)', async () => {
    assert.equal(await readCaptureFile(join(fixtures, 'empty.txt')), '');
  });
});
