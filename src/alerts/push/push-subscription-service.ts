// Readers' push subscriptions: what a browser's PushSubscription says, checked at the edge before
// anything is stored (an https: endpoint on a public host, a P-256 key and a 16-byte auth secret
// of the right lengths, known sections), one row per endpoint, and per-client limits. No account
// and no signed link: the endpoint is the browser's own secret, so holding it is what lets a
// browser change or end its subscription.
import { createHash, ECDH } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { AppError, invalidInput, type FieldError } from '../../platform/errors.ts';
import type { Audiences } from '../audience.ts';
import { checkReaderChoice } from '../subscription-service.ts';
import { isLocalName, isPrivateAddress } from './private-address.ts';
import type { PushSubscriptionRepository } from './push-subscription-repository.ts';

/** The longest endpoint stored; the push services in use today give 150 to 500 characters. */
export const ENDPOINT_MAX = 1024;
/** Subscription changes one client (IP address) may make per hour before it is told to wait (429). */
export const PUSH_CHANGES_PER_CLIENT_HOUR = 20;
const HOUR = 3600_000;

export interface PushInput {
  subscription?: unknown;
  sections?: unknown;
  /** The endpoint this browser held before (a renewed subscription replaces it). */
  replaces?: unknown;
  client: string;
}

/** Counts and records a client's attempts (the sign-up attempts table, under its own key). */
export interface Attempts {
  countAttempts(client: string, since: string): Promise<number>;
  recordAttempt(client: string, at: string): Promise<void>;
}

export class PushSubscriptionService {
  constructor(
    private readonly repo: PushSubscriptionRepository,
    private readonly attempts: Attempts,
    private readonly audiences: Audiences,
    private readonly clock: Clock,
    private readonly allowPrivate: boolean,
  ) {}

  /**
   * Stores the subscription with its sections (replacing this endpoint's row, and the `replaces`
   * one's). Bad input throws invalid_input naming the field; a client over its limit, rate_limited.
   * Without sections, a renewed subscription keeps those of the one it replaces.
   */
  async subscribe(input: PushInput): Promise<{ sections: string[]; created: boolean }> {
    const errors: FieldError[] = [];
    const subscription = this.checkSubscription(input.subscription, errors);
    const replaces = input.replaces === undefined || input.replaces === null ? undefined : checkEndpointText(input.replaces, 'replaces', errors);
    const previous = replaces && input.sections === undefined ? await this.repo.byEndpoint(replaces) : undefined;
    const sections = previous ? previous.sections : await checkReaderChoice(input.sections, this.audiences, errors);
    if (errors.length || !subscription) throw invalidInput(errors);
    await this.limit(input.client);
    const saved = await this.repo.save({ ...subscription, sections, replaces }, this.clock.now().toISOString());
    return { sections, created: saved.created };
  }

  /** What this browser is subscribed to, or null. */
  async status(endpoint: unknown): Promise<{ sections: string[] } | null> {
    const errors: FieldError[] = [];
    const checked = checkEndpointText(endpoint, 'endpoint', errors);
    if (errors.length) throw invalidInput(errors);
    const found = await this.repo.byEndpoint(checked);
    return found ? { sections: found.sections } : null;
  }

  /** Ends this browser's subscription (nothing to end is fine: the answer is the same). */
  async unsubscribe(endpoint: unknown, client: string): Promise<void> {
    const errors: FieldError[] = [];
    const checked = checkEndpointText(endpoint, 'endpoint', errors);
    if (errors.length) throw invalidInput(errors);
    await this.limit(client);
    await this.repo.remove(checked);
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  private async limit(client: string): Promise<void> {
    const now = this.clock.now();
    const key = createHash('sha256').update(`alerts-push:${client}`).digest('base64url');
    if ((await this.attempts.countAttempts(key, new Date(now.getTime() - HOUR).toISOString())) >= PUSH_CHANGES_PER_CLIENT_HOUR) {
      throw new AppError('rate_limited', 'Too many notification changes from your connection in the last hour. Try again later.');
    }
    await this.attempts.recordAttempt(key, now.toISOString());
  }

  private checkSubscription(raw: unknown, errors: FieldError[]): { endpoint: string; p256dh: string; auth: string } | null {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push({ field: 'subscription', message: 'Send the browser’s push subscription: {endpoint, keys: {p256dh, auth}}.' });
      return null;
    }
    const { endpoint, keys } = raw as { endpoint?: unknown; keys?: unknown };
    const url = checkEndpoint(endpoint, errors, this.allowPrivate);
    const { p256dh, auth } = keys && typeof keys === 'object' ? (keys as { p256dh?: unknown; auth?: unknown }) : { p256dh: undefined, auth: undefined };
    const key = base64url(p256dh);
    if (!key || key.length !== 65 || key[0] !== 0x04 || !onCurve(key)) errors.push({ field: 'subscription.keys.p256dh', message: 'The subscription’s p256dh key is not a P-256 public key (65 bytes, base64url).' });
    const secret = base64url(auth);
    if (!secret || secret.length !== 16) errors.push({ field: 'subscription.keys.auth', message: 'The subscription’s auth secret is not 16 bytes (base64url).' });
    if (!url || !key || !secret || errors.length) return null;
    return { endpoint: url, p256dh: key.toString('base64url'), auth: secret.toString('base64url') };
  }
}

function checkEndpointText(raw: unknown, field: string, errors: FieldError[]): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > ENDPOINT_MAX || /[\u0000-\u0020\u007f]/.test(raw)) {
    errors.push({ field, message: 'That is not a push endpoint.' });
    return '';
  }
  return raw;
}

/** An https: URL without credentials, on a public host (unless private ones are allowed). */
function checkEndpoint(raw: unknown, errors: FieldError[], allowPrivate: boolean): string | null {
  const field = 'subscription.endpoint';
  const text = checkEndpointText(raw, field, errors);
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    errors.push({ field, message: 'The push endpoint is not a URL.' });
    return null;
  }
  if (url.protocol !== 'https:') errors.push({ field, message: 'The push endpoint must be an https:// address.' });
  else if (url.username || url.password) errors.push({ field, message: 'The push endpoint must not carry a user name or password.' });
  else if (!allowPrivate && (isPrivateAddress(url.hostname) || isLocalName(url.hostname))) errors.push({ field, message: 'The push endpoint points at a private or local address.' });
  else return text;
  return null;
}

function base64url(raw: unknown): Buffer | null {
  if (typeof raw !== 'string' || raw.length > 200 || !/^[A-Za-z0-9_-]+={0,2}$/.test(raw)) return null;
  return Buffer.from(raw.replace(/=+$/, ''), 'base64url');
}

/** A point the browser could really hold: encryption to anything else fails at every send. */
function onCurve(key: Buffer): boolean {
  try {
    ECDH.convertKey(key, 'prime256v1');
    return true;
  } catch {
    return false;
  }
}
