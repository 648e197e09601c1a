// What an uploaded file is, as ffprobe reads it, and whether we take it: the rule is a pure
// function of ffprobe's JSON (judgeProbe), so every refusal has an example test without a file.
// Nothing is kept before this says yes.
import { run, type FfmpegTools } from './ffmpeg.ts';

/** What the transcoder needs to know about an accepted source. */
export interface SourceInfo {
  container: string;
  videoCodec: string;
  /** As displayed: rotation applied. */
  width: number;
  height: number;
  durationSeconds: number;
  /** Frames per second (average; a phone's variable rate is made constant from it). */
  fps: number;
  hasAudio: boolean;
  /** PQ or HLG transfer: tone-mapped to SDR when encoded. */
  hdr: boolean;
  /** Degrees the picture is turned when displayed (0, 90, 180, 270). */
  rotation: number;
}

export interface ProbeLimits {
  maxDurationSeconds: number;
}

/** The longest and shortest side of 4K (DCI): anything bigger is refused. */
export const MAX_LONG_SIDE = 4096;
export const MAX_SHORT_SIDE = 2160;

export const ACCEPTED_VIDEO = 'a video file (MP4, MOV, MKV, WebM, 3GP, AVI or MPEG-TS)';

/** ffprobe's names for the containers we take (phones, cameras, editing software, screen recorders). */
const CONTAINERS = ['mov,mp4,m4a,3gp,3g2,mj2', 'matroska,webm', 'avi', 'mpegts'];
/** Picture codecs ffmpeg decodes that cameras and phones record. Still-image codecs are not here. */
const VIDEO_CODECS = new Set(['h264', 'hevc', 'vp8', 'vp9', 'av1', 'mpeg4', 'mpeg2video', 'mpeg1video', 'prores', 'dnxhd', 'mjpeg', 'h263', 'theora', 'wmv3', 'vc1']);

export type ProbeVerdict = { ok: true; info: SourceInfo } | { ok: false; message: string };

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  color_transfer?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: { rotation?: number }[];
}

interface ProbeJson {
  format?: { format_name?: string; duration?: string };
  streams?: ProbeStream[];
}

const minutes = (seconds: number) => (seconds % 60 === 0 ? `${seconds / 60} minutes` : `${Math.round(seconds)} seconds`);

/** Whether ffprobe's description of a file is a video we take; the refusal is written for the uploader. */
export function judgeProbe(raw: unknown, limits: ProbeLimits): ProbeVerdict {
  const probe = (raw && typeof raw === 'object' ? raw : {}) as ProbeJson;
  const refuse = (message: string): ProbeVerdict => ({ ok: false, message });
  const format = probe.format?.format_name ?? '';
  const streams = Array.isArray(probe.streams) ? probe.streams : [];
  if (!CONTAINERS.includes(format)) {
    const still = /image2|_pipe$|gif|apng/.test(format);
    return refuse(still ? `This is a still image, not a video (whatever its name says); upload ${ACCEPTED_VIDEO}.` : `This file is not ${ACCEPTED_VIDEO}, whatever its name says.`);
  }
  // Cover art in a music file is a "video" stream with attached_pic set: not a picture that moves.
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video) return refuse('This file has no video picture in it (is it a sound recording?); upload a file with video.');
  if (!VIDEO_CODECS.has(video.codec_name ?? '')) return refuse(`The picture in this file is ${video.codec_name ? `coded as “${video.codec_name}”, which we cannot convert` : 'in a form we cannot read'}; export it as H.264 or HEVC MP4 and upload that.`);
  const duration = Number(probe.format?.duration);
  if (!Number.isFinite(duration) || duration <= 0) return refuse('This video has no length we can read: it may be damaged or cut short. Export it again and upload the new file.');
  if (duration > limits.maxDurationSeconds) return refuse(`This video is ${minutes(Math.ceil(duration))} long; the limit is ${minutes(limits.maxDurationSeconds)}. Trim it and upload again.`);
  const rotation = rotationOf(video);
  const [codedW, codedH] = [video.width ?? 0, video.height ?? 0];
  if (codedW < 2 || codedH < 2) return refuse('This video has no picture size we can read: it may be damaged.');
  const [width, height] = rotation % 180 === 0 ? [codedW, codedH] : [codedH, codedW];
  if (Math.max(width, height) > MAX_LONG_SIDE || Math.min(width, height) > MAX_SHORT_SIDE) {
    return refuse(`This video is ${width} × ${height} pixels; the largest we take is 4K (${MAX_LONG_SIDE} × ${MAX_SHORT_SIDE}). Export it at 4K or less.`);
  }
  return {
    ok: true,
    info: {
      container: format,
      videoCodec: video.codec_name!,
      width,
      height,
      durationSeconds: Math.round(duration * 1000) / 1000,
      fps: frameRate(video),
      hasAudio: streams.some((s) => s.codec_type === 'audio'),
      hdr: video.color_transfer === 'smpte2084' || video.color_transfer === 'arib-std-b67',
      rotation,
    },
  };
}

/** Display rotation from the display matrix (newer ffprobe) or the old `rotate` tag. */
function rotationOf(stream: ProbeStream): number {
  const fromMatrix = stream.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  const degrees = fromMatrix ?? Number(stream.tags?.rotate ?? 0);
  return ((Math.round(degrees / 90) * 90) % 360 + 360) % 360;
}

/** Average frames per second, rounded, within 1–60 (a phone's 120 fps slow motion plays at 60). */
function frameRate(stream: ProbeStream): number {
  for (const text of [stream.avg_frame_rate, stream.r_frame_rate]) {
    const [n, d] = (text ?? '').split('/').map(Number);
    if (n && d && n / d > 0) return Math.min(60, Math.max(1, Math.round(n / d)));
  }
  return 30;
}

/** ffprobe's JSON for a file, or null when ffprobe cannot read it at all. */
export async function probeFile(tools: FfmpegTools, file: string): Promise<unknown> {
  try {
    const out = await run(tools.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
    return JSON.parse(out) as unknown;
  } catch {
    return null;
  }
}

/**
 * Decodes one small frame at the start, the middle and the end: a file cut off partway (an upload
 * that stopped, a copy that failed) usually still describes itself whole, but its later frames are
 * not there. False when any of them cannot be decoded.
 */
export async function framesDecode(tools: FfmpegTools, file: string, info: SourceInfo): Promise<boolean> {
  const times = [0, info.durationSeconds / 2, Math.max(0, info.durationSeconds - 0.5)];
  for (const at of times) {
    try {
      // framecrc writes one text line per decoded frame: none means nothing decoded there.
      const out = await run(tools.ffmpeg, ['-v', 'error', '-ss', at.toFixed(3), '-i', file, '-map', '0:v:0', '-frames:v', '1', '-vf', 'scale=8:8', '-f', 'framecrc', 'pipe:1'], { maxOutput: 10_000 });
      if (!out.split('\n').some((line) => /^\d/.test(line))) return false;
    } catch {
      return false;
    }
  }
  return true;
}
