// Shows diffStories' result: changed fields as before/after, the body block by block with the
// words inserted and deleted inside edited paragraphs. Used by the revision history and by the
// conflict page a stale save gets.
import type { Article } from '../model.ts';
import { diffStories, type StoryDiff, type StoryVersion } from '../revision-diff.ts';

export function versionOf(article: Article): StoryVersion {
  return {
    headline: article.headline,
    dek: article.dek,
    slug: article.slug,
    section: article.section.name,
    status: article.status,
    credit: article.credit.text,
    authors: article.authors.map((a) => a.name),
    topics: article.topics.map((t) => t.name),
    seoTitle: article.seoTitle,
    seoDescription: article.seoDescription,
    body: article.body,
  };
}

export function compare(before: Article, after: Article): StoryDiff {
  return diffStories(versionOf(before), versionOf(after));
}

export function DiffView({ diff }: { diff: StoryDiff }) {
  if (diff.same) return <p>No differences.</p>;
  return (
    <div class="diff">
      {diff.fields.length > 0 && (
        <table>
          <caption>Changed fields</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {diff.fields.map((f) => (
              <tr key={f.field}>
                <th scope="row">{f.field}</th>
                <td>
                  <del>{f.before}</del>
                </td>
                <td>
                  <ins>{f.after}</ins>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Body</h3>
      <div class="diff-body">
        {diff.body.map((block, i) => {
          if (block.kind === 'same') return <p key={i} class="diff-same">{block.text}</p>;
          if (block.kind === 'added') return <p key={i}><ins>{block.text}</ins></p>;
          if (block.kind === 'removed') return <p key={i}><del>{block.text}</del></p>;
          return (
            <p key={i} class="diff-changed">
              {block.words.map((w, j) =>
                w.kind === 'same' ? <span key={j}>{w.text}</span> : w.kind === 'added' ? <ins key={j}>{w.text}</ins> : <del key={j}>{w.text}</del>,
              )}
            </p>
          );
        })}
      </div>
    </div>
  );
}
