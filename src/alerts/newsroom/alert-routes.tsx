// The newsroom's alert desk (editors and administrators): write an alert (from a published story
// or with a link), review it with its previews and the number of subscribers it reaches per
// channel, send it once, and follow its delivery per channel and recipient by recipient, with a
// chart of deliveries over time (the screen reloads itself every few seconds while it sends).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Csrf, ErrorSummary, Field, TextArea, attempt } from '../../newsroom/forms.tsx';
import { AudienceFields, formValues, one, topicChoices, type TopicChoices, type Values } from './alert-form-parts.tsx';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import type { FieldError } from '../../platform/errors.ts';
import { TEXT_MAX, TITLE_MAX, type AlertDraft, type AlertService, type Stories } from '../alert-service.ts';
import { ALL_SECTIONS, topicKey, topicSlugOf } from '../audience.ts';
import { CHANNELS, type Channel } from '../alert-repository.ts';
import { DeliveryChart } from './delivery-chart.tsx';

export interface AlertDeskDeps {
  alerts: AlertService;
  stories: Stories;
  pages: NewsroomPages;
  sections(): Promise<{ slug: string; name: string }[]>;
  topics: TopicChoices;
}

const senders = { permission: 'canSendAlerts' as const };

export function registerAlertDesk(app: FastifyInstance, deps: AlertDeskDeps): void {
  const { alerts, pages } = deps;

  const formPage = async (request: FastifyRequest, reply: FastifyReply, values: Values, errors: FieldError[] = [], status = 200) => {
    const [sections, topics] = await Promise.all([deps.sections(), topicChoices(values, deps.topics)]);
    return pages.send(request, reply, { title: 'Write an alert', status }, ({ csrf }) => (
      <>
        <h1>Write a breaking-news alert</h1>
        <ErrorSummary errors={errors} />
        <form class="stack" method="post" action="/newsroom/alerts/review" novalidate>
          <Csrf token={csrf} />
          <Field name="title" label="Title" hint={`Up to ${TITLE_MAX} characters: the mail's subject after "Breaking:".`} value={one(values.title)} errors={errors} required />
          <TextArea name="text" label="Text" hint={`Up to ${TEXT_MAX} characters: what happened, in a sentence or two.`} value={one(values.text)} errors={errors} />
          <Field name="articleId" label="Story number" hint="The published story the alert opens (its number is in its edit address). Or leave it empty and give a link below." value={one(values.articleId)} errors={errors} inputMode="numeric" />
          <Field name="url" label="Link" hint="Only without a story: a path on this site (/national/…) or an https:// address." value={one(values.url)} errors={errors} />
          <AudienceFields sections={sections} topics={topics} chosen={values.sections} errors={errors} />
          <div>
            <button type="submit">Review</button>
          </div>
        </form>
      </>
    ));
  };

  app.get('/newsroom/alerts', { config: senders }, async (request, reply) => {
    const sent = await alerts.list();
    return pages.send(request, reply, { title: 'Alerts' }, () => (
      <>
        <h1>Breaking-news alerts</h1>
        <p>
          <a href="/newsroom/alerts/new">Write an alert</a> · <a href="/newsroom/alerts/waiting">Alerts waiting for a scheduled story</a>
        </p>
        {sent.length === 0 ? (
          <p class="muted">No alert has been sent yet.</p>
        ) : (
          <table>
            <caption class="skip">Alerts sent</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Sent</th>
                <th scope="col">By</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {sent.map((alert) => (
                <tr key={alert.id}>
                  <td>
                    <a href={`/newsroom/alerts/${alert.id}`}>{alert.title}</a>
                  </td>
                  <td>{alert.createdAt.slice(0, 16).replace('T', ' ')}</td>
                  <td>{alert.createdBy}</td>
                  <td>{alert.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    ));
  });

  app.get('/newsroom/alerts/new', { config: senders }, async (request, reply) => {
    const articleId = String((request.query as Record<string, unknown>).article ?? '');
    const story = /^\d{1,10}$/.test(articleId) ? await deps.stories.publishedPath(Number(articleId)) : null;
    const values: Values = story ? { title: story.headline.slice(0, TITLE_MAX), text: story.dek.slice(0, TEXT_MAX), articleId, sections: [story.section, ...story.topics.map((t) => topicKey(t.slug))] } : {};
    return formPage(request, reply, values);
  });

  app.post('/newsroom/alerts/edit', { config: senders }, async (request, reply) => formPage(request, reply, formValues(request.body)));

  app.post('/newsroom/alerts/review', { config: senders }, async (request, reply) => {
    const values = formValues(request.body);
    const checked = await attempt(() => alerts.check(values));
    if ('errors' in checked) return formPage(request, reply, values, checked.errors, checked.status);
    const draft = checked.ok;
    const [audience, names] = await Promise.all([alerts.audienceCount(draft.sections), deps.topics.names(draft.sections)]);
    const who = draft.sections.includes(ALL_SECTIONS)
      ? 'Everyone subscribed'
      : draft.sections.map((key, i) => `${topicSlugOf(key) === null ? (i ? 'readers' : 'Readers') : i ? 'followers' : 'Followers'} of ${names.get(key) ?? key}`).join(', ');
    const reach = audience.email + audience.push;
    return pages.send(request, reply, { title: 'Review the alert' }, ({ csrf }) => (
      <>
        <h1>Review the alert</h1>
        <h2>As a notification</h2>
        <div class="alert-preview" role="img" aria-label={`Notification preview: ${draft.title}. ${draft.text}`}>
          <strong>{draft.title}</strong>
          <p>{draft.text}</p>
        </div>
        <h2>As an email</h2>
        <p>
          <strong>Subject:</strong> {`Breaking: ${draft.title}`}
        </p>
        <p>{draft.text}</p>
        <p>
          <strong>Opens:</strong> {draft.url}
        </p>
        <h2>Who gets it</h2>
        <p>{`${who}:`}</p>
        <ul>
          <li>{`${audience.email.toLocaleString('en')} ${audience.email === 1 ? 'subscriber' : 'subscribers'} by email`}</li>
          <li>{`${audience.push.toLocaleString('en')} ${audience.push === 1 ? 'browser' : 'browsers'} by push notification`}</li>
        </ul>
        <form method="post" action="/newsroom/alerts">
          <Csrf token={csrf} />
          <Hidden draft={draft} />
          <input type="hidden" name="idempotencyKey" value={randomUUID()} />
          <button class="danger" type="submit">{`Send to ${reach.toLocaleString('en')} now`}</button>
        </form>
        <form method="post" action="/newsroom/alerts/edit">
          <Csrf token={csrf} />
          <Hidden draft={draft} />
          <button class="quiet" type="submit">Change it</button>
        </form>
      </>
    ));
  });

  app.post('/newsroom/alerts', { config: senders }, async (request, reply) => {
    const values = formValues(request.body);
    const result = await attempt(async () => alerts.send(await alerts.check(values), { by: request.actor!, idempotencyKey: one(values.idempotencyKey) }));
    if ('errors' in result) return formPage(request, reply, values, result.errors, result.status);
    return reply.redirect(`/newsroom/alerts/${result.ok.alert.id}`, 303);
  });

  app.get('/newsroom/alerts/:id', { config: senders }, async (request, reply) => {
    const { alert, channels, notReached, timeline } = await alerts.progress((request.params as { id: number }).id);
    const total = CHANNELS.reduce((sum, c) => sum + channels[c].total, 0);
    const queued = CHANNELS.reduce((sum, c) => sum + channels[c].queued, 0);
    const following = alert.status !== 'complete' && (request.query as Record<string, unknown>).follow !== 'off';
    // While it sends, the screen reloads itself (the Refresh header: no script); "Stop" keeps it still.
    if (following) reply.header('refresh', '3');
    return pages.send(request, reply, { title: `Alert: ${alert.title}` }, () => (
      <>
        <h1>{`Alert: ${alert.title}`}</h1>
        <p>{`${alert.text} · Opens ${alert.url} · Sent ${alert.createdAt.slice(0, 16).replace('T', ' ')} by ${alert.createdBy}`}</p>
        <h2>Delivery</h2>
        <p role="status">
          {alert.status === 'queued'
            ? 'Queued: sending starts in a moment. '
            : alert.status === 'sending'
              ? `Sending: ${queued.toLocaleString('en')} of ${total.toLocaleString('en')} still to go. `
              : `Complete: every one of ${total.toLocaleString('en')} recipients is accounted for.`}
          {alert.status !== 'complete' &&
            (following ? (
              <>
                This page updates every few seconds. <a href={`/newsroom/alerts/${alert.id}?follow=off`}>Stop updating</a>
              </>
            ) : (
              <a href={`/newsroom/alerts/${alert.id}`}>Update as it sends</a>
            ))}
        </p>
        <table>
          <caption>By channel</caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Recipients</th>
              <th scope="col">Queued</th>
              <th scope="col">Sent</th>
              <th scope="col">Failed</th>
              <th scope="col">Removed subscriptions</th>
              <th scope="col">Not sent (unsubscribed, paused, suppressed)</th>
            </tr>
          </thead>
          <tbody>
            {CHANNELS.map((channel) => (
              <tr key={channel}>
                <th scope="row">{CHANNEL_NAMES[channel]}</th>
                <td>{channels[channel].total}</td>
                <td>{channels[channel].queued}</td>
                <td>{channels[channel].sent}</td>
                <td>{channels[channel].failed}</td>
                <td>{channel === 'push' ? channels[channel].removed : '–'}</td>
                <td>{channels[channel].suppressed}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>Deliveries over time</h2>
        <DeliveryChart points={timeline} id={`alert-${alert.id}-chart`} />
        {notReached.length > 0 && (
          <>
            <h2>Not reached</h2>
            <table>
              <caption class="skip">Recipients not reached, and why</caption>
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Recipient</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {notReached.map((r) => (
                  <tr key={`${r.channel}:${r.recipient}`}>
                    <td>{CHANNEL_NAMES[r.channel]}</td>
                    <td>{r.recipient}</td>
                    <td>{`${r.status}${r.reason ? `: ${r.reason}` : ''}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </>
    ));
  });
}

const CHANNEL_NAMES: Record<Channel, string> = { email: 'Email', push: 'Push notification' };

function Hidden({ draft }: { draft: AlertDraft }) {
  return (
    <>
      <input type="hidden" name="title" value={draft.title} />
      <input type="hidden" name="text" value={draft.text} />
      {draft.articleId !== null ? <input type="hidden" name="articleId" value={String(draft.articleId)} /> : <input type="hidden" name="url" value={draft.url} />}
      {draft.sections.map((s) => (
        <input key={s} type="hidden" name="sections" value={s} />
      ))}
    </>
  );
}
