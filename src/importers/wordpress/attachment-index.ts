// The export's attachments, found by id (a featured image) or by file (a picture in a body), kept
// on disk while the import runs: a newsroom's export can list more files than posts, and holding
// them all would make the importer's memory grow with the site. A scratch SQLite file in the
// temporary folder (not the site's database: it is the importer's working memory, dropped at the
// end), written in batches during the first pass and read by key during the second.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/** An attachment of the export: a file in the media library to be. */
export interface WpAttachment {
  id: string;
  url: string;
  title: string;
  caption: string;
  alt: string;
}

/** "photo-300x200.jpg" is WordPress's resized copy of "photo.jpg": the original is the one to keep. */
export function originalUrl(url: string): string {
  return url.replace(/-\d{1,5}x\d{1,5}(\.[a-z0-9]{2,5})(?=$|[?#])/i, '$1');
}

/**
 * How a file is looked up: the path of its original, decoded. A body may show it from another
 * host (a CDN, http for https) or with a query (Jetpack's "?w=1024"), and it is the same file.
 */
export function fileKey(url: string): string {
  try {
    const { pathname } = new URL(originalUrl(url.trim()), 'http://wordpress.invalid');
    return decodeURIComponent(pathname);
  } catch {
    return originalUrl(url.trim());
  }
}

type Row = { id: string; url: string; title: string; caption: string; alt: string };

export class AttachmentIndex {
  private readonly dir: string;
  private readonly db: SQLite.Database;
  private readonly pending: WpAttachment[] = [];
  private readonly statements;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-wxr-index-'));
    this.db = new SQLite(path.join(this.dir, 'attachments.db'));
    // Scratch data: nothing to recover after a crash, so no journal and no syncing.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec('CREATE TABLE attachments (id TEXT PRIMARY KEY, url TEXT NOT NULL, original TEXT NOT NULL, title TEXT NOT NULL, caption TEXT NOT NULL, alt TEXT NOT NULL)');
    this.db.exec('CREATE INDEX attachments_original ON attachments (original)');
    this.statements = {
      put: this.db.prepare('INSERT OR REPLACE INTO attachments (id, url, original, title, caption, alt) VALUES (?, ?, ?, ?, ?, ?)'),
      byId: this.db.prepare<[string], Row>('SELECT id, url, title, caption, alt FROM attachments WHERE id = ?'),
      byOriginal: this.db.prepare<[string], Row>('SELECT id, url, title, caption, alt FROM attachments WHERE original = ? ORDER BY rowid LIMIT 1'),
      count: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM attachments'),
      all: this.db.prepare<[], Row>('SELECT id, url, title, caption, alt FROM attachments ORDER BY rowid'),
    };
  }

  get size(): number {
    this.flush();
    return this.statements.count.get()!.n;
  }

  add(attachment: WpAttachment): void {
    this.pending.push(attachment);
    if (this.pending.length >= 1000) this.flush();
  }

  get(id: string): WpAttachment | undefined {
    this.flush();
    return this.statements.byId.get(id);
  }

  /** The attachment whose file (or its original, for a resized copy) this URL is. */
  byUrl(url: string): WpAttachment | undefined {
    this.flush();
    return this.statements.byOriginal.get(fileKey(url));
  }

  *all(): Generator<WpAttachment> {
    this.flush();
    yield* this.statements.all.iterate();
  }

  close(): void {
    if (this.db.open) this.db.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(): void {
    if (!this.pending.length) return;
    const rows = this.pending.splice(0);
    this.db.transaction(() => {
      for (const a of rows) this.statements.put.run(a.id, a.url, fileKey(a.url), a.title, a.caption, a.alt);
    })();
  }
}
