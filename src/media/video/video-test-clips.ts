// Test clips made on the spot with ffmpeg's lavfi sources (a test pattern and a tone): tiny, so
// the suite stays fast, and nothing binary lives in git.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ClipOptions {
  width?: number;
  height?: number;
  seconds?: number;
  fps?: number;
  audio?: boolean;
  /** Display rotation written into the container (a phone held upright). */
  rotate?: 90 | 180 | 270;
  codec?: 'libx264' | 'libx265';
  container?: 'mp4' | 'mov' | 'mkv';
  /** Starts with black frames (a fade in): the poster must skip them. */
  blackStart?: number;
  /** Variable frame rate, as phones record: the first frames at half the rate. */
  variableRate?: boolean;
}

/** The clip's bytes. */
export function makeClip(options: ClipOptions = {}): Buffer {
  const { width = 320, height = 180, seconds = 2, fps = 24, audio = true, container = 'mp4' } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-clip-'));
  const out = path.join(dir, `clip.${container}`);
  try {
    const picture = options.blackStart
      ? `color=black:size=${width}x${height}:rate=${fps}:duration=${options.blackStart}[b];testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds - options.blackStart}[t];[b][t]concat=n=2:v=1`
      : `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`;
    const args = ['-v', 'error', '-y', '-f', 'lavfi', '-i', picture];
    if (audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`);
    if (options.variableRate) args.push('-vf', `setpts='if(lt(N,${fps}),N*2/${fps}/TB,(N+${fps})/${fps}/TB)'`, '-fps_mode', 'vfr');
    args.push('-c:v', options.codec ?? 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
    if (options.codec === 'libx265') args.push('-x265-params', 'log-level=error', '-tag:v', 'hvc1');
    if (audio) args.push('-c:a', 'aac', '-b:a', '64k');
    args.push('-t', String(seconds), out);
    execFileSync('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (!options.rotate) return fs.readFileSync(out);
    // The display matrix is written on a stream copy (as a phone writes it beside unrotated pixels).
    const rotated = path.join(dir, `rotated.${container}`);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', out, '-c', 'copy', '-metadata:s:v:0', `rotate=${options.rotate}`, rotated], { stdio: ['ignore', 'ignore', 'pipe'] });
    return fs.readFileSync(rotated);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A sound recording in an MP4 (no picture at all). */
export function makeAudio(seconds: number): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulletin-clip-'));
  const out = path.join(dir, 'tone.mp4');
  try {
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-c:a', 'aac', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function hasFfmpeg(): boolean {
  try {
    execFileSync('ffprobe', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** ffprobe's JSON of a file on disk. */
export function probe(file: string): { streams: { codec_type: string; codec_name: string; profile?: string; width?: number; height?: number }[]; format: { duration: string } } {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { encoding: 'utf8' })) as never;
}
