// The settings of a site run at scale, read from the environment by loadConfig (config.ts): the
// caches in front that are told of changes, the media store every node shares, and the web
// processes per node.
import path from 'node:path';

type Env = Record<string, string | undefined>;

/** Where the tags of every change go, so caches in front drop what changed (none configured: nothing is sent). */
export interface PurgeConfig {
  /** Varnish (xkey) or any cache that takes `PURGE` with an `xkey-purge` header: one URL or several. */
  httpUrls: string[];
  fastly: { serviceId: string; token: string; apiUrl: string } | null;
  cloudflare: { zoneId: string; token: string; apiUrl: string } | null;
}

export type MediaStoreConfig =
  | { kind: 'local'; root: string; publicUrl: string | null }
  | {
      kind: 's3';
      bucket: string;
      /** Key prefix inside the bucket, without slashes at either end ('' for the whole bucket). */
      prefix: string;
      endpoint: string | null;
      region: string;
      /** Null: the AWS SDK's own credential chain (AWS_* variables, instance roles). */
      credentials: { accessKeyId: string; secretAccessKey: string } | null;
      forcePathStyle: boolean;
      /** Base URL that serves the bucket's prefix (a public bucket, a CDN): image URLs redirect there. */
      publicUrl: string | null;
    };

/** PURGE_URL (one or more http(s) URLs), and Fastly's and Cloudflare's pairs: both or neither of each. */
export function parsePurge(env: Env, errors: string[]): PurgeConfig {
  const url = (name: string, fallback: string) => {
    const value = (env[name]?.trim() || fallback).replace(/\/+$/, '');
    if (!/^https?:\/\/[^/\s]+/.test(value)) errors.push(`${name} must be an http(s) URL (got "${value}")`);
    return value;
  };
  const httpUrls = (env.PURGE_URL ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  for (const u of httpUrls) if (!/^https?:\/\/[^/\s]+/.test(u)) errors.push(`PURGE_URL must be http(s) URLs separated by commas (got "${u}")`);
  const pair = (idName: string, tokenName: string) => {
    const id = env[idName]?.trim() ?? '';
    const token = env[tokenName]?.trim() ?? '';
    if (!id && !token) return null;
    if (!id || !token) errors.push(`${idName} and ${tokenName} go together: set both or neither`);
    else if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) errors.push(`${idName} must be the id as the provider shows it (letters and digits; got "${id}")`);
    return { id, token };
  };
  const fastly = pair('FASTLY_SERVICE_ID', 'FASTLY_API_TOKEN');
  const cloudflare = pair('CLOUDFLARE_ZONE_ID', 'CLOUDFLARE_API_TOKEN');
  return {
    httpUrls,
    fastly: fastly && { serviceId: fastly.id, token: fastly.token, apiUrl: url('FASTLY_API_URL', 'https://api.fastly.com') },
    cloudflare: cloudflare && { zoneId: cloudflare.id, token: cloudflare.token, apiUrl: url('CLOUDFLARE_API_URL', 'https://api.cloudflare.com/client/v4') },
  };
}

/** True when some cache in front is told of changes (pages may then stay there long). */
export function purgesConfigured(purge: PurgeConfig): boolean {
  return purge.httpUrls.length > 0 || purge.fastly !== null || purge.cloudflare !== null;
}

/** A whole number, or `auto`: one per core. */
export function parseWebProcesses(raw: string | undefined, cores: number, errors: string[]): number {
  const value = raw?.trim().toLowerCase();
  if (!value) return 1;
  if (value === 'auto') return Math.max(1, cores);
  const n = Number(value);
  if (Number.isInteger(n) && n >= 1 && n <= 256) return n;
  errors.push(`WEB_PROCESSES must be a whole number from 1 to 256, or auto (one per core) (got "${raw}")`);
  return 1;
}

/** MEDIA_STORE=local | s3://bucket/prefix, with the MEDIA_S3_* settings for the second. */
export function parseMediaStore(env: Env, dataDir: string, errors: string[]): MediaStoreConfig {
  const raw = env.MEDIA_STORE?.trim() || 'local';
  const publicUrl = env.MEDIA_PUBLIC_URL?.trim().replace(/\/+$/, '') || null;
  if (publicUrl && !/^https?:\/\/[^/\s]+\S*$/.test(publicUrl)) errors.push(`MEDIA_PUBLIC_URL must be an http(s) URL (got "${publicUrl}")`);
  if (raw === 'local') return { kind: 'local', root: path.join(dataDir, 'media'), publicUrl };
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/[^\s]*)?$/.exec(raw);
  if (!match) {
    errors.push(`MEDIA_STORE must be local or s3://bucket/prefix (got "${raw}")`);
    return { kind: 'local', root: path.join(dataDir, 'media'), publicUrl };
  }
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix && !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(prefix)) errors.push(`MEDIA_STORE's prefix may hold letters, digits, dots, dashes and underscores between slashes (got "${prefix}")`);
  const endpoint = env.MEDIA_S3_ENDPOINT?.trim().replace(/\/+$/, '') || null;
  if (endpoint && !/^https?:\/\/[^/\s]+$/.test(endpoint)) errors.push(`MEDIA_S3_ENDPOINT must be an http(s) URL without a path (got "${endpoint}")`);
  const region = env.MEDIA_S3_REGION?.trim() || 'us-east-1';
  if (!/^[a-z0-9-]{2,40}$/.test(region)) errors.push(`MEDIA_S3_REGION must be a region name such as eu-west-1 (got "${region}")`);
  const accessKeyId = env.MEDIA_S3_ACCESS_KEY_ID?.trim() ?? '';
  const secretAccessKey = env.MEDIA_S3_SECRET_ACCESS_KEY?.trim() ?? '';
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) errors.push('MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY go together (set both or neither)');
  const pathStyle = env.MEDIA_S3_PATH_STYLE?.trim().toLowerCase();
  if (pathStyle && !['on', 'off'].includes(pathStyle)) errors.push(`MEDIA_S3_PATH_STYLE must be on or off (got "${pathStyle}")`);
  return {
    kind: 's3',
    bucket: match[1]!,
    prefix,
    endpoint,
    region,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null,
    // S3-compatible servers (MinIO, Ceph, s3rver) mostly want bucket names in the path, not the host.
    forcePathStyle: pathStyle ? pathStyle === 'on' : endpoint !== null,
    publicUrl,
  };
}
