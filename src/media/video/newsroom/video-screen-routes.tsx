// The Videos tab's routes: the list with its upload (multipart from the island, streamed to disk,
// answered as JSON), a clip's screen and its forms (text, retry, delete, captions), and the small
// JSON the island polls while a clip converts. Every route needs canUploadMedia.
import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClientAssets } from '../../../platform/client-assets.ts';
import { AppError, notFound, type FieldError } from '../../../platform/errors.ts';
import { sendJsonErrors } from '../../../platform/http-errors.ts';
import { formFields } from '../../../newsroom/forms.tsx';
import type { NewsroomPages } from '../../../newsroom/layout.tsx';
import { toVideoJson } from '../video-json.ts';
import type { ResumableVideoUploads } from '../video-resumable.ts';
import { VideoRejected, type Video, type VideoService } from '../video-service.ts';
import { readVideoUpload, sendVideoRefusal, videoUploadLimits } from '../video-upload-http.ts';
import { MISSING_FFMPEG } from '../ffmpeg.ts';
import { ClipPage, clipUrl, statusWords, VIDEO_UPLOADS_URL, VIDEOS_URL, VideosPage } from './video-screens.tsx';

const media = { permission: 'canUploadMedia' as const };
const PAGE_SIZE = 24;

/** What the island shows of a new clip, whichever way it was uploaded. */
const newsroomAnswer = (video: Video) => ({ video: { ...toVideoJson(video, []), url: clipUrl(video.id), state: statusWords(video) } });

export interface VideoScreenDeps {
  videos: VideoService;
  uploads: ResumableVideoUploads;
  pages: NewsroomPages;
  assets: ClientAssets;
}

