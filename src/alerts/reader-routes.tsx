// Readers' alert pages: /alerts (the sign-up box on a page of its own, cached), the sign-up POST,
// the confirmation (a button: mail scanners follow GET links, so a GET never confirms), the
// preferences page at a signed link, and unsubscribe (a GET shows one button; the POST, one-click
// per RFC 8058, needs no cookie and takes effect at once).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { AppError, type FieldError } from '../platform/errors.ts';
import type { PageResponder } from '../platform/page-responder.ts';
import type { PageMeta } from '../site/layout.tsx';
import { SignupBox } from './signup-box.tsx';
import { ALL_SECTIONS, MAX_TOPICS, topicSlugOf } from './audience.ts';
import type { SubscriptionService } from './subscription-service.ts';
import type { Subscriber } from './subscriber-repository.ts';

export interface ReaderDeps {
  subscriptions: SubscriptionService;
  responder: PageResponder;
  chromePage(meta: PageMeta, content: VNode): Promise<{ body: string; tags: string[] }>;
  sections(): Promise<{ slug: string; name: string }[]>;
  /** The site settings' region and sign-up sentence. */
  wording(): Promise<{ region: string; pitch: string }>;
}

const NO_STORE = 'private, no-store';

export function registerAlertReaderRoutes(app: FastifyInstance, deps: ReaderDeps): void {
  const { subscriptions, responder } = deps;

  /** A page only this reader sees (a result, a link's form): never cached, kept out of search. */
  const personal = async (reply: FastifyReply, title: string, content: VNode, status = 200) => {
    const page = await deps.chromePage({ title, description: title, path: '/alerts', noindex: true }, content);
    return reply.code(status).header('cache-control', NO_STORE).type('text/html; charset=utf-8').send(page.body);
  };

  const signupPage = async (errors: FieldError[] = [], values: { email?: string; sections?: unknown } = {}) => {
    const [sections, { region, pitch }, formToken] = await Promise.all([deps.sections(), deps.wording(), subscriptions.formToken()]);
    // A form sent back keeps what was ticked, a followed topic's box included.
    const keys = (Array.isArray(values.sections) ? values.sections : [values.sections]).filter((key): key is string => typeof key === 'string').slice(0, MAX_TOPICS);
    const names = values.sections === undefined ? new Map<string, string>() : await subscriptions.names(keys);
    const chosen = values.sections === undefined ? undefined : { keys, topics: keys.filter((key) => topicSlugOf(key) !== null && names.has(key)).map((key) => ({ key, name: names.get(key)! })) };
    return (
      <section class="alerts-page">
        <h1>Breaking news alerts</h1>
        {errors.length > 0 && <Problems errors={errors} />}
        <SignupBox region={region} pitch={pitch} sections={sections} formToken={formToken} email={values.email} chosen={chosen} />
      </section>
    );
  };

  app.get('/alerts', async (request, reply) =>
    responder.respond(request, reply, '/alerts', async () => {
      const page = await deps.chromePage({ title: 'Breaking news alerts', description: 'Sign up to receive breaking news alerts by email or as browser notifications, as they happen.', path: '/alerts' }, await signupPage());
      return { ...page, cacheControl: 'public, max-age=300' };
    }),
  );

  app.post('/alerts', async (request, reply) => {
    const form = fields(request.body);
    try {
      await subscriptions.signUp({ email: form.email, sections: form.sections, website: form.website, started: form.started, client: request.ip });
    } catch (error) {
      if (!(error instanceof AppError) || !['invalid_input', 'rate_limited'].includes(error.code)) throw error;
      const email = typeof form.email === 'string' ? form.email.slice(0, 254) : undefined;
      return personal(reply, error.code === 'rate_limited' ? 'Too many sign-ups' : 'Check the form', await signupPage(error.details, { email, sections: form.sections }), error.status);
    }
    return personal(
      reply,
      'Check your inbox',
      <section class="notice" role="status">
        <h1>Check your inbox</h1>
        <p>We have sent a link to confirm your alerts (if you signed up already, nothing changes). Alerts start once you confirm.</p>
      </section>,
    );
  });

  app.get('/alerts/confirm', async (request, reply) => {
    const token = query(request).token;
    const subscriber = await subscriptions.confirmable(token);
    if (!subscriber) return personal(reply, 'Link not valid', <BadLink />, 403);
    return personal(
      reply,
      'Confirm your alerts',
      <section class="notice">
        <h1>Confirm your alerts</h1>
        <p>{`Breaking news alerts about ${await subscriptions.describe(subscriber.sections)} for ${subscriber.email}.`}</p>
        <form method="post" action={`/alerts/confirm?token=${encodeURIComponent(String(token))}`}>
          <button type="submit">Confirm my alerts</button>
        </form>
      </section>,
    );
  });

  app.post('/alerts/confirm', async (request, reply) => {
    const subscriber = await attemptLink(() => subscriptions.confirm(query(request).token));
    if (!subscriber) return personal(reply, 'Link not valid', <BadLink />, 403);
    return personal(
      reply,
      'Alerts confirmed',
      <section class="notice" role="status">
        <h1>You are signed up</h1>
        <p>{`You will get breaking news alerts about ${await subscriptions.describe(subscriber.sections)} at ${subscriber.email}, as they happen.`}</p>
        <p>Every alert has a link to change your choices or unsubscribe.</p>
      </section>,
    );
  });

  /**
   * The preferences form. `adding`: keys an addition mail's link asks to add (a followed topic),
   * shown ticked and saved only with the form; topics followed show beside the sections.
   */
  const preferences = async (reply: FastifyReply, token: string, subscriber: Subscriber, extra: { errors?: FieldError[]; saved?: boolean; status?: number; adding?: string[] } = {}) => {
    const sections = await deps.sections();
    const chosen = new Set([...subscriber.sections, ...(extra.adding ?? [])]);
    const names = await subscriptions.names([...chosen]);
    const topics = [...chosen].filter((key) => topicSlugOf(key) !== null && names.has(key));
    const action = `?token=${encodeURIComponent(token)}`;
    return personal(
      reply,
      'Your alerts',
      <section class="alerts-page">
        <h1>Your breaking news alerts</h1>
        <p>{`For ${subscriber.email}.`}</p>
        {extra.saved && <p role="status">Saved.</p>}
        {extra.adding && extra.adding.length > 0 && <p role="status">{`Ticked for you: ${extra.adding.map((key) => names.get(key)).filter(Boolean).join(', ')}. Press Save to add.`}</p>}
        {extra.errors && extra.errors.length > 0 && <Problems errors={extra.errors} />}
        <form method="post" action={`/alerts/manage${action}`}>
          <fieldset>
            <legend>Alerts about</legend>
            <label>
              <input type="checkbox" name="sections" value={ALL_SECTIONS} checked={chosen.has(ALL_SECTIONS)} /> All breaking news
            </label>
            {sections.map((s) => (
              <label key={s.slug}>
                <input type="checkbox" name="sections" value={s.slug} checked={chosen.has(s.slug)} /> {s.name}
              </label>
            ))}
          </fieldset>
          {topics.length > 0 && (
            <fieldset>
              <legend>Topics you follow</legend>
              {topics.map((key) => (
                <label key={key}>
                  <input type="checkbox" name="sections" value={key} checked /> {names.get(key)}
                </label>
              ))}
            </fieldset>
          )}
          <label>
            <input type="checkbox" name="paused" value="on" checked={subscriber.status === 'paused'} /> Pause all alerts for now
          </label>
          <button type="submit">Save</button>
        </form>
        <form method="post" action={`/alerts/unsubscribe${action}`}>
          <button type="submit">Unsubscribe</button>
        </form>
      </section>,
      extra.status,
    );
  };

  app.get('/alerts/manage', async (request, reply) => {
    const token = String(query(request).token ?? '');
    const subscriber = await subscriptions.manageable(token);
    if (!subscriber || subscriber.status === 'unsubscribed') return personal(reply, 'Link not valid', <BadLink />, 403);
    // A link from an addition mail: what it adds is ticked, not saved (a GET changes nothing).
    const asked = query(request).add;
    const adding = (Array.isArray(asked) ? asked : asked === undefined ? [] : [asked]).filter((key): key is string => typeof key === 'string').slice(0, MAX_TOPICS);
    const known = await subscriptions.names(adding);
    return preferences(reply, token, subscriber, { adding: adding.filter((key) => known.has(key) && !subscriber.sections.includes(key)) });
  });

  app.post('/alerts/manage', async (request, reply) => {
    const token = String(query(request).token ?? '');
    const form = fields(request.body);
    try {
      return preferences(reply, token, await subscriptions.updatePreferences(token, { sections: form.sections, paused: form.paused }), { saved: true });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const subscriber = error.code === 'invalid_input' ? await subscriptions.manageable(token) : null;
      if (!subscriber) return personal(reply, 'Link not valid', <BadLink />, 403);
      return preferences(reply, token, subscriber, { errors: error.details, status: error.status });
    }
  });

  app.get('/alerts/unsubscribe', async (request, reply) => {
    const token = String(query(request).token ?? '');
    const subscriber = await subscriptions.manageable(token);
    if (!subscriber) return personal(reply, 'Link not valid', <BadLink />, 403);
    return personal(
      reply,
      'Unsubscribe',
      <section class="notice">
        <h1>Unsubscribe from breaking news alerts?</h1>
        <p>{`No more alerts will be sent to ${subscriber.email}.`}</p>
        <form method="post" action={`/alerts/unsubscribe?token=${encodeURIComponent(token)}`}>
          <button type="submit">Unsubscribe</button>
        </form>
      </section>,
    );
  });

  // One-click clients post "List-Unsubscribe=One-Click" as a form, urlencoded or multipart; the
  // signed token in the address is all that counts, so a multipart body is read (bounded) and dropped.
  void app.register(async (scope) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 16_384 }, (_request, _body, done) => done(null, {}));
    scope.post('/alerts/unsubscribe', async (request, reply) => {
      const subscriber = await attemptLink(() => subscriptions.unsubscribe(query(request).token));
      if (!subscriber) return personal(reply, 'Link not valid', <BadLink />, 403);
      return personal(
        reply,
        'Unsubscribed',
        <section class="notice" role="status">
          <h1>You are unsubscribed</h1>
          <p>{`No more alerts will be sent to ${subscriber.email}. To start again, sign up on any page of the site.`}</p>
        </section>,
      );
    });
  });
}

function Problems({ errors }: { errors: FieldError[] }) {
  return (
    <div class="problems" role="alert">
      <h2>There is a problem</h2>
      <ul>
        {errors.map((e) => (
          <li key={e.message}>{e.message}</li>
        ))}
      </ul>
    </div>
  );
}

function BadLink() {
  return (
    <section class="notice">
      <h1>This link is not valid</h1>
      <p>It may have been changed, or it has expired. You can sign up again from any page of the site.</p>
      <p>
        <a href="/alerts">Breaking news alerts</a>
      </p>
    </section>
  );
}

/** A link's action: the result, or null when the link is not valid (forbidden). */
async function attemptLink<T>(action: () => Promise<T>): Promise<T | null> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof AppError && error.code === 'forbidden') return null;
    throw error;
  }
}

const query = (request: FastifyRequest) => (request.query ?? {}) as Record<string, unknown>;
const fields = (body: unknown) => (body && typeof body === 'object' ? (body as Record<string, unknown>) : {});
