// Readers' side of alerts: sign up (double opt-in by email), confirm, change sections, pause,
// unsubscribe. No reader account: every step after the sign-up is a signed link. The sign-up
// answers the same whatever the address's state, so it tells nobody who subscribed.
import { createHash } from 'node:crypto';
import type { Clock } from '../platform/clock.ts';
import { AppError, invalidInput, type FieldError } from '../platform/errors.ts';
import type { Mailer } from '../platform/mailer.ts';
import { confirmationMail, type MailSite } from './alert-mail.tsx';
import type { LinkSigner } from './signed-links.ts';
import type { Subscriber, SubscriberRepository } from './subscriber-repository.ts';

export const ALL_SECTIONS = '*';
const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** A person needs a few seconds to read the box and type an address; a script does not wait. */
export const MIN_FORM_SECONDS = 3;
/** Sign-ups one client (IP address) may make per hour before it is told to wait (429). */
export const SIGNUPS_PER_CLIENT_HOUR = 5;
const CONFIRM_DAYS = 7;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export interface SignUpInput {
  email?: unknown;
  sections?: unknown;
  /** The honeypot: a field people never see; filled means a script. */
  website?: unknown;
  /** The form's signed render time (see LinkSigner 'form'). */
  started?: unknown;
  /** The client's address, as the proxy settings name it. */
  client: string;
}

export interface Sections {
  /** The sections a reader can choose, slug → name. */
  choices(): Promise<Map<string, string>>;
}

export class SubscriptionService {
  constructor(
    private readonly repo: SubscriberRepository,
    private readonly signer: () => Promise<LinkSigner>,
    private readonly mailer: Mailer,
    private readonly sections: Sections,
    private readonly site: () => Promise<MailSite>,
    private readonly clock: Clock,
  ) {}

  /** The token the sign-up form carries: its render time, signed. */
  async formToken(): Promise<string> {
    return (await this.signer()).sign('form', Math.floor(this.clock.now().getTime() / 1000));
  }

  /**
   * Checks the form; sends one confirmation mail when the address may get one. Bad input throws
   * invalid_input (nothing stored); a client over its hourly limit gets rate_limited. A script
   * (honeypot, no or too fresh a form token), a suppressed or already confirmed address, or a
   * second request within a day: nothing is sent, and the answer is the same as for a real one.
   */
  async signUp(input: SignUpInput): Promise<void> {
    const errors: FieldError[] = [];
    const email = checkEmail(input.email, errors);
    const sections = await this.checkSections(input.sections, errors);
    if (errors.length) throw invalidInput(errors);
    const now = this.clock.now();
    const client = createHash('sha256').update(`alerts:${input.client}`).digest('base64url');
    const recent = await this.repo.countAttempts(client, iso(now, -HOUR));
    if (recent >= SIGNUPS_PER_CLIENT_HOUR) throw new AppError('rate_limited', 'Too many sign-ups from your connection in the last hour. Try again later.');
    await this.repo.recordAttempt(client, now.toISOString());
    if (!(await this.looksHuman(input, now))) return;

    const existing = await this.repo.byEmail(email);
    if (existing?.status === 'active' || existing?.status === 'paused') return;
    const id = await this.repo.transaction(async (repo) => {
      const id = existing?.id ?? (await repo.insert(email, now.toISOString()));
      if (existing) await repo.setStatus(id, 'pending', now.toISOString());
      await repo.setSections(id, sections);
      return (await repo.claimConfirmationSlot(id, now.toISOString(), iso(now, -DAY))) ? id : null;
    });
    if (id === null) return;
    const signer = await this.signer();
    const mail = confirmationMail(await this.site(), {
      email,
      sections: await this.describe(sections),
      confirmUrl: `/alerts/confirm?token=${signer.sign('confirm', id, new Date(now.getTime() + CONFIRM_DAYS * DAY))}`,
      unsubscribeUrl: `/alerts/unsubscribe?token=${signer.sign('manage', id)}`,
    });
    await this.mailer.send(mail);
  }

  /** The subscriber a confirmation link is for, or null when the link is not valid. */
  async confirmable(token: unknown): Promise<Subscriber | null> {
    const id = (await this.signer()).verify(token, 'confirm', this.clock.now());
    const subscriber = id === null ? undefined : await this.repo.byId(id);
    return subscriber && subscriber.status !== 'unsubscribed' ? subscriber : null;
  }

