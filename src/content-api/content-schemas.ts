// The Content API's shapes: each answer and each query, as TypeBox schemas. The OpenAPI
// description at /api/docs is generated from them, and the tests check every answer against them.
// Nothing here has a field for a status, an email, a version, a working copy or a revision:
// what the API sends is what a reader of the site can see.
import { Type, type Static } from '@fastify/type-provider-typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const SectionJson = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  url: Type.String({ description: 'The section’s page on the site' }),
  stories: Type.String({ description: 'Its stories in this API' }),
});

export const TopicJson = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  url: Type.String(),
  stories: Type.String(),
});

const IMAGE_FIELDS = {
  url: Type.String({ description: 'A JPEG or PNG about 1200 px wide (absolute)' }),
  alt: Type.String(),
  width: Type.Optional(Type.Integer()),
  height: Type.Optional(Type.Integer()),
};
const ImageJson = Type.Object(IMAGE_FIELDS);

export const AuthorJson = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  bio: Type.String(),
  url: Type.String(),
  stories: Type.String(),
  photo: Type.Union([ImageJson, Type.Null()]),
});

const LeadImageJson = Type.Union([Type.Object({ ...IMAGE_FIELDS, caption: Type.String(), credit: Type.String() }), Type.Null()]);

const SUMMARY_FIELDS = {
  id: Type.Integer(),
  url: Type.String({ description: 'The story’s page on the site' }),
  api: Type.String({ description: 'The whole story in this API' }),
  section: Type.Object({ slug: Type.String(), name: Type.String() }),
  slug: Type.String(),
  headline: Type.String(),
  dek: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  leadImage: LeadImageJson,
};
export const StorySummaryJson = Type.Object(SUMMARY_FIELDS);

export const StoryJson = Type.Object({
  ...SUMMARY_FIELDS,
  authors: Type.Array(Type.Object({ slug: Type.String(), name: Type.String(), url: Type.String(), api: Type.String() })),
  credit: Type.Object({ text: Type.String(), contributors: Type.Array(Type.String()), agencies: Type.Array(Type.String()) }),
  topics: Type.Array(Type.Object({ slug: Type.String(), name: Type.String(), api: Type.String() })),
  corrections: Type.Array(Type.Object({ text: Type.String(), createdAt: Type.String({ format: 'date-time' }) })),
  body: Type.Unknown({ description: 'The body as a ProseMirror document (node types: paragraph, heading, blockquote, bulletList, orderedList, listItem, horizontalRule, image {imageId, caption}, video {videoId, title, caption}; marks: bold, italic, link, code, strike)' }),
  html: Type.String({ description: 'The body rendered as HTML with absolute links: pictures as <img>, videos as links to the story, then the credit line and corrections' }),
});

const Next = Nullable(Type.String({ description: 'The next page (absolute URL); null on the last page' }));

export const StoriesPage = Type.Object({ stories: Type.Array(StorySummaryJson), next: Next });
export const TopicsPage = Type.Object({ topics: Type.Array(TopicJson), next: Next });
export const AuthorsPage = Type.Object({ authors: Type.Array(AuthorJson), next: Next });
export const SectionsList = Type.Object({ sections: Type.Array(SectionJson) });

const SlugQuery = (what: string) => Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,99}$', description: what });
const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Items per page, 1 to 100 (default 20)' });
const Cursor = Type.String({ minLength: 1, maxLength: 200, description: 'From the previous page’s `next`' });

export const StoriesQuery = Type.Object(
  {
    section: Type.Optional(SlugQuery('Only stories in this section (its slug)')),
    topic: Type.Optional(SlugQuery('Only stories about this topic (its slug)')),
    author: Type.Optional(SlugQuery('Only stories with this author in the byline (their slug)')),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Full-text search, best match first (combines with `section` only)' })),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);

export const PageQuery = Type.Object({ limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) }, { additionalProperties: false });

export const SlugParams = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,99}$' }) });
export const StoryAddressParams = Type.Object({
  section: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,99}$' }),
  slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,199}$' }),
});

export type StorySummaryShape = Static<typeof StorySummaryJson>;
export type StoryShape = Static<typeof StoryJson>;
export type AuthorShape = Static<typeof AuthorJson>;
