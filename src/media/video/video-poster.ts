// The clip's poster, taken from the source (the HLS rungs are smaller and softer): the first frame
// that is not black among a few moments near 10 % of the clip, as WebP and JPEG at a few widths.
import path from 'node:path';
import { rm, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { run, type FfmpegTools } from './ffmpeg.ts';
import { baseFilter } from './video-ladder.ts';
import type { PosterFile } from './video-repository.ts';
import type { SourceInfo } from './video-probe.ts';

export const POSTER_WIDTHS = [320, 640, 960, 1280];
/** Average brightness (0–255, of a tiny grey copy) below which a frame counts as black (a fade, a lens cap). */
const BLACK_BELOW = 28;

/** Candidate moments, as fractions of the clip: near 10 % first, then further in, then the start. */
const MOMENTS = [0.1, 0.15, 0.2, 0.3, 0.5, 0.05, 0];

async function brightness(tools: FfmpegTools, source: string, at: number): Promise<number> {
  // The mean luma of an 8 × 8 grey copy of one frame, as ffmpeg's signalstats prints it.
  const out = await run(tools.ffmpeg, ['-v', 'error', '-ss', at.toFixed(3), '-i', source, '-frames:v', '1', '-vf', 'scale=8:8,format=gray,signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-', '-f', 'null', '-'], { maxOutput: 10_000 });
  const match = /lavfi\.signalstats\.YAVG=([\d.]+)/.exec(out);
  return match ? Number(match[1]) : -1;
}

/** The time of the poster frame: `chosen` when the editor picked one, else the first bright moment. */
export async function posterTime(tools: FfmpegTools, source: string, info: SourceInfo, chosen?: number): Promise<number> {
  if (chosen !== undefined) return Math.min(Math.max(0, chosen), Math.max(0, info.durationSeconds - 0.1));
  let fallback = info.durationSeconds * 0.1;
  let best = -1;
  for (const fraction of MOMENTS) {
    const at = Math.min(info.durationSeconds * fraction, Math.max(0, info.durationSeconds - 0.1));
    const value = await brightness(tools, source, at);
    if (value >= BLACK_BELOW) return at;
    if (value > best) [best, fallback] = [value, at];
  }
  return fallback;
}

/**
 * Writes poster-w<width>.webp and .jpg into `work`, at the widths that fit the source; a moment the
 * editor chose is in the name (poster-t<ms>-w<width>), since poster addresses are cached for good.
 */
export async function makePoster(tools: FfmpegTools, source: string, info: SourceInfo, work: string, chosen?: number): Promise<PosterFile[]> {
  const prefix = chosen === undefined ? 'poster-' : `poster-t${Math.round(chosen * 1000)}-`;
  const at = await posterTime(tools, source, info, chosen);
  const frame = path.join(work, 'frame.png');
  await run(tools.ffmpeg, ['-v', 'error', '-y', '-ss', at.toFixed(3), '-i', source, '-frames:v', '1', '-vf', baseFilter({ ...info, fps: Math.max(1, info.fps) }).replace(/fps=\d+,/, ''), frame]);
  if (!(await stat(frame).catch(() => null))) throw new Error('no frame could be read for the poster');
  const widths = POSTER_WIDTHS.filter((w) => w <= info.width);
  if (widths.length === 0) widths.push(info.width % 2 ? info.width - 1 : info.width);
  const files: PosterFile[] = [];
  for (const width of widths) {
    const height = Math.max(2, Math.round((width * info.height) / info.width));
    const resized = sharp(frame).resize(width, height, { fit: 'fill' });
    await resized.clone().webp({ quality: 78 }).toFile(path.join(work, `${prefix}w${width}.webp`));
    await resized.clone().jpeg({ quality: 80, mozjpeg: true, progressive: true }).toFile(path.join(work, `${prefix}w${width}.jpg`));
    files.push({ format: 'webp', width, height, file: `${prefix}w${width}.webp` }, { format: 'jpeg', width, height, file: `${prefix}w${width}.jpg` });
  }
  await rm(frame, { force: true });
  return files;
}
