// The media library's services and public routes: images (upload checks, variants, the AVIF job,
// serving, the Admin API) and video clip references. Its newsroom screens: newsroom/media-screens-feature.ts.
import type { Feature } from '../platform/feature.ts';
import type { Platform } from '../platform/platform.ts';
import { registerImagesAdminApi } from './image-admin-api.ts';
import { imageAvifJob } from './image-avif-job.ts';
import { ImageRepository } from './image-repository.ts';
import { registerImageRoutes } from './image-routes.ts';
import { ImageService } from './image-service.ts';
import { ImageStorage } from './image-storage.ts';
import type { MediaStore } from './store/media-store.ts';
import { openMediaStore } from './store/open-media-store.ts';
import type { ImageJournal } from './image-uses.ts';
import { VideoRepository } from './video-repository.ts';
import { VideoService } from './video-service.ts';

export interface Media {
  images: ImageService;
  videos: VideoService;
  /** Every media file (images; video's files when it lands), for backups and other kinds of media. */
  store: MediaStore;
}

/** `audit` is the audit log, where changes to an image's text are written with who made them. */
export function mediaFeature(platform: Platform, deps: { audit: { record: ImageJournal } }): Feature<Media> {
  const { config, db, engine, changes } = platform;
  const store = openMediaStore(config.mediaStore, config.dataDir);
  const images = new ImageService(new ImageRepository(db, engine), new ImageStorage(store), changes, {
    maxUploadBytes: config.mediaMaxUploadBytes,
    journal: (trx, entry) => deps.audit.record(trx, entry),
  });
  const videos = new VideoService(new VideoRepository(db, engine), changes);
  return {
    name: 'media',
    api: { images, videos, store },
    jobs: [imageAvifJob(images)],
    routes(app) {
      registerImageRoutes(app, { images });
      registerImagesAdminApi(app, images, config.siteUrl);
    },
  };
}
