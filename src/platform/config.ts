// The one place that reads the environment (its settings for a site at scale in config-scale.ts). Everything else receives a Config.
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMediaStore, parsePurge, parseWebProcesses, purgesConfigured, type MediaStoreConfig, type PurgeConfig } from './config-scale.ts';

export { purgesConfigured, type MediaStoreConfig, type PurgeConfig } from './config-scale.ts';

export type DatabaseConfig =
  | { engine: 'sqlite'; file: string }
  | { engine: 'postgres'; url: string; schema: string };

export type NodeRole = 'all' | 'web' | 'worker';

export interface Config {
  host: string;
  port: number;
  /** Public base URL used for canonical links, feeds and JSON-LD; no trailing slash. */
  siteUrl: string;
  /** Site name used until an editor sets one in the site settings. */
  siteName: string;
  /** IANA time zone for dates shown to readers. */
  timeZone: string;
  dataDir: string;
  database: DatabaseConfig;
  /** Seed the demo site on the first start of an empty database. */
  demoContent: boolean;
  /** Upper bound of the in-memory page cache, in bytes; 0 turns the cache off. */
  pageCacheBytes: number;
  /** How often to look for changes written by other processes (CLI, other nodes), in ms. */
  changePollMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Log one line per request (off by default: the front proxy usually does this). */
  logRequests: boolean;
  /** Largest image upload accepted, in bytes. */
  mediaMaxUploadBytes: number;
  /** Largest video upload accepted, in bytes. */
  mediaMaxVideoBytes: number;
  /** Longest video upload accepted, in seconds. */
  mediaMaxVideoSeconds: number;
  /** JSON lines for collectors, or short readable lines for people at a terminal. */
  logFormat: 'json' | 'pretty';
  /**
   * Which proxies in front may name the client (X-Forwarded-For): none (false), every one (true),
   * the nearest N hops, or these addresses and ranges. Rate limits key on the client it finds.
   */
  trustProxy: boolean | number | string[];
  /** Where mail goes: an SMTP server (smtp:// or smtps://), or null for .eml files under DATA_DIR/outbox. */
  smtpUrl: string | null;
  /** The From address of every mail the site sends. */
  mailFrom: string;
  /** Most mails per second one process hands to the SMTP server. */
  mailRatePerSecond: number;
  /** DKIM signing of every mail, when a key is configured (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY_FILE). */
  dkim: { domain: string; selector: string; privateKey: string } | null;
  /** How long the "Breaking" banner shows after an alert is sent, in minutes. */
  alertBannerMinutes: number;
  /** Most open live-banner streams (Server-Sent Events) one process keeps; more get 503. */
  liveStreamsMax: number;
  /** Who runs this sender, as push services are told in every VAPID token (mailto: or https:). */
  vapidSubject: string;
  /** Push endpoints on loopback or private addresses are refused unless this is on (tests, a relay on the LAN). */
  pushAllowPrivate: boolean;
  /** A PEM file of extra certificate authorities trusted for push services (a private relay; tests). */
  pushCaFile: string | null;
  /** How long one push service may take to answer one message before it is tried again later, in ms. */
  pushTimeoutMs: number;
  /** An Akismet-compatible comment check, only when AKISMET_KEY is set (off by default, never needed). */
  akismet: { key: string; url: string } | null;
  /** Most Content API requests one client address may make per minute (cached answers count too); 0 = no limit. */
  contentApiRatePerMinute: number;
  /** What this process does: serve and run jobs (all), serve only (web), run jobs only (worker). */
  nodeRole: NodeRole;
  /** Web processes on the one port (node:cluster); 1 runs no cluster. */
  webProcesses: number;
  /** How long a stopping process waits for requests in flight and running jobs, in ms. */
  shutdownGraceMs: number;
  /** How long a shared cache (CDN, Varnish) may keep a public page, in seconds (its s-maxage). */
  sharedMaxAgeSeconds: number;
  purge: PurgeConfig;
  /** Where media files live: DATA_DIR/media (default), or an S3-compatible bucket shared by every node. */
  mediaStore: MediaStoreConfig;
  /** Bearer token that /metrics asks for; null: /metrics answers only callers on this machine (loopback). */
  metricsToken: string | null;
  /** /readyz answers 503 when the oldest due job has waited longer than this, in ms. */
  readyJobLagMs: number;
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
}

