// Cache tags: what a page shows, and so which pages a change must drop.
import type { Article } from './model.ts';

export const tags = {
  article: (id: number) => `article:${id}`,
  allLists: 'list:all',
  sectionList: (id: number) => `list:section:${id}`,
  author: (id: number) => `author:${id}`,
  authorList: (id: number) => `list:author:${id}`,
  topicList: (id: number) => `list:topic:${id}`,
  sections: 'sections',
  /** Sitemaps list every visible story with its modified time, so any change to one drops them. */
  sitemaps: 'sitemaps',
};

/** Whether readers can see the story now: published, and its time has come. */
export function isVisible(article: Article | undefined, now: Date): boolean {
  return !!article && article.status === 'published' && !!article.publishedAt && article.publishedAt <= now.toISOString();
}

/**
 * The pages a save affects. The story's own page always; lists (fronts, section, author, topic
 * pages, feeds) only when the story enters, leaves or moves within them. Lists that merely show
 * the story carry its article tag, so a headline change reaches them without touching the rest.
 */
export function changeTags(before: Article | undefined, after: Article, now: Date): string[] {
  const out = [tags.article(after.id)];
  const wasVisible = isVisible(before, now);
  const visible = isVisible(after, now);
  const sameLists =
    before !== undefined &&
    before.section.id === after.section.id &&
    before.publishedAt === after.publishedAt &&
    before.authors.map((a) => a.id).join() === after.authors.map((a) => a.id).join() &&
    before.topics.map((t) => t.id).join() === after.topics.map((t) => t.id).join();
  if (!wasVisible && !visible) return out;
  out.push(tags.sitemaps);
  if (wasVisible && visible && sameLists) return out;
  out.push(tags.allLists);
  for (const article of [before, after]) {
    if (!article) continue;
    out.push(tags.sectionList(article.section.id));
    for (const author of article.authors) out.push(tags.authorList(author.id));
    for (const topic of article.topics) out.push(tags.topicList(topic.id));
  }
  return [...new Set(out)];
}
