// The breaking-news sign-up box, as the seed page words it. The same for every reader (the page
// around it stays cached): a plain form that works without JavaScript, with a honeypot field
// hidden from people and a signed render time (a script that posts at once is not a reader).

export interface SignupBoxProps {
  /** "Canada", "the Bay Area": the site setting; without it the box speaks of "your community". */
  region: string;
  /** The sentence from the site settings, `{region}` where the region goes; empty: the seed page's words. */
  pitch?: string;
  /** The section the box stands in, for "Get the latest … news" and the preselected choice. */
  section?: { slug: string; name: string };
  sections: { slug: string; name: string }[];
  formToken: string;
  /** Where the box is: ids stay unique when a page shows it twice. */
  idPrefix?: string;
  /** What the reader typed, when the form comes back with a problem (never on a cached page). */
  email?: string;
  /** What the reader ticked, when the form comes back: sections, and followed topics with their names. */
  chosen?: { keys: string[]; topics: { key: string; name: string }[] };
}

export const DEFAULT_PITCH = 'For news impacting {region} and around the world, sign up to receive breaking news alerts sent directly to you as they happen.';

export function SignupBox({ region, pitch, section, sections, formToken, idPrefix = 'alerts', email, chosen }: SignupBoxProps) {
  const id = (name: string) => `${idPrefix}-${name}`;
  const topic = section ? section.name.toLowerCase() : 'breaking';
  return (
    <aside class="alerts-box" aria-labelledby={id('heading')}>
      <h2 id={id('heading')}>{`Get the latest ${topic} news`}</h2>
      <p>{(pitch || DEFAULT_PITCH).replaceAll('{region}', region || 'your community')}</p>
      <form method="post" action="/alerts">
        <SignupFields formToken={formToken} idPrefix={idPrefix} email={email} />
        <fieldset>
          <legend>Alerts about</legend>
          <label>
            <input type="checkbox" name="sections" value="*" checked={chosen ? chosen.keys.includes('*') : !section} /> All breaking news
          </label>
          {sections.map((s) => (
            <label key={s.slug}>
              <input type="checkbox" name="sections" value={s.slug} checked={chosen ? chosen.keys.includes(s.slug) : section?.slug === s.slug} /> {s.name}
            </label>
          ))}
          {chosen?.topics.map((t) => (
            <label key={t.key}>
              <input type="checkbox" name="sections" value={t.key} checked /> {t.name}
            </label>
          ))}
        </fieldset>
        <button type="submit">Sign up</button>
        {/* Filled by the alerts-push island ("Turn on notifications"); stays hidden without it. */}
        <div class="alerts-push" data-alerts-push="button" hidden />
      </form>
    </aside>
  );
}

/**
 * The fields every sign-up form carries: its signed render time, the honeypot (hidden from people;
 * filled means a script) and the address. Shared by this box and "Follow <topic>".
 */
export function SignupFields({ formToken, idPrefix, email }: { formToken: string; idPrefix: string; email?: string }) {
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <>
      <input type="hidden" name="started" value={formToken} />
      <div class="alerts-trap" aria-hidden="true">
        <label for={id('website')}>Leave this empty</label>
        <input id={id('website')} name="website" type="text" tabIndex={-1} autoComplete="off" />
      </div>
      <label for={id('email')}>Email address</label>
      <input id={id('email')} name="email" type="email" autoComplete="email" required maxLength={254} value={email} />
    </>
  );
}
