// A story's editable fields as a save (ArticleInput): the one conversion from a stored story back
// to input. Restoring a revision saves it as it is; a workflow move saves it with a new status and
// time; the Admin API's PATCH saves it with the fields the call names; the story form shows it.
// A new editable field is added here and in ArticleInput, and every one of those follows.
import type { Article, ArticleInput } from './model.ts';

/** What a story holds that a person edits (status and times move only through the workflow). */
export type EditableStory = Pick<
  Article,
  'headline' | 'dek' | 'slug' | 'section' | 'body' | 'authors' | 'topics' | 'credit' | 'leadImage' | 'seoTitle' | 'seoDescription' | 'socialImageId'
>;

export function storyInput(story: EditableStory): ArticleInput {
  return {
    headline: story.headline,
    dek: story.dek,
    slug: story.slug,
    sectionSlug: story.section.slug,
    body: story.body,
    authorSlugs: story.authors.map((a) => a.slug),
    topicNames: story.topics.map((t) => t.name),
    credit: story.credit,
    leadImage: story.leadImage,
    // Snapshots from before these fields existed hold undefined: the story's current values stay.
    seoTitle: story.seoTitle,
    seoDescription: story.seoDescription,
    socialImageId: story.socialImageId,
  };
}

/**
 * `input` with the fields it leaves out (undefined) taken from the story: a partial change as a
 * whole save. The address is kept as the story's own rules keep it (a section move finds a free
 * slug), unless the change names a slug.
 */
export function changedStory(story: EditableStory, input: Partial<ArticleInput>): ArticleInput {
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  return { ...storyInput(story), slug: undefined, ...defined };
}
