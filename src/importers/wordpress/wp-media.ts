// Files of a WordPress site into the media library. A picture is found in the copy of
// wp-content/uploads given with --uploads, or else fetched from its URL; then it goes through the
// library's upload (type sniffed from the bytes, size limit, variants) like any upload. Each file
// is uploaded once: re-runs reuse the library image it became (wordpress_media).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImageService } from '../../media/image-service.ts';
import type { Db } from '../../platform/db.ts';
import { WordpressLedger } from './wordpress-ledger.ts';
import { originalUrl } from './attachment-index.ts';
import type { SiteIndex, WpAttachment } from './wp-plan.ts';

export interface MediaSource {
  /** The copy of wp-content/uploads, if given: files are read only from inside it. */
  uploadsDir?: string;
  /** Whether files not found locally may be fetched over HTTP(S) (only when no folder is given). */
  fetch: boolean;
  maxBytes: number;
  fetchTimeoutMs?: number;
}

export type Resolved = { imageId: number; alt: string } | { problem: string };

/** Where a file of the site's uploads lies inside the given folder, or undefined for any other URL. */
export function uploadsPath(url: string, uploadsDir: string): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://wordpress.invalid').pathname);
  } catch {
    return undefined;
  }
  const at = pathname.indexOf('/uploads/');
  if (at < 0) return undefined;
  const root = path.resolve(uploadsDir);
  const file = path.resolve(root, `.${pathname.slice(at + '/uploads'.length)}`);
  // "../" in a URL must not leave the folder.
  return file.startsWith(`${root}${path.sep}`) ? file : undefined;
}

export class MediaResolver {
  private readonly ledger: WordpressLedger;

  constructor(
    private readonly images: ImageService,
    db: Db,
    private readonly attachments: SiteIndex['attachments'],
    private readonly source: MediaSource,
  ) {
    this.ledger = new WordpressLedger(db);
  }

  /** The attachment a body picture shows: by its wp-image-N class, else by its file's URL. */
  attachmentFor(ref: { src: string; attachmentId?: string }): WpAttachment | undefined {
    return (ref.attachmentId ? this.attachments.get(ref.attachmentId) : undefined) ?? this.attachments.byUrl(ref.src);
  }

  /** The library image for a picture, uploading it the first time; or why it could not be had. */
  async image(url: string, meta: { alt: string; caption: string; title: string }): Promise<Resolved> {
    const sourceUrl = originalUrl(url);
    const known = await this.ledger.imageFor(sourceUrl);
    if (known !== undefined) {
      const image = await this.images.find(known);
      if (image) return { imageId: known, alt: image.alt };
    }
    const bytes = await this.read(sourceUrl, url);
    if ('problem' in bytes) return bytes;
    try {
      const image = await this.images.upload({
        bytes: bytes.data,
        filename: path.basename(new URL(sourceUrl, 'http://wordpress.invalid').pathname) || 'image',
        meta: { alt: meta.alt.slice(0, 300), caption: meta.caption.slice(0, 1000) },
      });
      await this.ledger.putImage(sourceUrl, image.id, new Date().toISOString());
      return { imageId: image.id, alt: image.alt };
    } catch (error) {
      return { problem: `${shortName(sourceUrl)}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  private async read(sourceUrl: string, asWritten: string): Promise<{ data: Buffer } | { problem: string }> {
    const { uploadsDir } = this.source;
    if (uploadsDir) {
      for (const candidate of new Set([sourceUrl, asWritten])) {
        const file = uploadsPath(candidate, uploadsDir);
        if (!file) continue;
        const stat = await fs.stat(file).catch(() => undefined);
        if (!stat?.isFile()) continue;
        if (stat.size > this.source.maxBytes) return { problem: `${shortName(sourceUrl)}: the file is larger than the library's upload limit` };
        return { data: await fs.readFile(file) };
      }
      return { problem: `${shortName(sourceUrl)}: not found in the uploads folder` };
    }
    if (!this.source.fetch) return { problem: `${shortName(sourceUrl)}: no uploads folder was given` };
    return this.download(sourceUrl);
  }

  private async download(url: string): Promise<{ data: Buffer } | { problem: string }> {
    if (!/^https?:\/\//i.test(url)) return { problem: `${shortName(url)}: not an http(s) address` };
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.source.fetchTimeoutMs ?? 15_000), redirect: 'follow' });
      if (!response.ok) return { problem: `${shortName(url)}: the site answered ${response.status}` };
      const length = Number(response.headers.get('content-length') ?? 0);
      if (length > this.source.maxBytes) return { problem: `${shortName(url)}: the file is larger than the library's upload limit` };
      const data = Buffer.from(await response.arrayBuffer());
      if (data.length > this.source.maxBytes) return { problem: `${shortName(url)}: the file is larger than the library's upload limit` };
      return { data };
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'could not be fetched (no network, or the site is gone)';
      return { problem: `${shortName(url)}: ${reason}` };
    }
  }
}

function shortName(url: string): string {
  try {
    return decodeURIComponent(new URL(url, 'http://wordpress.invalid').pathname.split('/').slice(-3).join('/'));
  } catch {
    return url.slice(0, 120);
  }
}
