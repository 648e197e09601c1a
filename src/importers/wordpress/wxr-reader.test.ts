// The streaming WXR reader on its own: records in order however the bytes are cut, and a clear
// refusal for every file that is not a WordPress export we can read — without ever resolving an
// entity (XXE) or expanding one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { wordpressFixture } from '../../../test/helpers/wordpress.ts';
import { readWxr, type WxrRecord } from './wxr-reader.ts';
import { toItem } from './wxr-records.ts';

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function read(bytes: Buffer | string, size = 64 * 1024): Promise<WxrRecord[]> {
  const records: WxrRecord[] = [];
  for await (const record of readWxr(pieces(Buffer.from(bytes), size))) records.push(record);
  return records;
}

const wxr = (items: string, version = '1.2') =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/${version}/"><channel><wp:wxr_version>${version}</wp:wxr_version>${items}</channel></rss>`;

describe('readWxr', () => {
  it('hands out the channel, authors, terms and items in file order', async () => {
    const records = await read(fs.readFileSync(wordpressFixture('site.xml')));
    const kinds = records.map((r) => r.kind);
    assert.equal(kinds[0], 'channel');
    assert.deepEqual(kinds.slice(1, 6), ['author', 'author', 'category', 'category', 'tag']);
    assert.equal(kinds.filter((k) => k === 'item').length, 13);
    const channel = records[0]!;
    assert.ok(channel.kind === 'channel' && channel.version === '1.2' && channel.siteUrl === 'https://technews.example');
  });

  it('reads the same records when the bytes arrive one at a time (multi-byte characters split)', async () => {
    const text = wxr('<item><title>Café “quotes” — 東京</title><wp:post_id>7</wp:post_id><content:encoded><![CDATA[<p>a]]b</p>]]></content:encoded></item>');
    const whole = await read(text);
    const trickle = await read(text, 1);
    assert.deepEqual(trickle, whole);
    const item = trickle.find((r) => r.kind === 'item');
    assert.ok(item && item.kind === 'item');
    assert.equal(toItem(item.node).title, 'Café “quotes” — 東京');
    assert.equal(toItem(item.node).content, '<p>a]]b</p>');
  });

  it('refuses a DOCTYPE with external entities, and never reads the file or calls the network', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.end('<p>fetched</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const secretFile = wordpressFixture('not-xml.txt');
    const hostile = fs.readFileSync(wordpressFixture('xxe.xml'), 'utf8').replace('file:///etc/hostname', `file://${secretFile}`).replace('http://127.0.0.1:9/xxe', `http://127.0.0.1:${port}/xxe`);
    try {
      await assert.rejects(read(hostile), (error: Error) => {
        assert.match(error.message, /declares a DOCTYPE.*refused/);
        assert.ok(!error.message.includes('This is a text file'), 'the file’s content is not in the message');
        return true;
      });
      assert.equal(requests, 0, 'no request reached the server');
    } finally {
      server.close();
    }
  });

  it('refuses entity expansion (billion laughs) before expanding anything', async () => {
    await assert.rejects(read(fs.readFileSync(wordpressFixture('entity-expansion.xml'))), /DOCTYPE/);
  });

  it('an undeclared entity is a well-formedness error, not an empty string', async () => {
    await assert.rejects(read(wxr('<item><title>&secret;</title></item>')), /not well-formed XML/);
  });

  it('says what is wrong with files that are not WordPress exports', async () => {
    await assert.rejects(read('This is a text file, not an export.\n'), /not well-formed XML/);
    await assert.rejects(read(''), /empty or not XML/);
    await assert.rejects(read('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'), /root element is <feed>, not <rss>/);
    await assert.rejects(read(fs.readFileSync(wordpressFixture('plain-rss.xml'))), /not a WordPress export: it has no wp:wxr_version/);
    await assert.rejects(read(fs.readFileSync(wordpressFixture('future-version.xml'))), /WXR version 9\.0 is not one this importer knows/);
    await assert.rejects(read('<rss><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>x</title></item></channel>'), /ends inside <rss>: it looks truncated/);
    await assert.rejects(read(fs.readFileSync(wordpressFixture('truncated.xml'))), /looks truncated/);
  });

  it('hands out the records before a fault, then the fault', async () => {
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const record of readWxr(pieces(Buffer.from(wxr('<item><wp:post_id>1</wp:post_id></item><item><wp:post_id>2</wp:post_id></item><item><oops></item>')), 16))) {
        if (record.kind === 'item') seen.push(toItem(record.node).id);
      }
    }, /not well-formed/);
    assert.deepEqual(seen, ['1', '2']);
  });
});

describe('readWxr with ignored elements', () => {
  it('streams: each item is handed out while the file is still being read (an export of any size costs one item)', async () => {
    let written = 0;
    const seenWhenWritten: number[] = [];
    let seen = 0;
    async function* endless(): AsyncGenerator<string> {
      yield wxr('').replace('</channel></rss>', '');
      for (let n = 1; n <= 2000; n++) {
        seenWhenWritten.push(seen);
        written++;
        yield `<item><wp:post_id>${n}</wp:post_id><content:encoded><![CDATA[${'x'.repeat(10_000)}]]></content:encoded></item>`;
      }
      yield '</channel></rss>';
    }
    for await (const record of readWxr(endless())) if (record.kind === 'item') seen++;
    assert.equal(seen, 2000);
    assert.equal(written, 2000);
    // When item n was written, items up to n-1 had been handed out: nothing waits for the end.
    assert.ok(seenWhenWritten.every((s, i) => s >= i - 1), 'the reader never runs ahead of its consumer');
  });

  it('forgives blank lines before the XML declaration and control characters in the text', async () => {
    const records = await read(`\n\n  ${wxr('<item><title>A\u000bB\u0001C</title><wp:post_id>1</wp:post_id></item>')}`);
    const item = records.find((r) => r.kind === 'item');
    assert.ok(item && item.kind === 'item');
    assert.equal(toItem(item.node).title, 'ABC');
  });

  it('leaves out what the caller ignores, and everything inside it', async () => {
    const text = wxr('<item><title>Kept</title><content:encoded><![CDATA[<p>big</p>]]></content:encoded><wp:comment><wp:comment_id>1</wp:comment_id></wp:comment><wp:post_id>3</wp:post_id></item>');
    const records: WxrRecord[] = [];
    for await (const record of readWxr(pieces(Buffer.from(text), 5), { ignore: new Set(['content:encoded', 'wp:comment']) })) records.push(record);
    const item = records.find((r) => r.kind === 'item');
    assert.ok(item && item.kind === 'item');
    assert.deepEqual(item.node.children.map((c) => c.name), ['title', 'wp:post_id']);
    assert.equal(toItem(item.node).id, '3');
  });
});
