// The topics index: every topic with stories readers can see, by name, with how many.
import type { TopicKind } from '../articles/topics/topic-kinds.ts';

const HEADINGS: [TopicKind, string][] = [['person', 'People'], ['place', 'Places'], ['organization', 'Organizations'], ['subject', 'Subjects']];

export function TopicsIndexPage({ topics }: { topics: { slug: string; name: string; kind: TopicKind; stories: number }[] }) {
  return (
    <section class="listing">
      <h1>Topics</h1>
      {topics.length === 0 && <p>No topics yet.</p>}
      {HEADINGS.map(([kind, heading]) => {
        const list = topics.filter((t) => t.kind === kind);
        if (list.length === 0) return null;
        return (
          <section key={kind} aria-labelledby={`topics-${kind}`}>
            <h2 id={`topics-${kind}`}>{heading}</h2>
            <ul class="topic-index">
              {list.map((t) => (
                <li key={t.slug}>
                  <a href={`/topic/${t.slug}`}>{t.name}</a> <span class="muted">({t.stories === 1 ? '1 story' : `${t.stories.toLocaleString('en')} stories`})</span>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}
