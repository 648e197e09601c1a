// The mails alerts send: the confirmation, the offer to add alerts to a subscription (a reader
// already signed up who followed a topic), and the alert itself. All are multipart (plain text and
// a simple, accessible HTML part), carry one List-Unsubscribe and one List-Unsubscribe-Post header
// (RFC 8058 one-click), a List-Id, and a Message-ID that a repeated delivery keeps.
import type { ComponentChildren } from 'preact';
import type { OutgoingMail } from '../platform/mailer.ts';
import { renderDocument } from '../platform/render.ts';

export interface MailSite {
  siteName: string;
  siteUrl: string;
}

const host = (site: MailSite) => new URL(site.siteUrl).hostname;

function listHeaders(site: MailSite, unsubscribeUrl: string): Record<string, string> {
  return {
    'List-Id': `${site.siteName.replace(/[<>"\r\n]/g, '')} breaking news <alerts.${host(site)}>`,
    'List-Unsubscribe': `<${site.siteUrl}${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

function Page({ site, heading, children }: { site: MailSite; heading: string; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{heading}</title>
      </head>
      <body style="font-family: Georgia, serif; color: #111; max-width: 36rem; margin: 0 auto; padding: 1rem; line-height: 1.5">
        <p style="font-weight: bold; font-size: 1.1rem">{site.siteName}</p>
        <h1 style="font-size: 1.4rem">{heading}</h1>
        {children}
      </body>
    </html>
  );
}

const html = renderDocument;

export function confirmationMail(site: MailSite, input: { email: string; sections: string; confirmUrl: string; unsubscribeUrl: string }): OutgoingMail {
  const confirm = `${site.siteUrl}${input.confirmUrl}`;
  const heading = 'Confirm your breaking news alerts';
  return {
    to: input.email,
    subject: `Confirm your breaking news alerts from ${site.siteName}`,
    messageId: `<confirm-${Date.now()}-${Math.random().toString(36).slice(2)}@${host(site)}>`,
    headers: listHeaders(site, input.unsubscribeUrl),
    text: [
      `Someone (we hope you) asked ${site.siteName} to send ${input.sections} alerts to ${input.email}.`,
      '',
      `To start them, confirm here: ${confirm}`,
      '',
      'If it was not you, ignore this mail: nothing more will be sent.',
    ].join('\n'),
    html: html(
      <Page site={site} heading={heading}>
        <p>{`Someone (we hope you) asked ${site.siteName} to send ${input.sections} alerts to ${input.email}.`}</p>
        <p>
          <a href={confirm} style="font-weight: bold">
            Confirm my alerts
          </a>
        </p>
        <p>If it was not you, ignore this mail: nothing more will be sent.</p>
      </Page>,
    ),
  };
}

/**
 * To a reader already subscribed who asked, from a sign-up form, for more (a topic): a link to
 * their preferences with the new choices ticked. Nothing changes until they press Save there.
 */
export function additionMail(site: MailSite, input: { email: string; adding: string; preferencesUrl: string; unsubscribeUrl: string }): OutgoingMail {
  const preferences = `${site.siteUrl}${input.preferencesUrl}`;
  const heading = 'Add to your breaking news alerts';
  return {
    to: input.email,
    subject: `Add ${input.adding} to your alerts from ${site.siteName}`,
    messageId: `<add-${Date.now()}-${Math.random().toString(36).slice(2)}@${host(site)}>`,
    headers: listHeaders(site, input.unsubscribeUrl),
    text: [
      `Someone (we hope you) asked ${site.siteName} to send ${input.adding} alerts to ${input.email}, which already gets our alerts.`,
      '',
      `To add them, open your alert choices and press Save: ${preferences}`,
      '',
      'If it was not you, ignore this mail: your alerts stay as they are.',
    ].join('\n'),
    html: html(
      <Page site={site} heading={heading}>
        <p>{`Someone (we hope you) asked ${site.siteName} to send ${input.adding} alerts to ${input.email}, which already gets our alerts.`}</p>
        <p>
          <a href={preferences} style="font-weight: bold">
            Add them to my alerts
          </a>
        </p>
        <p>If it was not you, ignore this mail: your alerts stay as they are.</p>
      </Page>,
    ),
  };
}

/**
 * The alert's mail for any recipient: drawn once per alert (rendering the HTML is most of a mail's
 * cost), then each recipient's address, Message-ID and links are put in.
 */
export function alertMailTemplate(site: MailSite, alert: { alertId: number; title: string; text: string; url: string }): (recipient: { to: string; subscriberId: number; manageUrl: string; unsubscribeUrl: string }) => OutgoingMail {
  const [MANAGE, UNSUBSCRIBE, SUBSCRIBER] = ['BulletinManage0link', 'BulletinUnsubscribe0link', '0BulletinSubscriber0'];
  const drawn = alertMail(site, { ...alert, to: '', subscriberId: SUBSCRIBER as unknown as number, manageUrl: `/${MANAGE}`, unsubscribeUrl: `/${UNSUBSCRIBE}` });
  const fill = (text: string, r: { subscriberId: number; manageUrl: string; unsubscribeUrl: string }) =>
    text.replaceAll(`/${MANAGE}`, r.manageUrl).replaceAll(`/${UNSUBSCRIBE}`, r.unsubscribeUrl).replaceAll(SUBSCRIBER, String(r.subscriberId));
  return (r) => ({
    ...drawn,
    to: r.to,
    messageId: fill(drawn.messageId, r),
    text: fill(drawn.text, r),
    html: fill(drawn.html, r),
    headers: Object.fromEntries(Object.entries(drawn.headers ?? {}).map(([name, value]) => [name, fill(value, r)])),
  });
}

export function alertMail(site: MailSite, input: { to: string; alertId: number; subscriberId: number; title: string; text: string; url: string; manageUrl: string; unsubscribeUrl: string }): OutgoingMail {
  const link = input.url.startsWith('/') ? `${site.siteUrl}${input.url}` : input.url;
  const manage = `${site.siteUrl}${input.manageUrl}`;
  return {
    to: input.to,
    subject: `Breaking: ${input.title}`,
    // The same for every attempt at this (alert, subscriber): a repeat collapses in the inbox.
    messageId: `<alert-${input.alertId}-${input.subscriberId}@${host(site)}>`,
    headers: listHeaders(site, input.unsubscribeUrl),
    text: [`BREAKING: ${input.title}`, '', input.text, '', `Read more: ${link}`, '', `Change your alerts or unsubscribe: ${manage}`].join('\n'),
    html: html(
      <Page site={site} heading={`Breaking: ${input.title}`}>
        <p>{input.text}</p>
        <p>
          <a href={link} style="font-weight: bold">
            Read the story
          </a>
        </p>
        <p style="font-size: 0.9rem; color: #444">
          <a href={manage}>Change your alerts or unsubscribe</a>
        </p>
      </Page>,
    ),
  };
}
