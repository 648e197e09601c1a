// A story's body as HTML for programs that show it away from the site: feed readers and Content
// API clients. No page styles or scripts reach them, so pictures are one plain <img> (the share
// variant, with its size), a video is a link to the story (its player lives on the page), the
// credit line and corrections follow the text, and every address is absolute.
import type { ComponentChildren } from 'preact';
import { BodyBlock } from '../articles/body-view.tsx';
import { bodyImageIds } from '../articles/body.ts';
import type { Article } from '../articles/model.ts';
import type { ImageRecord } from '../media/image-service.ts';
import { shareImageOf } from '../media/share-image.ts';
import { renderFragment } from '../platform/render.ts';

export interface PortableImages {
  find(id: number): Promise<ImageRecord | undefined>;
}

/** The body's HTML, and the library images it shows (their alt text is in it: a change must redraw it). */
export async function portableBody(article: Article, siteUrl: string, images: PortableImages): Promise<{ html: string; imageIds: number[] }> {
  const imageIds = bodyImageIds(article.body);
  const found = new Map((await Promise.all(imageIds.map((id) => images.find(id)))).flatMap((image) => (image ? [[image.id, image] as const] : [])));
  const storyUrl = siteUrl + `/${article.section.slug}/${article.slug}`;
  const blocks = article.body.content.map((block): ComponentChildren => {
    if (block.type === 'image') {
      const image = found.get(block.attrs.imageId);
      const share = image && shareImageOf(image);
      if (!image || !share) return null;
      const caption = block.attrs.caption || image.caption || image.credit;
      return (
        <figure>
          <img src={siteUrl + share.url} alt={share.alt} width={share.width} height={share.height} />
          {caption && <figcaption>{caption}</figcaption>}
        </figure>
      );
    }
    if (block.type === 'video') {
      return (
        <p>
          <a href={storyUrl}>Watch the video: {block.attrs.title || 'on the story page'}</a>
          {block.attrs.caption && ` (${block.attrs.caption})`}
        </p>
      );
    }
    return <BodyBlock block={block} />;
  });
  const html = renderFragment(
    <>
      {blocks}
      {article.credit.text && <p>{article.credit.text}</p>}
      {article.corrections.map((c) => (
        <p>
          <strong>Correction ({c.createdAt.slice(0, 10)}):</strong> {c.text}
        </p>
      ))}
    </>,
  );
  return { html: absoluteLinks(html, siteUrl), imageIds: [...found.keys()] };
}

/** Site-relative links made absolute: feed readers resolve them against the feed, not the site. */
export function absoluteLinks(html: string, siteUrl: string): string {
  return html.replace(/ (href|src)="\/(?!\/)/g, ` $1="${siteUrl}/`);
}
