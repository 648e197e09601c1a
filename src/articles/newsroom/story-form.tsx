// The story form: its fields (shared by "new story", "edit" and the conflict page). A submitted
// form — urlencoded or the autosave's JSON — becomes an ArticleInput, and a save becomes form
// values, field by field as story-fields.ts defines them.
import type { Article, ArticleInput, Author, Section } from '../model.ts';
import { AUTHOR_PREFIX, EMPTY_BODY, fromFormValues, toFormValues, type StoryFormValues } from '../story-fields.ts';
import { storyInput, type EditableStory } from '../story-input.ts';

export type { StoryFormValues } from '../story-fields.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { SEO_LIMITS } from '../seo-fields.ts';
import { ErrorSummary, Field, TextArea } from '../../newsroom/forms.tsx';
import { ImageIdField } from '../../media/newsroom/image-field.tsx';
import type { PickerImage } from '../../media/newsroom/picker-image.ts';

/** The form's values for a story as it is stored. */
export function valuesOf(article: EditableStory): StoryFormValues {
  return valuesOfInput(storyInput(article));
}

/** The submitted form as a save (story-fields.ts reads each field). Status and publication time are
 * never taken from the form: they change only through the workflow buttons. */
export function toStoryInput(values: StoryFormValues, authors: Author[], existing?: Article): ArticleInput {
  return fromFormValues(values, { authors, existing });
}

/** Field errors for the form, whatever the error was (a 409 names "version", which has no field). */
export function formErrors(error: unknown): { errors: FieldError[]; status: number } | undefined {
  if (!(error instanceof AppError) || error.status >= 500) return undefined;
  // The service names the lead image "leadImage"; on the form it is the "leadImageId" field.
  const formField: Record<string, string> = { leadImage: 'leadImageId', socialImage: 'socialImageId' };
  return { errors: error.details.map((e) => (e.field && formField[e.field] ? { ...e, field: formField[e.field] } : e)), status: error.status };
}

