// An Akismet-compatible comment check, used only when AKISMET_KEY is set (off by default; the local
// defence needs no outside service). The comment-check protocol: a form-encoded POST to
// <AKISMET_URL>/1.1/comment-check, answered `true` (spam) or `false`, with `X-akismet-pro-tip:
// discard` for blatant spam. It can only make a comment spam: a `false` leaves the local decision
// as it is, and a timeout or an error never loses the comment (the local decision stands, with the
// reason "akismet unavailable" for moderators).

/** What a check sends: the comment and how it arrived (a missing header is sent empty). */
export interface AkismetComment {
  ip: string;
  userAgent: string;
  referrer: string;
  /** The story's path on this site. */
  permalink: string;
  authorName: string;
  email: string;
  url: string;
  text: string;
}

export type AkismetVerdict = { spam: boolean; discard: boolean } | { error: string };

const TIMEOUT_MS = 3000;

export class AkismetCheck {
  constructor(
    private readonly config: { key: string; url: string },
    private readonly siteUrl: string,
    private readonly timeoutMs = TIMEOUT_MS,
  ) {}

  async check(comment: AkismetComment): Promise<AkismetVerdict> {
    const body = new URLSearchParams({
      api_key: this.config.key,
      blog: this.siteUrl,
      user_ip: comment.ip,
      user_agent: comment.userAgent,
      referrer: comment.referrer,
      permalink: `${this.siteUrl}${comment.permalink}`,
      comment_type: 'comment',
      comment_author: comment.authorName,
      comment_author_email: comment.email,
      comment_author_url: comment.url,
      comment_content: comment.text,
      blog_charset: 'UTF-8',
    });
    try {
      const res = await fetch(`${this.config.url}/1.1/comment-check`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'user-agent': 'Bulletin | Akismet-compatible check' },
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      const answer = (await res.text()).trim();
      if (!res.ok) return { error: `HTTP ${res.status}` };
      if (answer === 'true') return { spam: true, discard: (res.headers.get('x-akismet-pro-tip') ?? '').toLowerCase() === 'discard' };
      if (answer === 'false') return { spam: false, discard: false };
      return { error: res.headers.get('x-akismet-debug-help') ?? `unexpected answer "${answer.slice(0, 40)}"` };
    } catch (error) {
      return { error: error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'unreachable' };
    }
  }
}
