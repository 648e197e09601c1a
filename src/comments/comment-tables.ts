// The comments feature's tables, as its repositories see them.
import type { Generated } from 'kysely';

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
export type CommentTables = {
  comments: {
    id: Generated<number>;
    article_id: number;
    parent_id: number | null;
    thread_id: number | null;
    depth: number;
    status: string;
    author_name: string;
    author_email: string;
    author_url: string;
    body: string;
    /** The text drawn as HTML when it was written (null: written before the column existed). */
    body_html: string | null;
    body_hash: string;
    ip: string | null;
    reasons: string;
    spam_score: number | null;
    trained_as: string | null;
    origin: string;
    picked: Generated<number>;
    /** Where an imported comment came from ('wordpress:<id>'); null for native ones. */
    source_key: Generated<string | null>;
    created_at: string;
    updated_at: string;
  };
  comment_threads: { article_id: number; open: number };
  comment_settings: { key: string; value: string };
  comment_counts: { article_id: number; approved: number };
  comment_rate: { subject: string; minute: string; n: number };
  comment_reports: { id: Generated<number>; comment_id: number; reporter: string; reason: string; note: string; created_at: string; resolved_at: string | null; resolution: string | null };
  comment_form_tokens: { nonce: string; used_at: string };
  comment_words: { word: string; spam: number; ham: number };
  comment_erased_sources: { source_key: string };
};
