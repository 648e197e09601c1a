// What the story screens share: their dependencies, "the story this person may edit" (404 for
// any other, so the newsroom does not reveal which ids exist), and rendering the edit screen.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { allows, mayEditStory } from '../../newsroom/permissions.ts';
import type { StoryFormPart, StoryLink } from '../../newsroom/newsroom-shell.ts';
import type { Article } from '../model.ts';
import type { StoryDiff } from '../revision-diff.ts';
import type { ArticleService } from '../article-service.ts';
import type { ImageService } from '../../media/image-service.ts';
import type { ClientAssets } from '../../platform/client-assets.ts';
import { AppError, invalidInput, type FieldError } from '../../platform/errors.ts';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import { presenceMessage, type PresenceService } from './presence-service.ts';
import { EditPage } from './story-edit-page.tsx';
import { valuesOf, valuesOfInput, type StoryFormValues } from './story-form.tsx';
import { toPickerImage } from '../../media/image-json.ts';
import type { PickerImage } from '../../media/newsroom/picker-image.ts';

/** What the preview needs of the reader site. */
export interface StoryPreview {
  preview(article: Article): Promise<string>;
}

export interface StoryDeps {
  articles: ArticleService;
  pages: NewsroomPages;
  /** Draws a story as readers would see it (the reader site's story page), for the preview. */
  site: StoryPreview;
  assets: ClientAssets;
  images: Pick<ImageService, 'find'>;
  presence: PresenceService;
  timeZone: string;
  /** Other features' links on the edit screen (see StoryLink). */
  storyLinks: readonly StoryLink[];
  /** Other features' fields in the story form (see StoryFormPart). */
  storyFormParts: readonly StoryFormPart[];
}

export function storyScreens(deps: StoryDeps) {
  const { articles, pages, assets, presence } = deps;

  /** The story, when the signed-in person may edit it. */
  async function editable(request: FastifyRequest): Promise<Article> {
    // An Id by the route's schema (platform/schemas.ts): a number that can name a row.
    const { id } = request.params as { id: number };
    const article = await articles.findById(id);
    if (!article || !mayEditStory(request.actor, article)) throw new AppError('not_found', 'There is no story here that you may edit.');
    return article;
  }

  /** Renders the edit screen; `values` are what the person typed (kept on errors and conflicts). */
  async function showEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    article: Article,
    extra: { values?: StoryFormValues; errors?: FieldError[]; status?: number; notice?: string; conflict?: StoryDiff } = {},
  ): Promise<FastifyReply> {
    const staff = request.staff!;
    const [sections, authors, pending, others, scriptUrl, imageFieldScriptUrl] = await Promise.all([
      articles.sections(),
      articles.authors(),
      article.status === 'published' ? articles.workingCopy(article.id) : undefined,
      presence.heartbeat(article.id, staff.id, staff.name),
      assets.url('editor'),
      assets.url('image-field'),
    ]);
    const values = extra.values ?? (pending ? valuesOfInput(pending) : valuesOf(article));
    const images = await imagesShownBy(values);
    const formParts = (await Promise.all(deps.storyFormParts.map((part) => part.render(article)))).filter((node) => node !== null);
    return pages.send(request, reply, { title: `Edit: ${article.headline}`, status: extra.status }, ({ csrf }) => (
      <EditPage
        article={article}
        values={values}
        version={article.version}
        errors={extra.errors ?? []}
        notice={extra.notice}
        conflict={extra.conflict}
        hasWorkingCopy={pending !== undefined}
        presence={presenceMessage(others)}
        sections={sections}
        authors={authors}
        images={images}
        scriptUrls={[scriptUrl, imageFieldScriptUrl]}
        timeZone={deps.timeZone}
        actor={staff}
        csrf={csrf}
        formParts={formParts}
        links={deps.storyLinks.flatMap((link) => (allows(staff, link.permission) ? [link.for(article)].flatMap((l) => (l ? [l] : [])) : []))}
      />
    ));
  }

  /** The library images the form shows (lead, social and body), so the editor and the fields can draw them. */
  async function imagesShownBy(values: StoryFormValues): Promise<PickerImage[]> {
    const ids = new Set<number>();
    for (const field of [values.leadImageId, values.socialImageId]) if (/^[1-9]\d{0,8}$/.test(field ?? '')) ids.add(Number(field));
    try {
      const body = JSON.parse(values.body || '{}') as { type?: unknown; content?: unknown };
      if (body.type === 'doc' && Array.isArray(body.content)) {
        for (const block of body.content as { type?: unknown; attrs?: { imageId?: unknown } }[]) {
          if (block?.type === 'image' && Number.isInteger(block.attrs?.imageId)) ids.add(block.attrs!.imageId as number);
        }
      }
    } catch {
      // A body that is not JSON (kept as typed after an error) shows no pictures.
    }
    const found = await Promise.all([...ids].slice(0, 100).map((id) => deps.images.find(id)));
    return found.flatMap((image) => (image ? [toPickerImage(image)] : []));
  }

  return { editable, showEdit };
}

/** The version a form or autosave says it was based on. */
export function expectedVersionOf(values: Record<string, unknown>): number {
  const raw = values.expectedVersion;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw invalidInput([{ field: 'version', message: 'The form did not say which version of the story it is based on; reload the page.' }]);
  return n;
}
