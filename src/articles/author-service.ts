// Author profiles as the newsroom keeps them: name, public address (slug), bio and photo. A
// profile's address is set once, at creation: it is the author page's URL and bylines link to it.
// Every write records the cache tags of the pages that show the profile (its page, and stories
// carrying the byline).
import type { ChangeFeed } from '../platform/changes.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { tags } from './change-tags.ts';
import type { LibraryImages } from './lead-image.ts';
import type { Author } from './model.ts';
import type { ArticleRepository } from './article-repository.ts';
import { checkAuthorProfile, type AuthorProfileInput } from './save-rules.ts';

export class AuthorService {
  constructor(
    private readonly repo: ArticleRepository,
    private readonly changes: ChangeFeed,
    /** The media library, for photos. */
    private readonly images?: LibraryImages,
  ) {}

  /** Creates or updates the author with this slug; a photo left undefined stays as it is (imports, seeding). */
  async save(input: AuthorProfileInput): Promise<Author> {
    const profile = await checkAuthorProfile(input, this.images);
    return this.write(async (repo) => repo.authors().upsert({ ...profile, photoImageId: input.photoImageId }));
  }

  /** A new author profile (the newsroom's form): an address in use is refused, never taken over. */
  async create(input: AuthorProfileInput): Promise<Author> {
    const profile = await checkAuthorProfile(input, this.images);
    return this.write(async (repo) => {
      if (await repo.authors().bySlug(profile.slug)) {
        throw conflict(`There is an author at /author/${profile.slug} already: edit that profile, or choose another address.`, 'slug');
      }
      return repo.authors().upsert({ ...profile, photoImageId: input.photoImageId ?? null });
    });
  }

  /**
   * Changes a profile's name, bio and photo (null: none). The address (slug) is not changed: it is
   * the author page's public URL, and bylines and links elsewhere point at it.
   */
  async update(id: number, input: { name: string; bio: string; photoImageId: number | null }): Promise<Author> {
    const existing = await this.repo.authors().byId(id);
    if (!existing) throw notFound('There is no author profile with this number.');
    const profile = await checkAuthorProfile({ ...input, slug: existing.slug }, this.images);
    return this.write(async (repo) => repo.authors().upsert({ ...profile, photoImageId: input.photoImageId }));
  }

  byId(id: number): Promise<Author | undefined> {
    return this.repo.authors().byId(id);
  }

  /** Every author profile, by name, with how many stories (in any status) carry their byline. */
  withStoryCounts(): Promise<(Author & { stories: number })[]> {
    return this.repo.authors().withStoryCounts();
  }

  /** Writes a profile in one transaction with its change record. */
  private async write(write: (repo: ArticleRepository) => Promise<Author>): Promise<Author> {
    const { author, changed } = await this.repo.transaction(async (repo, trx) => {
      const author = await write(repo);
      // Pages that show the byline (stories) carry the author tag, as does the author's own page.
      return { author, changed: await this.changes.record(trx, [tags.author(author.id), tags.authorList(author.id)]) };
    });
    this.changes.applied(changed);
    return author;
  }
}