export function StoryFields(props: { values: StoryFormValues; errors: FieldError[]; sections: Section[]; authors: Author[]; images?: PickerImage[] }) {
  const { values, errors, sections, authors, images = [] } = props;
  const sectionError = errors.find((e) => e.field === 'section');
  const authorsError = errors.find((e) => e.field === 'authors');
  return (
    <>
      <ErrorSummary errors={errors} />
      <Field name="headline" label="Headline" value={values.headline} errors={errors} required />
      <TextArea name="dek" label="Dek" hint="One or two sentences under the headline." value={values.dek} errors={errors} />
      <Field name="slug" label="Address (slug)" hint="Lowercase letters, digits and dashes; left empty, it follows the headline." value={values.slug} errors={errors} />
      <div>
        <label for="section">Section</label>
        {sectionError && <p class="field-error">{sectionError.message}</p>}
        <select id="section" name="section" aria-invalid={sectionError ? 'true' : undefined}>
          {sections.map((s) => (
            <option key={s.id} value={s.slug} selected={values.section === s.slug}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset id="authors">
        <legend>Bylines</legend>
        {authorsError && <p class="field-error">{authorsError.message}</p>}
        {authors.length === 0 && <p class="hint">No author profiles yet.</p>}
        {authors.map((a) => (
          <div key={a.id} class="check">
            <input type="checkbox" id={AUTHOR_PREFIX + a.slug} name={AUTHOR_PREFIX + a.slug} checked={values[AUTHOR_PREFIX + a.slug] !== undefined} />
            <label for={AUTHOR_PREFIX + a.slug}>{a.name}</label>
          </div>
        ))}
      </fieldset>
      <Field name="topics" label="Topics" hint="Separated by commas." value={values.topics} errors={errors} />
      <Field name="credit" label="Credit line" hint="E.g. With files from Northwire." value={values.credit} errors={errors} />
      <SearchAndSocialFields values={values} errors={errors} images={images} />
      <LeadImageField values={values} errors={errors} images={images} />
      <BodyEditor value={values.body || EMPTY_BODY} errors={errors} images={images} />
    </>
  );
}

/** The lead image's library id, with a picker button and a thumbnail once the editor island runs. */
function LeadImageField({ values, errors, images }: { values: StoryFormValues; errors: FieldError[]; images: PickerImage[] }) {
  const current = images.find((image) => String(image.id) === values.leadImageId);
  return (
    <div class="lead-image-field">
      <Field name="leadImageId" label="Lead image id" hint="Optional: the number of an image in the media library." value={values.leadImageId} errors={errors} inputMode="numeric" />
      <p class="lead-preview" data-lead-preview hidden={!current}>
        {current && (
          <>
            <img src={current.thumbnail} alt="" width={96} height={Math.max(1, Math.round((96 * current.height) / Math.max(1, current.width)))} /> {current.filename}
            {!current.alt && ' · needs alt text before publishing'}
          </>
        )}
      </p>
      <button type="button" data-pick-lead hidden>
        Choose lead image…
      </button>
    </div>
  );
}

/** What search results and link previews show; each falls back to the story's own field. */
function SearchAndSocialFields({ values, errors, images }: { values: StoryFormValues; errors: FieldError[]; images: PickerImage[] }) {
  const socialImage = images.find((image) => String(image.id) === values.socialImageId);
  return (
    <fieldset id="search-and-social" class="group">
      <legend>Search and social</legend>
      <Field name="seoTitle" label="Search title" hint={`Up to ${SEO_LIMITS.title} characters; leave empty to use the headline.`} value={values.seoTitle} errors={errors} />
      <Field name="seoDescription" label="Search description" hint={`Up to ${SEO_LIMITS.description} characters; leave empty to use the dek.`} value={values.seoDescription} errors={errors} />
      <ImageIdField
        name="socialImageId"
        label="Social image id"
        hint="Optional: a media library image for link previews; leave empty to use the lead image. Needs alt text before publishing."
        value={values.socialImageId}
        errors={errors}
        image={socialImage}
        what="social image"
        altRequired
      />
    </fieldset>
  );
}

/** The editor island's markup (see editor/editor-island.ts): without script, the JSON textarea. */
function BodyEditor({ value, errors, images }: { value: string; errors: FieldError[]; images: PickerImage[] }) {
  const error = errors.find((e) => e.field === 'body');
  const tools: [string, string][] = [
    ['bold', 'Bold'], ['italic', 'Italic'], ['h2', 'Heading'], ['h3', 'Subheading'], ['bullet-list', 'Bulleted list'],
    ['ordered-list', 'Numbered list'], ['quote', 'Quote'], ['link', 'Link'], ['image', 'Image'], ['video', 'Video'], ['undo', 'Undo'], ['redo', 'Redo'],
  ];
  return (
    <div class="story-editor" data-story-editor data-images={JSON.stringify(images)}>
      <label for="body" id="body-label">Body</label>
      {error && <p class="field-error">{error.message}</p>}
      <div class="editor-toolbar" role="toolbar" aria-label="Formatting" data-editor-toolbar hidden>
        {tools.map(([command, label]) => (
          <button key={command} type="button" data-command={command}>
            {label}
          </button>
        ))}
      </div>
      <div class="editor-popover" data-link-form hidden>
        <label for="link-href">Link address</label>
        <input id="link-href" name="link-href" type="url" />
        <button type="button" data-command="apply-link">Apply link</button>
        <button type="button" data-command="remove-link">Remove link</button>
      </div>
      <div class="editor-popover video-picker" data-video-form hidden>
        <div>
          <label for="video-search">Find a clip in the library</label>
          <input id="video-search" type="search" data-video-search />
        </div>
        <ul class="video-results" data-video-results aria-label="Video clips" />
        <button type="button" data-command="more-videos" hidden>
          More clips
        </button>
        <p class="image-message" data-video-message aria-live="polite" />
        <div>
          <label for="video-title">Video title</label>
          <input id="video-title" name="video-title" aria-describedby="video-title-hint" />
          <p class="hint" id="video-title-hint">Filled in when you choose a clip; type a title for a clip not in the library yet.</p>
        </div>
        <div>
          <label for="video-caption">Video caption</label>
          <input id="video-caption" name="video-caption" />
        </div>
        <button type="button" data-command="insert-video">Insert video</button>
      </div>
      <div class="editor-popover image-picker" data-image-form hidden>
        <div>
          <label for="image-search">Find an image in the media library</label>
          <input id="image-search" type="search" data-image-search />
        </div>
        <ul class="image-results" data-image-results aria-label="Media library images" />
        <button type="button" data-command="more-images" hidden>
          More images
        </button>
        <div>
          <label for="image-upload">Or upload a new image</label>
          <input id="image-upload" type="file" accept="image/jpeg,image/png,image/webp,image/avif,image/gif" data-image-upload />
          <progress data-image-progress max={1} hidden aria-label="Upload progress" />
        </div>
        <div>
          <label for="image-caption">Caption in this story</label>
          <input id="image-caption" data-image-caption aria-describedby="image-caption-hint" />
          <p class="hint" id="image-caption-hint">Optional: left empty, the media library's caption shows.</p>
        </div>
        <p class="image-message" data-image-message aria-live="polite" />
        <button type="button" data-command="insert-image">Insert image</button>
      </div>
      <div data-editor-surface />
      <textarea id="body" name="body" data-editor-field rows={12} aria-invalid={error ? 'true' : undefined}>
        {value}
      </textarea>
      <p class="editor-status" data-editor-status aria-live="polite" />
    </div>
  );
}

/** A save (a story's fields, or a published story's pending changes) as form values. */
export function valuesOfInput(input: ArticleInput): StoryFormValues {
  return toFormValues(input);
}