  /** Confirms the subscription (a new opt-in: an earlier unsubscribe no longer holds). */
  async confirm(token: unknown): Promise<Subscriber> {
    const subscriber = await this.confirmable(token);
    if (!subscriber) throw badLink();
    const now = this.clock.now().toISOString();
    await this.repo.transaction(async (repo) => {
      if (subscriber.status === 'pending') await repo.setStatus(subscriber.id, 'active', now, { confirmedAt: now });
      await repo.unsuppress(subscriber.email);
    });
    return (await this.repo.byId(subscriber.id))!;
  }

  /** The subscriber a preferences or unsubscribe link is for, or null. */
  async manageable(token: unknown): Promise<Subscriber | null> {
    const id = (await this.signer()).verify(token, 'manage', this.clock.now());
    return (id !== null && (await this.repo.byId(id))) || null;
  }

  /** The signed preferences link for a subscriber (in every alert mail). */
  async manageToken(subscriberId: number): Promise<string> {
    return (await this.signer()).sign('manage', subscriberId);
  }

  async updatePreferences(token: unknown, input: { sections?: unknown; paused?: unknown }): Promise<Subscriber> {
    const subscriber = await this.manageable(token);
    if (!subscriber || subscriber.status === 'unsubscribed') throw badLink();
    const errors: FieldError[] = [];
    const sections = await this.checkSections(input.sections, errors);
    if (errors.length) throw invalidInput(errors);
    const now = this.clock.now().toISOString();
    await this.repo.transaction(async (repo) => {
      await repo.setSections(subscriber.id, sections);
      if (subscriber.status !== 'pending') await repo.setStatus(subscriber.id, input.paused === 'on' ? 'paused' : 'active', now);
    });
    return (await this.repo.byId(subscriber.id))!;
  }

  /** Unsubscribes at once and adds the address to the suppression list (RFC 8058 one-click too). */
  async unsubscribe(token: unknown): Promise<Subscriber> {
    const subscriber = await this.manageable(token);
    if (!subscriber) throw badLink();
    const now = this.clock.now().toISOString();
    await this.repo.transaction(async (repo) => {
      await repo.setStatus(subscriber.id, 'unsubscribed', now);
      await repo.suppress(subscriber.email, 'unsubscribed', now);
    });
    return { ...subscriber, status: 'unsubscribed' };
  }

  /** Sign-up attempts older than a day are no longer counted by any limit. */
  pruneAttempts(): Promise<void> {
    return this.repo.pruneAttempts(iso(this.clock.now(), -DAY));
  }

  /** "All breaking news", "National and World": what the reader chose, in words. */
  async describe(sections: string[]): Promise<string> {
    if (sections.includes(ALL_SECTIONS)) return 'all breaking news';
    const names = await this.sections.choices();
    const list = sections.map((slug) => names.get(slug) ?? slug);
    return `${list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}` : list[0]} news`;
  }

  private async looksHuman(input: SignUpInput, now: Date): Promise<boolean> {
    if (typeof input.website === 'string' && input.website.trim() !== '') return false;
    const started = (await this.signer()).verify(input.started, 'form', now);
    return started !== null && now.getTime() / 1000 - started >= MIN_FORM_SECONDS;
  }

  private async checkSections(raw: unknown, errors: FieldError[]): Promise<string[]> {
    return checkSectionChoice(raw, await this.sections.choices(), errors);
  }
}

/** The sections a reader ticked, checked against those offered: ['*'], or sorted slugs. */
export function checkSectionChoice(raw: unknown, choices: Map<string, string>, errors: FieldError[]): string[] {
  const chosen = [...new Set((Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => (typeof v === 'string' ? v.trim() : '')))];
  if (chosen.length === 0) {
    errors.push({ field: 'sections', message: 'Choose “All breaking news” or at least one section.' });
    return [];
  }
  if (chosen.length > choices.size + 1 || chosen.some((slug) => slug !== ALL_SECTIONS && !choices.has(slug))) {
    errors.push({ field: 'sections', message: 'Choose from the sections listed.' });
    return [];
  }
  return chosen.includes(ALL_SECTIONS) ? [ALL_SECTIONS] : chosen.sort();
}

function checkEmail(raw: unknown, errors: FieldError[]): string {
  const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!email) errors.push({ field: 'email', message: 'Enter your email address.' });
  else if (email.length > 254 || /[\u0000-\u001f\u007f]/.test(email) || !EMAIL.test(email)) {
    errors.push({ field: 'email', message: 'Enter an email address like name@example.com.' });
  }
  return email;
}

const badLink = () => new AppError('forbidden', 'This link is not valid: it may have been changed, or it has expired. Sign up again from any page of the site.');

function iso(now: Date, offsetMs: number): string {
  return new Date(now.getTime() + offsetMs).toISOString();
}
