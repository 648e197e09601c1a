// Serving a clip's files: playlists, segments, the MP4, posters and captions, with their types,
// byte ranges (206: players seek in the MP4; Safari asks for ranges of everything) and year-long
// immutable caching (a new upload gets a new folder, so an address never changes meaning). Only
// staff may fetch a clip's files until a published story shows it; after a delete they are gone.
// The master and caption playlists are written from the row, so adding captions needs no re-encode.
// The files come from the media store (local disk, or the bucket every node shares), through the
// node: only it knows whether the asker may see the clip yet.
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { captionPlaylist, masterPlaylist } from './video-ladder.ts';
import { captionUrl } from './video-json.ts';
import type { Video, VideoService } from './video-service.ts';
import { LANG_TAG } from './video-captions.ts';

const TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Files of a clip readers cannot see yet: the staff member's browser may keep them, nothing shared may. */
const STAFF_ONLY = 'private, max-age=300';
/** Written from the row (captions can be added): short, so a new language reaches players soon. */
const GENERATED = 'public, max-age=60, stale-while-revalidate=300';

export interface VideoFileDeps {
  videos: VideoService;
  /** Whether the request comes from a signed-in staff member (their session cookie). */
  isStaff(request: FastifyRequest): Promise<boolean>;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (one range; players ask for one). Null: serve it all; 'bad': 416. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'bad' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'bad';
  return { start, end };
}

export function registerVideoFileRoutes(app: FastifyInstance, deps: VideoFileDeps): void {
  const { videos } = deps;

  async function clipFor(request: FastifyRequest): Promise<{ video: Video; staffOnly: boolean } | null> {
    const folder = (request.params as { folder: string }).folder;
    const staff = await deps.isStaff(request);
    const video = await videos.servable(folder, staff);
    if (!video?.media) return null;
    return { video, staffOnly: staff && !(await videos.isPublic(video.id)) };
  }

  const notFound = (reply: FastifyReply) => {
    reply.callNotFound();
    return reply;
  };

  app.get('/media/videos/:folder/master.m3u8', async (request, reply) => {
    const clip = await clipFor(request);
    if (!clip) return notFound(reply);
    const captions = await videos.captions(clip.video.id);
    const body = masterPlaylist(clip.video.renditions, { captions, ...playlistFacts(clip.video) });
    return reply.type(TYPES['.m3u8']!).header('cache-control', clip.staffOnly ? 'private, no-store' : GENERATED).send(body);
  });

  app.get('/media/videos/:folder/:caption', async (request, reply) => {
    const name = (request.params as { caption: string }).caption;
    const m = /^captions-([A-Za-z0-9-]{2,35})\.(vtt|m3u8)$/.exec(name);
    if (!m || !LANG_TAG.test(m[1]!)) return serveFile(request, reply);
    const clip = await clipFor(request);
    if (!clip) return notFound(reply);
    const caption = (await videos.captions(clip.video.id)).find((c) => c.lang === m[1]);
    if (!caption) return notFound(reply);
    const cache = clip.staffOnly ? 'private, no-store' : GENERATED;
    if (m[2] === 'vtt') return reply.type('text/vtt; charset=utf-8').header('cache-control', cache).send(caption.vtt);
    return reply.type(TYPES['.m3u8']!).header('cache-control', cache).send(captionPlaylist(clip.video.durationSeconds ?? 1, captionUrl(clip.video.folder!, caption.lang)));
  });

  app.get('/media/videos/:folder/*', (request, reply) => serveFile(request, reply));

  async function serveFile(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const params = request.params as { folder: string; '*'?: string; caption?: string };
    const name = params['*'] ?? params.caption ?? '';
    if (!videos.files.isPublicFile(params.folder, name)) return notFound(reply);
    const clip = await clipFor(request);
    const stats = clip ? await videos.files.stat(params.folder, name) : null;
    if (!clip || !stats) return notFound(reply);
    const etag = `"${params.folder}-${name.replace('/', '-')}-${stats.size}"`;
    reply.header('cache-control', clip.staffOnly ? STAFF_ONLY : IMMUTABLE).header('etag', etag).header('accept-ranges', 'bytes');
    if (request.headers['if-none-match']?.split(',').some((t) => [etag, `W/${etag}`, '*'].includes(t.trim()))) return reply.code(304).send();
    const type = TYPES[path.extname(name)] ?? 'application/octet-stream';
    const range = parseRange(request.headers.range, stats.size);
    if (range === 'bad') return reply.code(416).header('content-range', `bytes */${stats.size}`).send();
    const body = await videos.files.open(params.folder, name, range ?? undefined);
    // Gone between the two looks (a delete just committed): as if it had never been there.
    if (!body) return notFound(reply);
    if (range) {
      return reply
        .code(206)
        .type(type)
        .header('content-range', `bytes ${range.start}-${range.end}/${stats.size}`)
        .header('content-length', range.end - range.start + 1)
        .send(body);
    }
    return reply.type(type).header('content-length', stats.size).send(body);
  }
}

/** Frame rate and audio for the master's attributes, as the transcode recorded them with each rung. */
function playlistFacts(video: Video): { fps: number; hasAudio: boolean } {
  const first = video.renditions[0];
  return { fps: first?.fps ?? 30, hasAudio: first?.audio ?? true };
}
