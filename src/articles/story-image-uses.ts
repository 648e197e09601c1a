// What the articles feature tells the media library about an image: the live stories that show it
// (published, or scheduled to be) and the author profiles that use it as a photo.
import type { ImageUseSource } from '../media/image-uses.ts';
import type { ArticleRepository } from './article-repository.ts';

const ROLE_WORDS = { lead: 'the lead image of', social: 'the social image of', body: 'an image in' } as const;

export function storyImageUses(repository: ArticleRepository): ImageUseSource {
  return async (imageId) => {
    const uses = repository.imageUses();
    const [stories, authors] = await Promise.all([uses.storiesShowing(imageId, ['published', 'scheduled']), uses.authorsShowing(imageId)]);
    return [
      ...stories.map((use) => `${ROLE_WORDS[use.role]} “${use.headline}” (${use.status})`),
      ...authors.map((author) => `the photo of author ${author.name}`),
    ];
  };
}
