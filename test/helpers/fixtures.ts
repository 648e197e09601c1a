// Small, readable content for tests: two sections, two authors, stories with known bodies.
import type { Services } from '../../src/app.ts';
import type { ArticleInput } from '../../src/articles/model.ts';
import { heading, paragraph, type BlockNode } from '../../src/articles/body.ts';
import type { SourceFormat } from '../../src/media/image-processing.ts';
import type { ImageRecord } from '../../src/media/image-repository.ts';
import { sampleImage } from '../../src/media/image-test-samples.ts';

export async function seedBasics(services: Services) {
  const national = await services.articles.createSection({ name: 'National', description: 'News from across the country.' });
  const world = await services.articles.createSection({ name: 'World' });
  const ada = await services.authors.save({ name: 'Ada Reporter', bio: 'Covers city hall.' });
  const ben = await services.authors.save({ name: 'Ben Writer' });
  return { national, world, ada, ben };
}

export function storyBody(paragraphs = 8, extra: BlockNode[] = []): { type: 'doc'; content: BlockNode[] } {
  const content: BlockNode[] = [];
  for (let i = 1; i <= paragraphs; i++) {
    if (i === 5) content.push(heading('What happens next'));
    content.push(paragraph(`Paragraph ${i} of the story, with enough words to read like news.`));
  }
  return { type: 'doc', content: [...content, ...extra] };
}

export function storyInput(overrides: Partial<ArticleInput> = {}): ArticleInput {
  return {
    headline: 'Council approves new flood barrier',
    dek: 'The vote ends a decade of delays.',
    sectionSlug: 'national',
    body: storyBody(),
    status: 'published',
    authorSlugs: ['ada-reporter'],
    topicNames: ['Flooding'],
    credit: { text: 'With files from Northwire.', contributors: [], agencies: ['Northwire'] },
    ...overrides,
  };
}

/**
 * An uploaded library image with every variant, AVIF included: the upload queues the AVIF job and
 * this runs it, so a page drawn afterwards is final (no job landing between two requests).
 */
export async function libraryImage(
  t: { services: Services; jobs: { runDue(): Promise<unknown> } },
  filename: string,
  sample: { format?: SourceFormat; width?: number; height?: number } = {},
): Promise<ImageRecord> {
  const uploaded = await t.services.images.upload({ bytes: await sampleImage(sample.format ?? 'jpeg', sample.width ?? 800, sample.height ?? 600), filename });
  await t.jobs.runDue();
  return t.services.images.get(uploaded.id);
}
