// The shapes a clip is shown in: the Admin API's and the newsroom's (one function, so both agree).
import { fileUrl } from './video-transcoder.ts';
import type { Caption, Video } from './video-repository.ts';

export const captionUrl = (folder: string, lang: string) => `/media/videos/${folder}/captions-${lang}.vtt`;

export interface VideoJson {
  id: number;
  title: string;
  caption: string;
  credit: string;
  alt: string;
  status: Video['status'];
  progress: number;
  error: string | null;
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  posterUrl: string | null;
  hlsUrl: string | null;
  mp4Url: string | null;
  renditions: { height: number; width: number; bandwidth: number; bytes: number }[];
  captions: { lang: string; label: string; url: string }[];
  createdAt: string;
}

export function toVideoJson(video: Video, captions: Caption[], base = ''): VideoJson {
  const at = (url: string | null | undefined) => (url ? `${base}${url}` : null);
  const folder = video.folder;
  return {
    id: video.id,
    title: video.title,
    caption: video.caption,
    credit: video.credit,
    alt: video.alt,
    status: video.status,
    progress: video.progress,
    error: video.error,
    durationSeconds: video.durationSeconds,
    width: video.width,
    height: video.height,
    posterUrl: at(video.media?.posterUrl),
    hlsUrl: at(video.media?.hlsUrl),
    mp4Url: folder && video.mp4 ? at(fileUrl(folder, video.mp4.file)) : null,
    renditions: video.renditions.map((r) => ({ height: r.height, width: r.width, bandwidth: r.bandwidth, bytes: r.bytes })),
    captions: folder ? captions.map((c) => ({ lang: c.lang, label: c.label, url: at(captionUrl(folder, c.lang))! })) : [],
    createdAt: video.createdAt,
  };
}
