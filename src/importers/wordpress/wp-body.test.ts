// Post bodies to our document: what is kept, what is dropped (and reported), and that the result
// is always a document the body schema accepts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBody, type BlockNode } from '../../articles/body.ts';
import { convertBody, type ImportedBlock } from './wp-body.ts';

/** The body as it would be saved, pictures and clips set aside: it must pass the schema check. */
function assertValid(blocks: ImportedBlock[]): void {
  const doc = { type: 'doc', content: blocks.filter((b): b is BlockNode => b.type !== 'imageRef' && b.type !== 'videoRef') };
  assert.deepEqual(checkBody(doc).errors, []);
}

describe('convertBody', () => {
  it('keeps marks, headings h2–h4 (h1 and h5/h6 clamped) and links', () => {
    const { blocks, dropped } = convertBody('<h1>Top</h1><h5>Small</h5><p><strong>B</strong> <em>I</em> <code>c</code> <del>s</del> <a href="/x">in</a></p>');
    assertValid(blocks);
    assert.deepEqual(blocks.slice(0, 2).map((b) => b.type === 'heading' && b.attrs.level), [2, 4]);
    const marks = (blocks[2] as { content: { marks?: { type: string }[] }[] }).content.flatMap((n) => n.marks?.map((m) => m.type) ?? []);
    assert.deepEqual(marks, ['bold', 'italic', 'code', 'strike', 'link']);
    assert.deepEqual(dropped, []);
  });

  it('drops scripts, styles, forms, unknown iframes and event attributes, and counts them', () => {
    const { blocks, dropped } = convertBody('<p onclick="x()">a</p><script>evil()</script><script>more()</script><style>p{}</style><form><input name="q"></form><iframe src="https://ads.example/f"></iframe>');
    assertValid(blocks);
    assert.equal(JSON.stringify(blocks), '[{"type":"paragraph","content":[{"type":"text","text":"a"}]}]');
    assert.deepEqual(dropped, ['script ×2', 'style', 'form', 'iframe from ads.example']);
  });

  it('YouTube, Vimeo and X embeds (blocks, iframes, [embed]) become link paragraphs', () => {
    const { blocks } = convertBody(
      '<iframe src="https://player.vimeo.com/video/1"></iframe>' +
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">https://x.com/a/status/1</div></figure>' +
        '[embed]https://youtu.be/abc[/embed]',
    );
    assertValid(blocks);
    assert.deepEqual(blocks.map((b) => (b.type === 'paragraph' && b.content?.[0]?.type === 'text' ? b.content[0].marks?.[0]?.attrs?.href : b.type)), [
      'https://player.vimeo.com/video/1',
      'https://x.com/a/status/1',
      'https://youtu.be/abc',
    ]);
  });

  it('pictures come out as references with alt text, caption and attachment id; video as a reference', () => {
    const { blocks } = convertBody('<figure class="wp-block-image"><img src="/u/a.jpg" alt="A" class="wp-image-9"/><figcaption>Cap</figcaption></figure><figure class="wp-block-video"><video src="/u/v.mp4"></video><figcaption>Clip</figcaption></figure>');
    assert.deepEqual(blocks, [
      { type: 'imageRef', src: '/u/a.jpg', attachmentId: '9', alt: 'A', caption: 'Cap' },
      { type: 'videoRef', src: '/u/v.mp4', caption: 'Clip' },
    ]);
  });

  it('a picture inside a paragraph splits it; inside a list it is reported', () => {
    const { blocks, dropped } = convertBody('<p>before <img src="/a.png" alt="x"> after</p><ul><li>item <img src="/b.png"></li></ul>');
    assert.deepEqual(blocks.map((b) => b.type), ['paragraph', 'imageRef', 'paragraph', 'bulletList']);
    assert.deepEqual(dropped, ['image in a list']);
  });

  it('lists nest, quotes hold paragraphs, tables become paragraphs (reported)', () => {
    const { blocks, dropped } = convertBody('<ol start="5"><li>a<ol><li>b</li></ol></li></ol><blockquote><h2>Q</h2><ul><li>in quote</li></ul></blockquote><table><tr><td>x</td><td>y</td></tr></table>');
    assertValid(blocks);
    assert.equal(blocks[0]!.type === 'orderedList' && blocks[0]!.attrs?.start, 5);
    assert.deepEqual(blocks.map((b) => b.type), ['orderedList', 'blockquote', 'paragraph']);
    assert.deepEqual(dropped, ['table (1 row kept as paragraphs)']);
  });

  it('shortcodes are dropped and counted, their wrapped text kept; bracketed words are not shortcodes', () => {
    const { blocks, dropped } = convertBody('[gallery ids="1,2"]\n\n[box style="x"]Boxed text[/box] and [1] and [sic]\n\n[audio src="a.mp3"]');
    assert.deepEqual(dropped, ['shortcode [gallery]', 'shortcode [box]', 'shortcode [audio]']);
    assert.equal(JSON.stringify(blocks), '[{"type":"paragraph","content":[{"type":"text","text":"Boxed text and [1] and [sic]"}]}]');
  });

  it('classic posts: blank lines make paragraphs, single newlines breaks, bare URLs links', () => {
    const { blocks } = convertBody('One\ntwo\n\nhttps://example.com/page\n\n<p>Three</p>');
    assertValid(blocks);
    assert.deepEqual(blocks.map((b) => (b.type === 'paragraph' ? b.content!.map((n) => (n.type === 'text' ? n.text : '|')).join('') : b.type)), ['One|two', 'https://example.com/page', 'Three']);
  });

  it('very long text is cut into runs the schema allows', () => {
    const { blocks } = convertBody(`<p>${'word '.repeat(9000)}</p>`);
    assertValid(blocks);
  });

  it('arbitrary hostile markup always yields a valid document', () => {
    const samples = ['<p><a href="data:text/html,x">d</a><a>no href</a></p>', '<div><div><p>deep</p></div></div><hr>', '<ul><li><ul><li><ul><li><ul><li>4 deep</li></ul></li></ul></li></ul></li></ul>', '<svg><script>x</script></svg><math></math>', '</p></div><<>>&amp;&lt;', '<pre>line 1\nline 2</pre>'];
    for (const html of samples) assertValid(convertBody(html).blocks);
  });
});