export function registerVideoScreenRoutes(app: FastifyInstance, deps: VideoScreenDeps): void {
  const { videos, pages } = deps;

  app.get(VIDEOS_URL, { config: media }, async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).before;
    const before = typeof raw === 'string' && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : undefined;
    const page = await videos.browse({ limit: PAGE_SIZE, before });
    const captions = await videos.captionsOf(page.videos.map((v) => v.id));
    const [scriptUrl, tools] = await Promise.all([deps.assets.url('video-upload'), videos.tools()]);
    return pages.send(request, reply, { title: 'Videos' }, ({ csrf }) => (
      <VideosPage
        videos={page.videos}
        captioned={new Set(captions.keys())}
        next={page.next}
        maxUploadMb={videos.limits.maxBytes / 1024 / 1024}
        maxMinutes={videos.limits.maxDurationSeconds / 60}
        unavailable={tools ? null : MISSING_FFMPEG}
        scriptUrl={scriptUrl}
        csrf={csrf}
      />
    ));
  });

  // The island's upload, resumable (tus): the CSRF token in x-csrf-token, the bytes in PATCHes.
  deps.uploads.register(app, { path: VIDEO_UPLOADS_URL, config: media, answer: newsroomAnswer });

  // The upload without resuming (one multipart request): the CSRF token in x-csrf-token, the file streamed to disk by @fastify/multipart in this scope.
  void app.register(async (scope) => {
    await scope.register(multipart, videoUploadLimits(videos.limits.maxBytes));
    const schema = { body: Type.Unknown({ description: 'multipart: title, caption, credit, alt, then one `file`, read by video-upload-http.ts' }) };
    scope.post(VIDEOS_URL, { config: media, schema }, async (request, reply) => {
      const read = await readVideoUpload(request, videos);
      if (!read.ok) return sendJsonErrors(reply, read.status, read.errors);
      const { title, caption, credit, alt } = read.fields;
      try {
        const video = await videos.upload({ incoming: read.incoming, filename: read.filename, meta: { title, caption, credit, alt }, createdBy: request.staff?.id ?? null });
        return reply.code(201).header('cache-control', 'no-store').send(newsroomAnswer(video));
      } catch (error) {
        return sendVideoRefusal(reply, error);
      }
    });
  });

  async function clipOf(request: FastifyRequest): Promise<Video> {
    const video = await videos.find((request.params as { id: number }).id);
    if (!video) throw notFound('There is no video here (it may have been deleted).');
    return video;
  }

  async function showClip(request: FastifyRequest, reply: FastifyReply, video: Video, options: { errors?: FieldError[]; notice?: string; values?: Record<string, string>; status?: number } = {}) {
    const [captions, scriptUrl] = await Promise.all([videos.captions(video.id), deps.assets.url('video-upload')]);
    return pages.send(request, reply, { title: `Video ${video.title}`, status: options.status }, ({ csrf }) => (
      <ClipPage video={video} captions={captions} values={options.values} errors={options.errors ?? []} notice={options.notice} csrf={csrf} scriptUrl={scriptUrl} />
    ));
  }

  const NOTICES: Record<string, string> = {
    saved: 'Saved. Story pages showing this video now show the new text.',
    retried: 'Converting again.',
    poster: 'The poster is being made from that moment; it shows here in a few seconds.',
    captions: 'Captions added. Story pages showing this video now offer them, with the transcript.',
    'captions-removed': 'Captions removed.',
  };

  app.get(`${VIDEOS_URL}/:id`, { config: media }, async (request, reply) => {
    const done = (request.query as Record<string, unknown>).done;
    return showClip(request, reply, await clipOf(request), { notice: typeof done === 'string' ? NOTICES[done] : undefined });
  });

  // What the island polls while a clip converts.
  app.get(`${VIDEOS_URL}/:id/status`, { config: media }, async (request, reply) => {
    const video = await clipOf(request);
    return reply.header('cache-control', 'no-store').send({ status: video.status, progress: video.progress, state: statusWords(video), error: video.error });
  });

  /** Runs a change; a refusal redraws the clip's screen with the messages and what was typed. */
  async function change(request: FastifyRequest, reply: FastifyReply, work: (video: Video, fields: Record<string, string>) => Promise<string | null>) {
    const video = await clipOf(request);
    const fields = formFields(request.body);
    try {
      const done = await work(video, fields);
      return reply.redirect(done === null ? VIDEOS_URL : `${clipUrl(video.id)}?done=${done}`, 303);
    } catch (error) {
      if (!(error instanceof VideoRejected || (error instanceof AppError && error.code !== 'not_found'))) throw error;
      return showClip(request, reply, await clipOf(request), { errors: error.details, values: fields, status: error.status });
    }
  }

  app.post(`${VIDEOS_URL}/:id`, { config: media }, (request, reply) =>
    change(request, reply, async (video, f) => {
      await videos.updateMeta(video.id, { title: f.title, caption: f.caption, credit: f.credit, alt: f.alt });
      return 'saved';
    }),
  );
  app.post(`${VIDEOS_URL}/:id/retry`, { config: media }, (request, reply) =>
    change(request, reply, async (video) => {
      await videos.retry(video.id);
      return 'retried';
    }),
  );
  app.post(`${VIDEOS_URL}/:id/poster`, { config: media }, (request, reply) =>
    change(request, reply, async (video, f) => {
      await videos.choosePoster(video.id, f.posterAt?.trim() ? Number(f.posterAt) : Number.NaN);
      return 'poster';
    }),
  );
  app.post(`${VIDEOS_URL}/:id/delete`, { config: media }, (request, reply) =>
    change(request, reply, async (video) => {
      await videos.delete(video.id);
      return null;
    }),
  );
  app.post(`${VIDEOS_URL}/:id/captions`, { config: media }, (request, reply) =>
    change(request, reply, async (video, f) => {
      await videos.putCaption(video.id, { lang: f.lang ?? '', label: f.label ?? '', bytes: Buffer.from(f.text ?? '') });
      return 'captions';
    }),
  );
  app.post(`${VIDEOS_URL}/:id/captions/:lang/delete`, { config: media }, (request, reply) =>
    change(request, reply, async (video) => {
      await videos.deleteCaption(video.id, (request.params as { lang: string }).lang);
      return 'captions-removed';
    }),
  );
}
