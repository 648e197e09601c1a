// Reader pages are valid HTML (DESIGN §7: vnu, 0 errors) and the feeds are well-formed XML. Pages
// come from app.inject (no browser, no socket); all of them go through ONE vnu run, since each JVM
// start costs about a second.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { CaptureImporter } from '../../src/importers/capture-import.ts';
import { buildTestApp, sameOnEveryEngine, type TestApp } from '../helpers/build-test-app.ts';
import { demoReaderPages, type ReaderPage } from './_reader-pages.ts';

const VNU_JAR = fileURLToPath(new URL('../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url));
const SEED = new URL('../fixtures/captures/seed.txt', import.meta.url);

const hasJava = spawnSync('java', ['-version'], { stdio: 'ignore' }).error === undefined;
const skip = !hasJava ? '`java` is not on PATH: vnu HTML validation skipped' : !fs.existsSync(VNU_JAR) ? 'vnu-jar is not installed' : false;

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  lastColumn?: number;
  message: string;
  extract?: string;
}

/** One JVM for all files. vnu prints its JSON report on stderr and exits 1 when it finds errors. */
function runVnu(files: string[]): VnuMessage[] {
  const run = spawnSync('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', timeout: 120_000 });
  if (run.error) throw run.error;
  let report: { messages: VnuMessage[] };
  try {
    report = JSON.parse(run.stderr) as { messages: VnuMessage[] };
  } catch {
    throw new Error(`vnu did not print a JSON report (exit ${run.status}):\n${run.stderr}\n${run.stdout}`);
  }
  assert.equal(run.status === 0, report.messages.length === 0, `vnu exit ${run.status} agrees with its report`);
  return report.messages;
}

/**
 * A small well-formedness check for the feeds (vnu cannot validate XML): every tag closes in
 * order, attribute values are quoted and every `&` starts an entity. Not a full XML parser, but it
 * catches the usual feed bugs: unescaped text, unclosed elements, a broken declaration.
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  if (!xml.startsWith('<?xml ')) problems.push('no XML declaration at the very start');
  const text = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  for (const bad of text.match(/&(?!(?:[a-zA-Z][\w.-]*|#\d+|#x[\da-fA-F]+);)[^\s]{0,12}/g) ?? []) problems.push(`bare "&" at "${bad}"`);
  const stack: string[] = [];
  for (const [tag, closing, name, attrs, selfClosing] of text.matchAll(/<(\/?)([A-Za-z_][\w:.-]*)([^>]*?)(\/?)>/g)) {
    if (/=\s*[^"'\s]/.test(attrs!.replace(/"[^"]*"|'[^']*'/g, '""'))) problems.push(`unquoted attribute in ${tag}`);
    if (selfClosing) continue;
    if (!closing) stack.push(name!);
    else if (stack.pop() !== name) problems.push(`</${name}> closes the wrong element`);
  }
  if (stack.length) problems.push(`unclosed elements: ${stack.join(', ')}`);
  if (/<(?![A-Za-z_/])/.test(text)) problems.push('a bare "<" in text');
  return problems;
}

describe('reader pages are valid HTML; feeds are well-formed', { skip: skip || sameOnEveryEngine('Reader pages’ markup'), timeout: 180_000 }, () => {
  let testApp: TestApp;
  let pages: ReaderPage[];
  let dir: string;

  before(async () => {
    testApp = await buildTestApp({ SITE_NAME: 'Technical News' });
    await seedDemo(testApp.services);
    // The seed story goes in through the same importer the CLI uses.
    const importer = new CaptureImporter({ articles: testApp.services.articles, videos: testApp.services.videos });
    const seed = await importer.importText(fs.readFileSync(SEED, 'utf8'), { fileName: 'seed.txt', publish: true });
    pages = [{ name: 'seed article', path: seed.url, status: 200 }, ...(await demoReaderPages(testApp.services))];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-vnu-'));
  });

  after(async () => {
    await testApp?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('vnu finds 0 errors in the seed story, front, section, author, demo story and 404 pages', async () => {
    const files = new Map<string, string>();
    for (const [i, page] of pages.entries()) {
      const res = await testApp.app.inject({ method: 'GET', url: page.path });
      assert.equal(res.statusCode, page.status, `${page.name} (${page.path}) answers ${page.status}`);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      const file = path.join(dir, `${i}-${page.name.replace(/\W+/g, '-')}.html`);
      fs.writeFileSync(file, res.body);
      files.set(file, `${page.name} (${page.path})`);
    }
    const messages = runVnu([...files.keys()]);
    const described = messages.map((m) => {
      const file = m.url ? fileURLToPath(m.url) : '?';
      return `  ${files.get(file) ?? file}:${m.lastLine ?? '?'}:${m.lastColumn ?? '?'} ${m.type}: ${m.message}\n    ${m.extract?.replace(/\n/g, ' ') ?? ''}`;
    });
    assert.equal(messages.length, 0, `vnu errors:\n${described.join('\n')}`);
  });

  test('the site feed and a section feed are well-formed XML', async () => {
    for (const url of ['/feed.xml', '/national/feed.xml']) {
      const res = await testApp.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /xml/, `${url} content type`);
      assert.deepEqual(xmlProblems(res.body), [], `${url} is well-formed`);
      assert.match(res.body, /<rss[\s>][\s\S]*<channel>[\s\S]*<item>/, `${url} is an RSS channel with items`);
    }
  });
});
