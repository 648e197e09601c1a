// Writes a WordPress export of any size for the import benchmark, streamed to disk (the writer
// never holds more than one item): ten authors, twenty categories, a hundred tags, posts with a
// Gutenberg body of eight blocks and `commentsPerPost` comments each (threaded, some pending),
// and an attachment beside each post (listed as exports list them, never fetched: pictures go
// through sharp and are measured by image-upload; here they weigh on the importer's index).
import fs from 'node:fs';
import { once } from 'node:events';

export interface GeneratedExport {
  file: string;
  posts: number;
  comments: number;
  bytes: number;
  /** The first post's address on the new site, to watch for during the import. */
  firstStoryPath: string;
}

const CATEGORIES = Array.from({ length: 20 }, (_, i) => `Section ${String.fromCharCode(65 + i)}`);
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export async function generateExport(file: string, posts: number, commentsPerPost: number): Promise<GeneratedExport> {
  const out = fs.createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Generated News</title><link>https://generated.example</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://generated.example</wp:base_site_url>
`);
  for (let a = 1; a <= 10; a++) {
    await write(`<wp:author><wp:author_id>${a}</wp:author_id><wp:author_login><![CDATA[writer${a}]]></wp:author_login><wp:author_email><![CDATA[writer${a}@generated.example]]></wp:author_email><wp:author_display_name><![CDATA[Writer Number ${a}]]></wp:author_display_name></wp:author>\n`);
  }
  for (const [i, name] of CATEGORIES.entries()) {
    await write(`<wp:category><wp:term_id>${i + 1}</wp:term_id><wp:category_nicename><![CDATA[${slug(name)}]]></wp:category_nicename><wp:cat_name><![CDATA[${name}]]></wp:cat_name></wp:category>\n`);
  }
  let comments = 0;
  for (let n = 1; n <= posts; n++) {
    const day = new Date(Date.UTC(2020, 0, 1) + n * 3_600_000);
    const date = day.toISOString().slice(0, 19).replace('T', ' ');
    const ymd = date.slice(0, 10).replace(/-/g, '/');
    const category = CATEGORIES[n % CATEGORIES.length]!;
    const body = [
      `<!-- wp:paragraph --><p>Story ${n} opens with <strong>a strong claim</strong> and <a href="https://source.example/${n}">a source</a>.</p><!-- /wp:paragraph -->`,
      `<!-- wp:heading --><h2>What we know about ${n}</h2><!-- /wp:heading -->`,
      `<!-- wp:paragraph --><p>${'A sentence of reporting that carries the story forward. '.repeat(6)}</p><!-- /wp:paragraph -->`,
      `<!-- wp:list --><ul><li>First point</li><li>Second point</li></ul><!-- /wp:list -->`,
      `<!-- wp:quote --><blockquote class="wp-block-quote"><p>A quote from someone.</p><cite>Someone</cite></blockquote><!-- /wp:quote -->`,
      `<!-- wp:embed {"url":"https://www.youtube.com/watch?v=v${n}"} --><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">https://www.youtube.com/watch?v=v${n}</div></figure><!-- /wp:embed -->`,
      `<!-- wp:paragraph --><p>${'More reporting, with detail and context. '.repeat(8)}</p><!-- /wp:paragraph -->`,
      `<!-- wp:paragraph --><p>Closing line ${n}.</p><!-- /wp:paragraph -->`,
    ].join('\n\n');
    let thread = '';
    for (let c = 1; c <= commentsPerPost; c++) {
      const id = ++comments;
      thread += `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author><![CDATA[Reader ${id}]]></wp:comment_author><wp:comment_author_email><![CDATA[reader${id}@mail.example]]></wp:comment_author_email><wp:comment_author_IP><![CDATA[192.0.2.1]]></wp:comment_author_IP><wp:comment_date_gmt><![CDATA[${date}]]></wp:comment_date_gmt><wp:comment_content><![CDATA[Comment ${id} on story ${n}.]]></wp:comment_content><wp:comment_approved><![CDATA[${c % 5 === 0 ? '0' : '1'}]]></wp:comment_approved><wp:comment_parent>${c > 1 && c % 2 === 0 ? id - 1 : 0}</wp:comment_parent></wp:comment>\n`;
    }
    await write(`<item><title><![CDATA[Generated story number ${n}]]></title><link>https://generated.example/${ymd}/generated-story-${n}/</link><dc:creator><![CDATA[writer${(n % 10) + 1}]]></dc:creator><content:encoded><![CDATA[${body}]]></content:encoded><excerpt:encoded><![CDATA[The summary of story ${n}.]]></excerpt:encoded><wp:post_id>${n}</wp:post_id><wp:post_date_gmt><![CDATA[${date}]]></wp:post_date_gmt><wp:post_name><![CDATA[generated-story-${n}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type><category domain="category" nicename="${slug(category)}"><![CDATA[${category}]]></category><category domain="post_tag" nicename="tag-${n % 100}"><![CDATA[Tag ${n % 100}]]></category>
${thread}</item>
<item><title><![CDATA[photo-${n}.jpg]]></title><link>https://generated.example/${ymd}/generated-story-${n}/photo-${n}/</link><wp:post_id>${posts + n}</wp:post_id><wp:post_parent>${n}</wp:post_parent><wp:post_type><![CDATA[attachment]]></wp:post_type><wp:status><![CDATA[inherit]]></wp:status><wp:attachment_url><![CDATA[https://generated.example/wp-content/uploads/${ymd.slice(0, 7)}/photo-${n}.jpg]]></wp:attachment_url><excerpt:encoded><![CDATA[Caption of the photo for story ${n}.]]></excerpt:encoded><wp:postmeta><wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key><wp:meta_value><![CDATA[What photo ${n} shows]]></wp:meta_value></wp:postmeta></item>
`);
  }
  await write('</channel>\n</rss>\n');
  out.end();
  await once(out, 'finish');
  return { file, posts, comments, bytes: fs.statSync(file).size, firstStoryPath: `/${slug(CATEGORIES[1]!)}/generated-story-1` };
}
