// The media library's services and public routes: images (upload checks, variants, the AVIF job,
// serving, the Admin API) and video clips (upload checks with ffprobe, the transcode job, the Admin
// API; their files are served by the screens' feature, which knows staff sessions). Its newsroom
// screens: newsroom/media-screens-feature.ts.
import os from 'node:os';
import { Histogram, type Registry } from 'prom-client';
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
import { findFfmpeg, MISSING_FFMPEG, type FfmpegTools } from './video/ffmpeg.ts';
import { registerVideosAdminApi } from './video/video-admin-api.ts';
import { videoTranscodeJob } from './video/video-job.ts';
import { VideoRepository } from './video/video-repository.ts';
import { ResumableVideoUploads } from './video/video-resumable.ts';
import { VideoService } from './video/video-service.ts';
import { VideoStorage } from './video/video-storage.ts';
import { VideoTranscoder } from './video/video-transcoder.ts';

export interface Media {
  images: ImageService;
  videos: VideoService;
  /** Resumable (tus) uploads of clips; the newsroom and the Admin API each mount an endpoint. */
  videoUploads: ResumableVideoUploads;
  /** Every media file (images; video's files when it lands), for backups and other kinds of media. */
  store: MediaStore;
}

/** The time image work takes, for /metrics: an upload's WebP/JPEG variants (in the request) and the AVIF job's files. */
function imageWorkObserver(registry: Registry): (step: 'variants' | 'avif', seconds: number) => void {
  const histogram = new Histogram({
    name: 'bulletin_image_processing_seconds',
    help: 'Time spent making image variants: "variants" during an upload, "avif" in the AVIF job.',
    labelNames: ['step'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
    registers: [registry],
  });
  return (step, seconds) => histogram.observe({ step }, seconds);
}

/** `audit` is the audit log, where changes to an image's text are written with who made them. */
export function mediaFeature(platform: Platform, deps: { audit: { record: ImageJournal } }): Feature<Media> {
  const { config, db, engine, changes, clock } = platform;
  const store = openMediaStore(config.mediaStore, config.dataDir);
  const images = new ImageService(new ImageRepository(db, engine), new ImageStorage(store), changes, {
    maxUploadBytes: config.mediaMaxUploadBytes,
    journal: (trx, entry) => deps.audit.record(trx, entry),
    observe: imageWorkObserver(platform.metrics),
  });
  // ffmpeg is looked for once, when first needed (the site runs without it; uploads then say so).
  let found: Promise<FfmpegTools | null> | undefined;
  const tools = () => (found ??= findFfmpeg(os.availableParallelism()));
  const videoRepository = new VideoRepository(db, engine);
  const videoStorage = new VideoStorage(store);
  const videos = new VideoService(videoRepository, videoStorage, changes, clock, tools, {
    maxBytes: config.mediaMaxVideoBytes,
    maxDurationSeconds: config.mediaMaxVideoSeconds,
  });
  const videoUploads = new ResumableVideoUploads(videos, videoStorage.uploadsDir);
  const transcoder = new VideoTranscoder({ repo: videoRepository, storage: videoStorage, changes, clock, tools });
  return {
    name: 'media',
    api: { images, videos, videoUploads, store },
    jobs: [imageAvifJob(images), videoTranscodeJob(transcoder, db, clock)],
    async routes(app) {
      registerImageRoutes(app, { images });
      registerImagesAdminApi(app, images, config.siteUrl);
      registerVideosAdminApi(app, videos, videoUploads, config.siteUrl);
      // Said once, at start: the site runs on, and video uploads answer with the same words.
      if (!(await tools())) app.log.warn(MISSING_FFMPEG);
    },
  };
}