type Env = Record<string, string | undefined>;

/** Every variable Bulletin reads, with its default; the README lists the same. */
export const CONFIG_VARIABLES = {
  PORT: '3000',
  HOST: '0.0.0.0',
  SITE_URL: 'http://localhost:<PORT>',
  SITE_NAME: 'Bulletin',
  SITE_TIMEZONE: 'UTC',
  DATA_DIR: './data',
  DATABASE_URL: 'sqlite:<DATA_DIR>/bulletin.db',
  DATABASE_SCHEMA: 'public',
  DEMO_CONTENT: 'on',
  PAGE_CACHE_MB: '64',
  CHANGE_POLL_MS: '500',
  LOG_LEVEL: 'info',
  LOG_REQUESTS: 'off',
  MEDIA_MAX_UPLOAD_MB: '20',
  MEDIA_MAX_VIDEO_MB: '2048',
  MEDIA_MAX_VIDEO_MINUTES: '60',
  LOG_FORMAT: 'auto',
  TRUST_PROXY: 'off',
  SMTP_URL: '(none: mail is written to DATA_DIR/outbox)',
  MAIL_FROM: 'Bulletin <alerts@<SITE_URL host>>',
  MAIL_RATE_PER_SECOND: '50',
  DKIM_DOMAIN: '(none: mail is not signed)',
  DKIM_SELECTOR: '(none)',
  DKIM_PRIVATE_KEY_FILE: '(none)',
  ALERT_BANNER_MINUTES: '60',
  LIVE_STREAMS_MAX: '20000',
  VAPID_SUBJECT: 'mailto:<MAIL_FROM address>',
  PUSH_ALLOW_PRIVATE_ENDPOINTS: 'off',
  PUSH_CA_FILE: '(none: the system certificate authorities)',
  PUSH_TIMEOUT_SECONDS: '10',
  AKISMET_KEY: '(none: comments are judged locally only)',
  AKISMET_URL: 'https://rest.akismet.com',
  CONTENT_API_RATE_PER_MINUTE: '600',
  NODE_ROLE: 'all',
  WEB_PROCESSES: '1',
  SHUTDOWN_GRACE_SECONDS: '10',
  SHARED_MAX_AGE_SECONDS: '60 (86400 when a purger is configured)',
  PURGE_URL: '(none)',
  FASTLY_SERVICE_ID: '(none)',
  FASTLY_API_TOKEN: '(none)',
  FASTLY_API_URL: 'https://api.fastly.com',
  CLOUDFLARE_ZONE_ID: '(none)',
  CLOUDFLARE_API_TOKEN: '(none)',
  CLOUDFLARE_API_URL: 'https://api.cloudflare.com/client/v4',
  MEDIA_STORE: 'local (files under DATA_DIR/media)',
  MEDIA_S3_ENDPOINT: '(none: AWS S3 itself)',
  MEDIA_S3_REGION: 'us-east-1',
  MEDIA_S3_ACCESS_KEY_ID: '(none: the AWS SDK credential chain)',
  MEDIA_S3_SECRET_ACCESS_KEY: '(none)',
  MEDIA_S3_PATH_STYLE: 'on when MEDIA_S3_ENDPOINT is set',
  MEDIA_PUBLIC_URL: '(none: Bulletin serves media itself)',
  METRICS_TOKEN: '(none: /metrics answers loopback callers only)',
  READY_JOB_LAG_SECONDS: '300',
} as const;

