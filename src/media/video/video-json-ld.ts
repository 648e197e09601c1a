// schema.org VideoObject for a story's playable clips, so search engines can list the clip with
// the story: name, description, poster thumbnails, upload date, duration, the file.
import { isoDuration } from './video-facade.tsx';
import type { Video } from './video-repository.ts';
import { fileUrl } from './video-transcoder.ts';

export function videoObjectJsonLd(video: Video, siteUrl: string): Record<string, unknown> | null {
  if (!video.media || !video.folder) return null;
  const folder = video.folder;
  const thumbnails = video.poster.filter((p) => p.format === 'jpeg').map((p) => siteUrl + fileUrl(folder, p.file));
  return {
    '@type': 'VideoObject',
    name: video.title,
    description: video.caption || video.alt || video.title,
    ...(thumbnails.length && { thumbnailUrl: thumbnails }),
    uploadDate: video.createdAt,
    ...(video.durationSeconds !== null && { duration: isoDuration(video.durationSeconds) }),
    contentUrl: siteUrl + (video.mp4 ? fileUrl(folder, video.mp4.file) : video.media.hlsUrl),
    ...(video.credit && { creditText: video.credit }),
  };
}
