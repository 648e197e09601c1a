// Links in alert mails act for one subscriber without an account: each is signed with the site's
// own key (made on first use, kept in the database, never in the repo), names its purpose and may
// expire. An altered, forged or expired link is simply not valid.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Db } from '../platform/db.ts';

type KeyTables = { alert_keys: { name: string; value: string } };

export type LinkPurpose = 'confirm' | 'manage' | 'form';

export class LinkSigner {
  constructor(private readonly key: Buffer) {}

  /** `subject.purpose.expiry.mac`; expiry 0 means the link does not expire. */
  sign(purpose: LinkPurpose, subject: number, expiresAt?: Date): string {
    const expiry = expiresAt ? Math.floor(expiresAt.getTime() / 1000) : 0;
    const body = `${subject}.${purpose}.${expiry}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The subject of a valid link for this purpose, or null. */
  verify(token: unknown, purpose: LinkPurpose, now: Date): number | null {
    if (typeof token !== 'string' || token.length > 200) return null;
    const match = /^(\d{1,12})\.([a-z]+)\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match || match[2] !== purpose) return null;
    const [, subject, , expiry, mac] = match;
    const expected = Buffer.from(this.mac(`${subject}.${purpose}.${expiry}`));
    if (!timingSafeEqual(expected, Buffer.from(mac!))) return null;
    if (expiry !== '0' && Number(expiry) * 1000 < now.getTime()) return null;
    return Number(subject);
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** The signing key, made once per site (several nodes starting together agree on one). */
export async function loadLinkSigner(db: Db): Promise<LinkSigner> {
  const keys = db.withTables<KeyTables>() as Kysely<KeyTables>;
  const name = 'link-signing';
  await keys.insertInto('alert_keys').values({ name, value: randomBytes(32).toString('base64') }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await keys.selectFrom('alert_keys').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return new LinkSigner(Buffer.from(row.value, 'base64'));
}
