// The story editor's video picker: the clip references already in the library (named in earlier
// stories or imports), newest first, searchable by title and caption.
import { PickerQuery, VideoPickerPageJson } from './picker-schemas.ts';
import { ErrorsJson } from '../../platform/schemas.ts';
import type { FastifyInstance } from 'fastify';
import type { VideoService } from '../video/video-service.ts';
import { AppError } from '../../platform/errors.ts';
import { sendJsonErrors } from '../../platform/http-errors.ts';
import { beforePageQuery } from '../../platform/paging.ts';
import { VIDEO_PICKER_PAGE_SIZE, VIDEO_PICKER_URL, type VideoPickerPage } from './picker-video.ts';

export function registerVideoPickerRoutes(app: FastifyInstance, videos: Pick<VideoService, 'browse'>): void {
  const schema = { querystring: PickerQuery, response: { 200: VideoPickerPageJson, 400: ErrorsJson } };
  app.get(VIDEO_PICKER_URL, { config: { permission: 'canUploadMedia' }, schema }, async (request, reply) => {
    const asked = beforePageQuery(request.query, 'clip');
    if ('error' in asked) return sendJsonErrors(reply, 400, [asked.error]);
    try {
      const page = await videos.browse({ limit: VIDEO_PICKER_PAGE_SIZE, ...asked });
      const body: VideoPickerPage = { videos: page.videos.map((v) => ({ id: v.id, title: v.title, caption: v.caption, ready: v.media !== null })), next: page.next };
      return reply.header('cache-control', 'no-store').send(body);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return sendJsonErrors(reply, error.status, error.details);
    }
  });
}
