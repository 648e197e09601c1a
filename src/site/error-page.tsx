// Friendly error pages for readers.
import type { Section } from '../articles/model.ts';

/** Where a reader can go from a dead end: the front, or a section. */
function WayOut({ sections }: { sections: Section[] }) {
  return (
    <>
        <p>
          <a href="/">Go to the front page</a>
          {sections.length > 0 && ' or browse a section:'}
        </p>
        {sections.length > 0 && (
          <ul class="topics centered">
            {sections.map((s) => (
              <li key={s.id}>
                <a href={`/${s.slug}`}>{s.name}</a>
              </li>
            ))}
          </ul>
        )}
    </>
  );
}

export function NotFoundPage({ sections }: { sections: Section[] }) {
  return (
    <section class="notice">
      <h1>We couldn’t find that page</h1>
      <p>The story may have moved, or the address may be mistyped.</p>
      <WayOut sections={sections} />
    </section>
  );
}

/** 410 Gone: the story existed and was taken down on purpose. */
export function GonePage({ sections }: { sections: Section[] }) {
  return (
    <section class="notice">
      <h1>This story has been removed</h1>
      <p>The story that was published at this address has been taken down and is no longer available.</p>
      <WayOut sections={sections} />
    </section>
  );
}

export function ServerErrorPage() {
  return (
    <section class="notice">
      <h1>Something went wrong on our side</h1>
      <p>We’ve been told about it. Please try again in a moment.</p>
      <p>
        <a href="/">Go to the front page</a>
      </p>
    </section>
  );
}

/** What a refused request's page says happened, by its status. */
export function refusalTitle(status: number): string {
  const titles: Record<number, string> = {
    413: 'That is too large to send',
    415: 'That kind of content is not accepted here',
    429: 'Too many requests: wait a minute, then try again',
    431: 'That request is too large',
  };
  return titles[status] ?? 'That address is not valid';
}

export function BadRequestPage({ title, message }: { title: string; message: string }) {
  return (
    <section class="notice">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Go to the front page</a>
      </p>
    </section>
  );
}
