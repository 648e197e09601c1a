// The edit screen: the story form with the editor island, who else has it open, and the workflow
// buttons the signed-in person may use, each a small form of its own.
import type { VNode } from 'preact';
import type { Actor } from '../../newsroom/permissions.ts';
import { allows } from '../../newsroom/permissions.ts';
import type { Article, Author, Section } from '../model.ts';
import type { StoryDiff } from '../revision-diff.ts';
import type { FieldError } from '../../platform/errors.ts';
import { Csrf } from '../../newsroom/forms.tsx';
import { DiffView } from './story-diff.tsx';
import { StoryFields, type StoryFormValues } from './story-form.tsx';
import type { PickerImage } from '../../media/newsroom/picker-image.ts';
import { utcToZonedInput } from './story-time.ts';

export interface EditView {
  article: Article;
  values: StoryFormValues;
  /** The version the form is based on (the current one, or on a conflict the current one too). */
  version: number;
  errors: FieldError[];
  notice?: string;
  /** On a refused stale save: what the other person changed since this person's version. */
  conflict?: StoryDiff;
  hasWorkingCopy: boolean;
  presence: string;
  sections: Section[];
  authors: Author[];
  /** Library images the story shows, for the editor to draw. */
  images: PickerImage[];
  /** Island scripts: the editor and the image field (social image). */
  scriptUrls: string[];
  timeZone: string;
  actor: Actor;
  csrf: string;
  /** Other features' links for this story and person ("Send alert"). */
  links?: { href: string; label: string }[];
  /** Other features' fields, drawn in the form after the story's own (topic suggestions). */
  formParts?: VNode[];
}

export function EditPage(v: EditView) {
  const { article, actor } = v;
  const base = `/newsroom/stories/${article.id}`;
  const published = article.status === 'published';
  return (
    <>
      <h1>Edit story</h1>
      <p>
        Status: <strong>{article.status}</strong>
        {article.status === 'scheduled' && article.publishedAt && ` for ${utcToZonedInput(article.publishedAt, v.timeZone).replace('T', ' ')} (${v.timeZone})`} · version {article.version} ·{' '}
        <a href={`${base}/preview`}>Preview</a> · <a href={`${base}/revisions`}>Revisions</a>
        {v.links?.map((link) => (
          <>
            {' · '}
            <a href={link.href}>{link.label}</a>
          </>
        ))}
      </p>
      {v.presence && (
        <p class="notice presence" role="status">
          {v.presence}
        </p>
      )}
      {v.notice && (
        <p class="notice" role="status">
          {v.notice}
        </p>
      )}
      {v.conflict && (
        <section class="conflict" id="version" aria-labelledby="conflict-title">
          <h2 id="conflict-title">Someone else saved this story since you opened it</h2>
          <p>Their changes are shown below. Your text is kept in the form; saving it again replaces their version with yours.</p>
          <DiffView diff={v.conflict} />
        </section>
      )}
      {published && (
        <p class="notice">
          This story is published. Saving keeps your changes as pending{v.hasWorkingCopy ? ' (there are pending changes now)' : ''}; readers see them only after “Update live story”.
        </p>
      )}
      <form
        class="stack"
        method="post"
        action={`${base}/edit`}
        novalidate
        data-story-form
        data-autosave-url={`${base}/autosave`}
        data-version={String(v.version)}
        data-csrf={v.csrf}
      >
        <Csrf token={v.csrf} />
        <input type="hidden" name="expectedVersion" value={String(v.version)} />
        <StoryFields values={v.values} errors={v.errors} sections={v.sections} authors={v.authors} images={v.images} />
        {v.formParts}
        <div class="actions">
          <button type="submit">{published ? 'Save pending changes' : 'Save'}</button>
          {published && allows(actor, 'canPublish') && (
            <button type="submit" formaction={`${base}/update`}>
              Update live story
            </button>
          )}
        </div>
      </form>
      <WorkflowForms article={article} actor={actor} csrf={v.csrf} timeZone={v.timeZone} version={v.version} />
      {v.scriptUrls.map((src) => (
        <script key={src} type="module" src={src} />
      ))}
    </>
  );
}

/** Every move carries the version on screen (kept current by the autosave), so it acts on what the person saw. */
function WorkflowForms({ article, actor, csrf, timeZone, version }: { article: Article; actor: Actor; csrf: string; timeZone: string; version: number }) {
  const base = `/newsroom/stories/${article.id}`;
  const s = article.status;
  const mayPublish = allows(actor, 'canPublish');
  const Guard = () => (
    <>
      <Csrf token={csrf} />
      <input type="hidden" name="expectedVersion" value={String(version)} />
    </>
  );
  const button = (action: string, label: string) => (
    <form method="post" action={`${base}/${action}`} class="inline">
      <Guard />
      <button type="submit">{label}</button>
    </form>
  );
  return (
    <section class="workflow" aria-labelledby="workflow-title">
      <h2 id="workflow-title">Workflow</h2>
      <div class="actions">
        {s === 'draft' && allows(actor, 'canSubmitForEdit') && button('submit', 'Submit for edit')}
        {(s === 'ready' || s === 'scheduled' || s === 'unpublished') && button('return', 'Return to draft')}
        {mayPublish && s !== 'published' && button('publish', 'Publish now')}
      </div>
      {mayPublish && s !== 'published' && (
        <form method="post" action={`${base}/schedule`} class="stack">
          <Guard />
          <div>
            <label for="at">Publish at ({timeZone})</label>
            <input id="at" name="at" type="datetime-local" step="1" required />
          </div>
          <div>
            <button type="submit">Schedule</button>
          </div>
        </form>
      )}
      {mayPublish && s === 'published' && (
        <>
          <form method="post" action={`${base}/corrections`} class="stack">
            <Guard />
            <div>
              <label for="text">Correction</label>
              <p class="hint">Shown to readers under the story, dated.</p>
              <textarea id="text" name="text" rows={3} />
            </div>
            <div>
              <button type="submit">Add correction</button>
            </div>
          </form>
          <form method="post" action={`${base}/unpublish`} class="stack">
            <Guard />
            <div class="check">
              <input type="checkbox" id="confirm" name="confirm" value="yes" required />
              <label for="confirm">I understand readers will see “removed” at this story's address.</label>
            </div>
            <div>
              <button type="submit">Unpublish</button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
