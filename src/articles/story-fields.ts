// The editable fields of a story, defined once: for each, its schema and name in the Admin API, how
// its API value becomes part of a save (ArticleInput) and how a stored story shows it there, and
// how the story form writes it as text and reads it back. The API's request schemas and JSON, and
// the form's parser and values, are made from this table; a new field is one entry here (and its
// column in the model and repository), and TypeScript refuses an API field without its entry.
// Status and publication time are not here: they move only through the workflow.
import { Type, type Static } from 'typebox';
import { imageIdOf } from '../media/newsroom/image-field.tsx';
import { invalidInput } from '../platform/errors.ts';
import type { Article, ArticleInput, Author } from './model.ts';

const Credit = Type.Object(
  { text: Type.String({ maxLength: 1000 }), contributors: Type.Array(Type.String()), agencies: Type.Array(Type.String()) },
  { additionalProperties: false },
);

/** The fields as the Admin API takes them (a new story: these, with the required ones). */
export const STORY_API_FIELDS = {
  headline: Type.String({ minLength: 1, maxLength: 300 }),
  dek: Type.Optional(Type.String({ maxLength: 600 })),
  slug: Type.Optional(Type.String({ maxLength: 80 })),
  section: Type.String({ description: 'Section slug, e.g. "national"', maxLength: 100 }),
  body: Type.Unknown({
    description:
      'ProseMirror JSON document: {"type":"doc","content":[…]}. Blocks: paragraph, heading (level 2–4), bulletList, orderedList, blockquote, ' +
      'horizontalRule, video {videoId, title, caption}, image {imageId, caption} (a media-library image; alt text required before publishing). ' +
      'Marks: bold, italic, code, strike, link {href}.',
  }),
  authors: Type.Optional(Type.Array(Type.String(), { description: 'Author slugs, in byline order', maxItems: 10 })),
  topics: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 20 })),
  credit: Type.Optional(Credit),
  leadImageId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'Media library image id' })),
  seoTitle: Type.Optional(Type.String({ maxLength: 110, description: 'Title for search results and link previews; empty uses the headline' })),
  seoDescription: Type.Optional(Type.String({ maxLength: 300, description: 'Description for search results and link previews; empty uses the dek' })),
  socialImageId: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'Media library image for link previews; null uses the lead image' }),
  ),
};

export type ApiStoryFields = Static<ReturnType<typeof Type.Object<typeof STORY_API_FIELDS>>>;

/** The story form's values: text by field name, as a person last submitted or a story holds them. */
export type StoryFormValues = Record<string, string>;

/** Bylines are one checkbox per author with its own name, so that the autosave's FormData (which
 * keeps one value per name) carries all of them. */
export const AUTHOR_PREFIX = 'author-';
export const EMPTY_BODY = '{"type":"doc","content":[]}';

interface FormContext {
  /** Every author profile: a byline is a ticked box per profile. */
  authors: Author[];
  /** The story being edited (the form cannot change everything it holds). */
  existing?: Article;
}

interface FieldCodec<K extends keyof ApiStoryFields> {
  /** The API's value as part of a save. */
  fromApi(value: NonNullable<ApiStoryFields[K]> | null): Partial<ArticleInput>;
  /** The stored story's value, as the API shows it. */
  toApi(article: Article): ApiStoryFields[K];
  /** Writes the field as the form shows it, from a save (a story's fields or its pending changes). */
  toForm(input: ArticleInput, values: StoryFormValues): void;
  /** Reads the field back from the submitted form; a value no save can hold is refused here. */
  fromForm(values: StoryFormValues, context: FormContext): Partial<ArticleInput>;
}

const imageIdField = (name: 'leadImageId' | 'socialImageId', what: string): ((values: StoryFormValues) => string | undefined) => (values) => {
  const raw = values[name]?.trim();
  // imageIdOf: digits within the databases' integer range (PostgreSQL refuses larger ones).
  if (raw && Number.isNaN(imageIdOf(raw))) throw invalidInput([{ field: name, message: `The ${what} id is a whole number from the media library.` }]);
  return raw;
};
const leadImageRaw = imageIdField('leadImageId', 'lead image');
const socialImageRaw = imageIdField('socialImageId', 'social image');

