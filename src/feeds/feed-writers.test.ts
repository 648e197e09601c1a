// The three writers on one document (pure): escaping, dates in each format's own form, an entry
// without a picture or full text; and the checks the feed tests rely on do find the validator's
// usual problems when they are there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atomProblems, jsonFeedProblems, rssProblems } from '../../test/helpers/feed-checks.ts';
import { renderAtom } from './atom.ts';
import type { FeedDocument } from './feed-document.ts';
import { renderJsonFeed } from './json-feed.ts';
import { renderRss } from './rss.ts';

const feed: FeedDocument = {
  title: 'Gazette & Co <News>',
  description: 'All the "news"',
  homeUrl: 'https://news.example/',
  addresses: { rss: 'https://news.example/feed.xml', atom: 'https://news.example/atom.xml', json: 'https://news.example/feed.json' },
  language: 'en',
  updatedAt: '2026-11-20T10:00:00.000Z',
  icon: 'https://news.example/favicon.svg',
  siteName: 'Gazette & Co',
  entries: [
    {
      id: 'tag:news.example,2026-11-20:story:7',
      url: 'https://news.example/national/a-b',
      title: 'Tolls <rise> & "fall"',
      summary: 'Tolls rise \u0001 and fall.',
      publishedAt: '2026-11-20T08:00:00.000Z',
      updatedAt: '2026-11-20T10:00:00.000Z',
      authors: [{ name: 'Northwire' }],
      contributors: [],
      categories: [{ term: 'national', label: 'National' }],
    },
  ],
};

test('every writer escapes, dates each format its own way, and passes the checks', () => {
  const rss = renderRss(feed);
  assert.match(rss, /<title>Tolls &lt;rise&gt; &amp; &quot;fall&quot;<\/title>/);
  assert.match(rss, /<pubDate>Fri, 20 Nov 2026 08:00:00 GMT<\/pubDate>/);
  assert.match(rss, /<description>Tolls rise {2}and fall\.<\/description>/, 'characters XML forbids are dropped');
  assert.doesNotMatch(rss, /<enclosure|<content:encoded|<media:content/);
  assert.deepEqual(rssProblems(rss, feed.addresses.rss), []);
  const atom = renderAtom(feed);
  assert.match(atom, /<published>2026-11-20T08:00:00.000Z<\/published>\n<updated>2026-11-20T10:00:00.000Z<\/updated>/);
  assert.deepEqual(atomProblems(atom, feed.addresses.atom), []);
  const json = renderJsonFeed(feed);
  assert.equal((JSON.parse(json) as { items: { content_text: string }[] }).items[0]!.content_text, 'Tolls rise \u0001 and fall.');
  assert.deepEqual(jsonFeedProblems(json, feed.addresses.json), []);
});

test('the checks find the validator’s usual problems', () => {
  const rss = renderRss(feed);
  assert.ok(rssProblems(rss, 'https://news.example/other.xml').some((p) => /self link/.test(p)));
  assert.ok(rssProblems(rss.replace(' isPermaLink="false"', ''), feed.addresses.rss).some((p) => /isPermaLink/.test(p)));
  assert.ok(rssProblems(rss.replace('Fri, 20 Nov 2026 08:00:00 GMT', '2026-11-20T08:00:00Z'), feed.addresses.rss).some((p) => /RFC 822/.test(p)));
  assert.ok(rssProblems(rss.replace('<dc:creator>Northwire</dc:creator>', '<author>Northwire</author>'), feed.addresses.rss).some((p) => /email/.test(p)));
  assert.ok(rssProblems(rss.replace('</item>', '<enclosure url="https://news.example/a.jpg" type="image/jpeg"/></item>'), feed.addresses.rss).some((p) => /enclosure/.test(p)));
  assert.throws(() => rssProblems(rss.replace(' xmlns:dc="http://purl.org/dc/elements/1.1/"', ''), feed.addresses.rss), 'an undeclared prefix');
  const atom = renderAtom(feed);
  assert.ok(atomProblems(atom.replace('<updated>2026-11-20T10:00:00.000Z</updated>\n<author>', '<updated>2026-11-20 10:00</updated>\n<author>'), feed.addresses.atom).some((p) => /RFC 3339/.test(p)));
  assert.ok(atomProblems(atom.replace('<updated>2026-11-20T10:00:00.000Z</updated>\n<entry>', '<updated>2026-11-20T10:00:00.000Z</updated>\n<entry>').replace(/<published>[^<]+</, '<published>2026-11-21T00:00:00Z<'), feed.addresses.atom).some((p) => /updated before published/.test(p)));
  const json = JSON.parse(renderJsonFeed(feed)) as Record<string, unknown>;
  assert.ok(jsonFeedProblems(JSON.stringify({ ...json, version: 'https://jsonfeed.org/version/1' }), feed.addresses.json).some((p) => /version/.test(p)));
  assert.ok(jsonFeedProblems(JSON.stringify({ ...json, items: [{ id: 'x', url: 'https://news.example/x', author: { name: 'A' } }] }), feed.addresses.json).some((p) => /content_html|1\.0/.test(p)));
});