/** All three DKIM settings or none; the key file must hold a private key (PEM). */
function parseDkim(env: Env, cwd: string, errors: string[]): Config['dkim'] {
  const domain = env.DKIM_DOMAIN?.trim() ?? '';
  const selector = env.DKIM_SELECTOR?.trim() ?? '';
  const file = env.DKIM_PRIVATE_KEY_FILE?.trim() ?? '';
  if (!domain && !selector && !file) return null;
  if (!domain || !selector || !file) {
    errors.push('DKIM needs all three of DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE (or none of them)');
    return null;
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(domain)) errors.push(`DKIM_DOMAIN must be a domain name such as example.com (got "${domain}")`);
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/i.test(selector)) errors.push(`DKIM_SELECTOR must be a DNS label such as mail2026 (got "${selector}")`);
  let privateKey = '';
  try {
    privateKey = fs.readFileSync(path.resolve(cwd, file), 'utf8');
    createPrivateKey(privateKey);
  } catch {
    errors.push(`DKIM_PRIVATE_KEY_FILE must be a readable file holding a PEM private key (${file})`);
  }
  return { domain, selector, privateKey };
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const errors: string[] = [];
  const str = (name: keyof typeof CONFIG_VARIABLES, fallback: string) => {
    const value = env[name]?.trim();
    return value ? value : fallback;
  };
  const int = (name: keyof typeof CONFIG_VARIABLES, fallback: number, min: number, max: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      errors.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const flag = (name: keyof typeof CONFIG_VARIABLES, fallback: boolean) => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['on', 'true', '1', 'yes'].includes(raw)) return true;
    if (['off', 'false', '0', 'no'].includes(raw)) return false;
    errors.push(`${name} must be on or off (got "${raw}")`);
    return fallback;
  };

  const port = int('PORT', 3000, 0, 65535);
  const dataDir = path.resolve(cwd, str('DATA_DIR', './data'));
  const siteUrl = str('SITE_URL', `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(siteUrl)) errors.push(`SITE_URL must be an http(s) URL (got "${siteUrl}")`);

  const timeZone = str('SITE_TIMEZONE', 'UTC');
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    errors.push(`SITE_TIMEZONE must be an IANA time zone such as Europe/London (got "${timeZone}")`);
  }

  const logLevel = str('LOG_LEVEL', 'info') as Config['logLevel'];
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    errors.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`);
  }

  const logFormat = str('LOG_FORMAT', 'auto');
  if (!['auto', 'json', 'pretty'].includes(logFormat)) errors.push(`LOG_FORMAT must be auto, json or pretty (got "${logFormat}")`);

  const trustProxy = parseTrustProxy(str('TRUST_PROXY', 'off'), errors);
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\/[^/\s]+/.test(smtpUrl)) errors.push(`SMTP_URL must be smtp://host:port or smtps://host:port (got "${smtpUrl.replace(/\/\/[^@/]*@/, '//…@')}")`);
  const siteHost = /^https?:\/\/([^/:]+)/.exec(siteUrl)?.[1] ?? 'localhost';
  const mailFrom = str('MAIL_FROM', `${str('SITE_NAME', 'Bulletin')} <alerts@${siteHost}>`);
  if (/[\r\n]/.test(mailFrom) || !/@/.test(mailFrom)) errors.push('MAIL_FROM must be one address such as "Daily Planet <alerts@example.com>"');
  const dkim = parseDkim(env, cwd, errors);
  const vapidSubject = str('VAPID_SUBJECT', `mailto:${/<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim()}`);
  if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/[^/\s]+\S*)$/.test(vapidSubject)) errors.push(`VAPID_SUBJECT must be a mailto: address or an https:// URL (got "${vapidSubject}")`);
  const pushCaFile = env.PUSH_CA_FILE?.trim() ? path.resolve(cwd, env.PUSH_CA_FILE.trim()) : null;
  const akismetKey = env.AKISMET_KEY?.trim() || '';
  const akismetUrl = str('AKISMET_URL', 'https://rest.akismet.com').replace(/\/+$/, '');
  if (akismetKey && !/^https?:\/\/[^/\s]+/.test(akismetUrl)) errors.push(`AKISMET_URL must be an http(s) URL (got "${akismetUrl}")`);
  const nodeRole = str('NODE_ROLE', 'all') as NodeRole;
  if (!['all', 'web', 'worker'].includes(nodeRole)) errors.push(`NODE_ROLE must be all, web or worker (got "${nodeRole}")`);
  const purge = parsePurge(env, errors);
  const metricsToken = env.METRICS_TOKEN?.trim() ?? '';
  if (metricsToken && !/^[\x21-\x7e]{16,}$/.test(metricsToken)) errors.push('METRICS_TOKEN must be at least 16 printable characters without spaces');
  const database = parseDatabaseUrl(str('DATABASE_URL', ''), dataDir, cwd, str('DATABASE_SCHEMA', 'public'), errors);
  const config: Config = {
    host: str('HOST', '0.0.0.0'),
    port,
    siteUrl,
    siteName: str('SITE_NAME', 'Bulletin'),
    timeZone,
    dataDir,
    database,
    demoContent: flag('DEMO_CONTENT', true),
    pageCacheBytes: int('PAGE_CACHE_MB', 64, 0, 16384) * 1024 * 1024,
    changePollMs: int('CHANGE_POLL_MS', 500, 50, 60000),
    logLevel,
    logRequests: flag('LOG_REQUESTS', false),
    mediaMaxUploadBytes: int('MEDIA_MAX_UPLOAD_MB', 20, 1, 1024) * 1024 * 1024,
    mediaMaxVideoBytes: int('MEDIA_MAX_VIDEO_MB', 2048, 1, 65536) * 1024 * 1024,
    mediaMaxVideoSeconds: int('MEDIA_MAX_VIDEO_MINUTES', 60, 1, 1440) * 60,
    // "auto": readable on a terminal, JSON when the output goes to a file or a collector.
    logFormat: logFormat === 'auto' ? (process.stdout.isTTY ? 'pretty' : 'json') : (logFormat as Config['logFormat']),
    trustProxy,
    smtpUrl,
    mailFrom,
    mailRatePerSecond: int('MAIL_RATE_PER_SECOND', 50, 1, 100000),
    dkim,
    alertBannerMinutes: int('ALERT_BANNER_MINUTES', 60, 1, 1440),
    liveStreamsMax: int('LIVE_STREAMS_MAX', 20000, 0, 1000000),
    vapidSubject,
    pushAllowPrivate: flag('PUSH_ALLOW_PRIVATE_ENDPOINTS', false),
    pushCaFile,
    pushTimeoutMs: int('PUSH_TIMEOUT_SECONDS', 10, 1, 120) * 1000,
    akismet: akismetKey ? { key: akismetKey, url: akismetUrl } : null,
    contentApiRatePerMinute: int('CONTENT_API_RATE_PER_MINUTE', 600, 0, 10_000_000),
    nodeRole,
    webProcesses: parseWebProcesses(env.WEB_PROCESSES, os.availableParallelism(), errors),
    shutdownGraceMs: int('SHUTDOWN_GRACE_SECONDS', 10, 1, 600) * 1000,
    sharedMaxAgeSeconds: int('SHARED_MAX_AGE_SECONDS', purgesConfigured(purge) ? 86400 : 60, 0, 31536000),
    purge,
    mediaStore: parseMediaStore(env, dataDir, errors),
    metricsToken: metricsToken || null,
    readyJobLagMs: int('READY_JOB_LAG_SECONDS', 300, 1, 86400) * 1000,
  };
  if (errors.length) throw new ConfigError(`Invalid configuration:\n- ${errors.join('\n- ')}`);
  return config;
}