export const STORY_FIELDS: { [K in keyof ApiStoryFields]-?: FieldCodec<K> } = {
  headline: {
    fromApi: (headline) => ({ headline: headline ?? '' }),
    toApi: (a) => a.headline,
    toForm: (input, values) => void (values.headline = input.headline),
    fromForm: (values) => ({ headline: values.headline ?? '' }),
  },
  dek: {
    fromApi: (dek) => ({ dek: dek ?? '' }),
    toApi: (a) => a.dek,
    toForm: (input, values) => void (values.dek = input.dek ?? ''),
    fromForm: (values) => ({ dek: values.dek ?? '' }),
  },
  slug: {
    fromApi: (slug) => ({ slug: slug ?? undefined }),
    toApi: (a) => a.slug,
    toForm: (input, values) => void (values.slug = input.slug ?? ''),
    fromForm: (values) => ({ slug: values.slug?.trim() || undefined }),
  },
  section: {
    fromApi: (section) => ({ sectionSlug: section ?? '' }),
    toApi: (a) => a.section.slug,
    toForm: (input, values) => void (values.section = input.sectionSlug),
    fromForm: (values) => ({ sectionSlug: values.section ?? '' }),
  },
  body: {
    fromApi: (body) => ({ body }),
    toApi: (a) => a.body,
    toForm: (input, values) => void (values.body = JSON.stringify(input.body)),
    fromForm: (values) => {
      try {
        return { body: JSON.parse(values.body?.trim() || EMPTY_BODY) as unknown };
      } catch {
        throw invalidInput([{ field: 'body', message: 'The story body could not be read (it is not valid JSON). Your text is kept below; copy it before reloading.' }]);
      }
    },
  },
  authors: {
    fromApi: (authors) => ({ authorSlugs: authors ?? undefined }),
    toApi: (a) => a.authors.map((author) => author.slug),
    toForm: (input, values) => {
      for (const slug of input.authorSlugs ?? []) values[AUTHOR_PREFIX + slug] = 'on';
    },
    fromForm: (values, { authors }) => ({ authorSlugs: authors.filter((a) => values[AUTHOR_PREFIX + a.slug] !== undefined).map((a) => a.slug) }),
  },
  topics: {
    fromApi: (topics) => ({ topicNames: topics ?? undefined }),
    toApi: (a) => a.topics.map((t) => t.name),
    toForm: (input, values) => void (values.topics = (input.topicNames ?? []).join(', ')),
    fromForm: (values) => ({ topicNames: (values.topics ?? '').split(',').map((t) => t.trim()).filter(Boolean) }),
  },
  credit: {
    fromApi: (credit) => ({ credit: credit ?? undefined }),
    toApi: (a) => a.credit,
    toForm: (input, values) => void (values.credit = input.credit?.text ?? ''),
    fromForm: (values, { existing }) => {
      const text = values.credit?.trim() ?? '';
      // The people and agencies named in the credit line are kept while its text is unchanged.
      const keep = existing && existing.credit.text === text;
      return { credit: { text, contributors: keep ? existing.credit.contributors : [], agencies: keep ? existing.credit.agencies : [] } };
    },
  },
  leadImageId: {
    fromApi: (id) => ({ leadImage: id === null ? null : { imageId: id, url: '', alt: '', caption: '', credit: '' } }),
    toApi: (a) => a.leadImage?.imageId ?? null,
    toForm: (input, values) => void (values.leadImageId = input.leadImage?.imageId ? String(input.leadImage.imageId) : ''),
    fromForm: (values, { existing }) => {
      const raw = leadImageRaw(values);
      if (raw) return { leadImage: { imageId: Number(raw), url: '', alt: '', caption: '', credit: '' } };
      // A lead image given by URL (imports) is not editable here; keep it.
      return { leadImage: existing?.leadImage && !existing.leadImage.imageId ? existing.leadImage : null };
    },
  },
  seoTitle: {
    fromApi: (title) => ({ seoTitle: title ?? undefined }),
    toApi: (a) => a.seoTitle,
    toForm: (input, values) => void (values.seoTitle = input.seoTitle ?? ''),
    // A form without these fields (an older page still open) leaves them as they are.
    fromForm: (values) => ({ seoTitle: values.seoTitle }),
  },
  seoDescription: {
    fromApi: (description) => ({ seoDescription: description ?? undefined }),
    toApi: (a) => a.seoDescription,
    toForm: (input, values) => void (values.seoDescription = input.seoDescription ?? ''),
    fromForm: (values) => ({ seoDescription: values.seoDescription }),
  },
  socialImageId: {
    fromApi: (id) => ({ socialImageId: id }),
    toApi: (a) => a.socialImageId,
    toForm: (input, values) => void (values.socialImageId = input.socialImageId ? String(input.socialImageId) : ''),
    fromForm: (values) => {
      const raw = socialImageRaw(values);
      return { socialImageId: raw === undefined ? undefined : raw ? Number(raw) : null };
    },
  },
};

const FIELD_NAMES = Object.keys(STORY_FIELDS) as (keyof ApiStoryFields)[];

/** The API's fields as a save; fields the call leaves out stay undefined. */
export function fromApiFields(body: Partial<ApiStoryFields>): Partial<ArticleInput> {
  const input: Partial<ArticleInput> = {};
  for (const name of FIELD_NAMES) {
    const value = body[name];
    if (value !== undefined) Object.assign(input, (STORY_FIELDS[name].fromApi as (v: unknown) => Partial<ArticleInput>)(value));
  }
  return input;
}

/** A stored story's editable fields as the API shows them. */
export function toApiFields(article: Article): ApiStoryFields {
  return Object.fromEntries(FIELD_NAMES.map((name) => [name, STORY_FIELDS[name].toApi(article)])) as ApiStoryFields;
}

/** A save (a story's fields, or a published story's pending changes) as form values. */
export function toFormValues(input: ArticleInput): StoryFormValues {
  const values: StoryFormValues = {};
  for (const name of FIELD_NAMES) STORY_FIELDS[name].toForm(input, values);
  return values;
}

/** The submitted form as a save. Throws invalid_input, naming the field, for a value no save can hold. */
export function fromFormValues(values: StoryFormValues, context: FormContext): ArticleInput {
  const input = {} as ArticleInput;
  for (const name of FIELD_NAMES) Object.assign(input, STORY_FIELDS[name].fromForm(values, context));
  return input;
}
