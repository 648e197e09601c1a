// The site's VAPID key pair (RFC 8292): made on the first start, kept in the database (never in
// the repository or a config file), the same for every node. Browsers subscribe with the public
// key; push services accept only what the private key signed, so it never leaves the server.
import type { Kysely } from 'kysely';
import webpush from 'web-push';
import type { Db } from '../../platform/db.ts';

type KeyTables = { alert_keys: { name: string; value: string } };

export interface VapidKeys {
  /** 65-byte uncompressed P-256 point, base64url (what `applicationServerKey` takes). */
  publicKey: string;
  privateKey: string;
}

const NAME = 'vapid';

/** The site's pair; made and stored when there is none (nodes starting together agree on one). */
export async function loadVapidKeys(db: Db): Promise<VapidKeys> {
  const keys = db.withTables<KeyTables>() as Kysely<KeyTables>;
  const fresh = webpush.generateVAPIDKeys();
  await keys.insertInto('alert_keys').values({ name: NAME, value: JSON.stringify(fresh) }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await keys.selectFrom('alert_keys').select('value').where('name', '=', NAME).executeTakeFirstOrThrow();
  const stored = JSON.parse(row.value) as Partial<VapidKeys>;
  if (typeof stored.publicKey !== 'string' || typeof stored.privateKey !== 'string') throw new Error('the stored VAPID key pair is unreadable (alert_keys.vapid)');
  return { publicKey: stored.publicKey, privateKey: stored.privateKey };
}
