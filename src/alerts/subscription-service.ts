// Readers' side of alerts: sign up (double opt-in by email), confirm, change sections, pause,
// unsubscribe. No reader account: every step after the sign-up is a signed link. The sign-up
// answers the same whatever the address's state, so it tells nobody who subscribed.
import { createHash } from 'node:crypto';
import type { Clock } from '../platform/clock.ts';
import { AppError, invalidInput, type FieldError } from '../platform/errors.ts';
import type { Mailer } from '../platform/mailer.ts';
import { ALL_SECTIONS, audienceNames, checkAudience, describeAudience, type Audiences } from './audience.ts';
import { additionMail, confirmationMail, type MailSite } from './alert-mail.tsx';
import type { LinkSigner } from './signed-links.ts';
import type { Subscriber, SubscriberRepository } from './subscriber-repository.ts';

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

export class SubscriptionService {
  constructor(
    private readonly repo: SubscriberRepository,
    private readonly signer: () => Promise<LinkSigner>,
    private readonly mailer: Mailer,
    private readonly audiences: Audiences,
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
    if (existing?.status === 'active' || existing?.status === 'paused') return this.offerAddition(existing, sections, now);
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

  /**
   * A subscribed reader asked for more (a topic, from its page): one mail, within the same daily
   * limit as confirmations, with a link to their preferences where the new choices are ticked.
   * Nothing is stored: only the address's owner, pressing Save there, adds them.
   */
  private async offerAddition(subscriber: Subscriber, asked: string[], now: Date): Promise<void> {
    // "All breaking news" reaches a reader with every alert, a topic's included.
    if (subscriber.sections.includes(ALL_SECTIONS)) return;
    const adding = asked.filter((key) => !subscriber.sections.includes(key));
    if (adding.length === 0 || (await this.repo.isSuppressed(subscriber.email))) return;
    if (!(await this.repo.claimConfirmationSlot(subscriber.id, now.toISOString(), iso(now, -DAY)))) return;
    const token = await this.manageToken(subscriber.id);
    const add = adding.map((key) => `&add=${encodeURIComponent(key)}`).join('');
    await this.mailer.send(
      additionMail(await this.site(), {
        email: subscriber.email,
        adding: await this.describe(adding),
        preferencesUrl: `/alerts/manage?token=${token}${add}`,
        unsubscribeUrl: `/alerts/unsubscribe?token=${token}`,
      }),
    );
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

  /** Every chosen key's name ("All breaking news", "National", "Ukraine"). */
  names(keys: string[]): Promise<Map<string, string>> {
    return audienceNames(keys, this.audiences);
  }

  /** "all breaking news", "National and Ukraine news": what the reader chose, in words. */
  describe(keys: string[]): Promise<string> {
    return describeAudience(keys, this.audiences);
  }

  private async looksHuman(input: SignUpInput, now: Date): Promise<boolean> {
    if (typeof input.website === 'string' && input.website.trim() !== '') return false;
    const started = (await this.signer()).verify(input.started, 'form', now);
    return started !== null && now.getTime() / 1000 - started >= MIN_FORM_SECONDS;
  }

  private checkSections(raw: unknown, errors: FieldError[]): Promise<string[]> {
    return checkReaderChoice(raw, this.audiences, errors);
  }
}

/** What a reader ticked (sections, followed topics), checked against what exists: ['*'], or sorted keys. */
export function checkReaderChoice(raw: unknown, audiences: Audiences, errors: FieldError[]): Promise<string[]> {
  return checkAudience(raw, audiences, errors, 'Choose “All breaking news” or at least one section.');
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