function parseDatabaseUrl(raw: string, dataDir: string, cwd: string, schema: string, errors: string[]): DatabaseConfig {
  if (!raw) return { engine: 'sqlite', file: path.join(dataDir, 'bulletin.db') };
  if (/^postgres(ql)?:\/\//.test(raw)) {
    if (!/^[a-z_][a-z0-9_]*$/i.test(schema)) errors.push(`DATABASE_SCHEMA must be a plain identifier (got "${schema}")`);
    return { engine: 'postgres', url: raw, schema };
  }
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) errors.push('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/bulletin.db');
    return { engine: 'sqlite', file: file === ':memory:' ? file : path.resolve(cwd, file) };
  }
  errors.push(`DATABASE_URL must start with sqlite: or postgres:// (got "${raw.replace(/\/\/[^@/]*@/, '//…@')}")`);
  return { engine: 'sqlite', file: path.join(dataDir, 'bulletin.db') };
}

/** off | on | a hop count (1–10) | comma-separated addresses or CIDR ranges of the proxies in front. */
function parseTrustProxy(raw: string, errors: string[]): Config['trustProxy'] {
  const value = raw.toLowerCase();
  if (value === 'off' || value === 'false') return false;
  if (value === 'on' || value === 'true') return true;
  const hops = /^\d+$/.test(value) ? Number(value) : undefined;
  if (hops !== undefined && hops >= 1 && hops <= 10) return hops;
  const list = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (hops === undefined && list.length > 0 && list.every((entry) => /^[0-9A-Fa-f:.]+(\/\d{1,3})?$/.test(entry))) return list;
  errors.push(`TRUST_PROXY must be off, on, a hop count from 1 to 10, or proxy addresses/ranges such as 10.0.0.0/8,127.0.0.1 (got "${raw}")`);
  return false;
}
