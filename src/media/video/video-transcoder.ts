// The transcode of one clip, run by the `media.video-transcode` job: the poster, then the
// fast-start rung with the progressive MP4 from the same encode (the clip plays from then on),
// then the rest of the ladder. Each part is written in a working folder on this machine, added to
// the clip's folder in the media store, then recorded; readers reach a part only through the row
// that names it. A re-run (retry, a lease that ran out after a crash) keeps the parts already
// recorded and makes the rest; a clip deleted meanwhile stops the encode and ends the job quietly;
// a failure marks the clip failed with the reason (the newsroom offers a retry).
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import { videoMediaTag, videoTag } from '../change-tags.ts';
import { runFfmpeg, type FfmpegTools } from './ffmpeg.ts';
import { makePoster } from './video-poster.ts';
import { encodeArgs, fastStartRung, ladderFor, mp4File, type Rung } from './video-ladder.ts';
import { judgeProbe, probeFile, type SourceInfo } from './video-probe.ts';
import type { Rendition, Video, VideoRepository } from './video-repository.ts';
import type { VideoStorage } from './video-storage.ts';

export interface TranscodeDeps {
  repo: VideoRepository;
  storage: VideoStorage;
  changes: ChangeFeed;
  clock: Clock;
  tools: () => Promise<FfmpegTools | null>;
  /** x264 preset (speed against size), `veryfast` by default. */
  preset?: string;
  /** Cores on this machine: with two or fewer, the 1080p rung is made `superfast` (see EncodeOptions.topPreset). */
  cores?: number;
}

/** Called every few seconds while encoding: keeps the job's lease; false means stop (the job is no longer ours). */
export type Heartbeat = () => Promise<boolean>;

export type TranscodeOutcome = 'ready' | 'deleted' | 'failed' | 'nothing-to-do';

export const masterUrl = (folder: string) => `/media/videos/${folder}/master.m3u8`;
export const fileUrl = (folder: string, file: string) => `/media/videos/${folder}/${file}`;

/** How the whole run's percent splits: poster, the fast-start rung, the rest. */
const SHARE = { poster: 3, fast: 22 };

export class VideoTranscoder {
  constructor(private readonly deps: TranscodeDeps) {}

  async run(id: number, heartbeat: Heartbeat = async () => true): Promise<TranscodeOutcome> {
    const { repo } = this.deps;
    const video = await repo.byId(id);
    if (!video?.folder) return 'deleted';
    if (video.status !== 'processing') return 'nothing-to-do';
    const folder = video.folder;
    const abort = new AbortController();
    const gone = async () => (await repo.byId(id))?.folder !== folder;
    // The beat: keep the lease, notice a delete (and stop ffmpeg at once).
    const beat = setInterval(() => {
      void (async () => {
        if ((await gone()) || !(await heartbeat())) abort.abort();
      })().catch(() => undefined);
    }, 5000);
    try {
      return await this.transcode(video, folder, abort.signal);
    } catch (error) {
      if (abort.signal.aborted || (await gone())) return 'deleted';
      const detail = error instanceof Error ? error.message : String(error);
      const reason = `The conversion stopped: the file may be damaged partway, or use something ffmpeg cannot convert. (${detail})`;
      await repo.setStatus(id, 'failed', { error: reason.slice(0, 1000) }, this.now());
      await this.record(id);
      return 'failed';
    } finally {
      clearInterval(beat);
      await this.deps.storage.clearWork(folder).catch(() => undefined);
    }
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private async record(id: number): Promise<void> {
    const change = await this.deps.repo.transaction((_repo, trx) => this.deps.changes.record(trx, [videoTag(id), videoMediaTag(id)]));
    this.deps.changes.applied(change);
  }

  private async transcode(video: Video, folder: string, signal: AbortSignal): Promise<TranscodeOutcome> {
    const { storage } = this.deps;
    const tools = await this.deps.tools();
    if (!tools) throw new Error('ffmpeg and ffprobe are not installed on the server');
    const work = await storage.freshWork(folder);
    const upload = await storage.source(folder, work);
    try {
      return await this.transcodeFrom(tools, upload.path, video, folder, work, signal);
    } finally {
      await upload.done();
    }
  }

  private async transcodeFrom(tools: FfmpegTools, source: string, video: Video, folder: string, work: string, signal: AbortSignal): Promise<TranscodeOutcome> {
    const verdict = judgeProbe(await probeFile(tools, source), { maxDurationSeconds: Number.MAX_SAFE_INTEGER });
    if (!verdict.ok) throw new Error(`the uploaded file can no longer be read: ${verdict.message}`);
    const info = verdict.info;
    const progress = this.progressWriter(video.id, info.durationSeconds);

    if (video.poster.length === 0) {
      const poster = await makePoster(tools, source, info, work, video.posterAt ?? undefined);
      const main = poster.find((p) => p.format === 'jpeg' && p.width >= 640) ?? poster.filter((p) => p.format === 'jpeg').pop();
      const placed = await this.commit(video.id, folder, work, poster.map((p) => p.file), (r) => r.setMedia(video.id, { poster, posterUrl: main ? fileUrl(folder, main.file) : null }, this.now()));
      if (!placed) return 'deleted';
    }
    progress.set(SHARE.poster);

    const rungs = ladderFor(info);
    const done = new Map(video.renditions.map((r) => [r.name, r]));
    const fast = fastStartRung(rungs);
    // The fast-start rung brings the progressive MP4 with it (one encode, two files); a clip begun
    // before the MP4 came that way has its fast rung made again, with the MP4.
    if (!done.has(fast.name) || !video.mp4) {
      await this.encode(tools, info, source, work, [fast], fast.name, (s) => progress.part(SHARE.poster, SHARE.fast, s), signal);
      done.set(fast.name, await renditionOf(work, fast, info));
      const mp4 = { file: mp4File(fast), width: fast.width, height: fast.height, bytes: (await stat(path.join(work, mp4File(fast)))).size };
      const placed = await this.commit(video.id, folder, work, [fast.name, mp4.file], (r) =>
        r.setMedia(video.id, { renditions: [...done.values()], mp4, hlsUrl: masterUrl(folder) }, this.now()),
      );
      if (!placed) return 'deleted';
    }
    progress.set(SHARE.poster + SHARE.fast);

    const rest = rungs.filter((r) => !done.has(r.name));
    if (rest.length) {
      await this.encode(tools, info, source, work, rest, undefined, (s) => progress.part(SHARE.poster + SHARE.fast, 100 - SHARE.poster - SHARE.fast, s), signal);
    }
    for (const r of rest) done.set(r.name, await renditionOf(work, r, info));
    const renditions = rungs.map((r) => done.get(r.name)!).filter(Boolean);
    const placed = await this.commit(video.id, folder, work, rest.map((r) => r.name), async (r) => {
      await r.setMedia(video.id, { renditions, hlsUrl: masterUrl(folder) }, this.now());
      await r.setStatus(video.id, 'ready', { progress: 100, error: null }, this.now());
    });
    return placed ? 'ready' : 'deleted';
  }

  /**
   * Adds `names` from the work folder to the clip's folder, then writes the row; false when the
   * clip is gone. The files go first and outside the transaction: sending a rung to a bucket takes
   * seconds, and until the row names them no reader can reach them (a re-run replaces them).
   */
  private async commit(id: number, folder: string, work: string, names: string[], write: (repo: VideoRepository) => Promise<void>): Promise<boolean> {
    const { storage } = this.deps;
    try {
      await storage.promote(folder, work, names);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (await this.deps.repo.byId(id))?.folder !== folder) return false;
      throw error;
    }
    const change = await this.deps.repo.transaction(async (repo, trx) => {
      const current = await repo.lockById(id);
      if (current?.folder !== folder) return null;
      await write(repo);
      return this.deps.changes.record(trx, [videoTag(id), videoMediaTag(id)]);
    });
    if (!change) {
      // Deleted between the two steps: what was just added must not outlive it.
      await storage.removeFolder(folder).catch(() => undefined);
      return false;
    }
    this.deps.changes.applied(change);
    return true;
  }

  private async encode(tools: FfmpegTools, info: SourceInfo, source: string, work: string, rungs: Rung[], mp4From: string | undefined, onTime: (seconds: number) => void, signal: AbortSignal): Promise<void> {
    for (const r of rungs) await mkdir(path.join(work, r.name), { recursive: true });
    await runFfmpeg(tools, encodeArgs(info, source, work, rungs, { threads: tools.threads, preset: this.deps.preset ?? 'veryfast', topPreset: (this.deps.cores ?? os.availableParallelism()) <= 2 ? 'superfast' : undefined, mp4From }), onTime, signal);
  }

  /** Writes the percent at most once a second, and only when it moved. */
  private progressWriter(id: number, duration: number) {
    let written = -1;
    let at = 0;
    const set = (percent: number) => {
      const value = Math.max(0, Math.min(99, Math.floor(percent)));
      if (value === written || Date.now() - at < 1000) return;
      written = value;
      at = Date.now();
      void this.deps.repo.setProgress(id, value).catch(() => undefined);
    };
    return { set, part: (from: number, span: number, seconds: number) => set(from + (span * Math.min(1, seconds / Math.max(0.001, duration)))) };
  }
}

/**
 * A finished rung as the row keeps it. Its BANDWIDTH is the peak bit rate of its segments as
 * written, container included, when that exceeds the encoder's cap plus audio: HLS players read
 * BANDWIDTH as the most a segment needs, and MPEG-TS adds a few per cent over the cap.
 */
async function renditionOf(work: string, rung: Rung, info: SourceInfo): Promise<Rendition> {
  const dir = path.join(work, rung.name);
  let bytes = 0;
  const sizes = new Map<string, number>();
  for (const name of await readdir(dir)) {
    const size = (await stat(path.join(dir, name))).size;
    sizes.set(name, size);
    bytes += size;
  }
  const peak = peakBitrate(await readFile(path.join(dir, 'index.m3u8'), 'utf8'), sizes);
  return { name: rung.name, size: rung.size, width: rung.width, height: rung.height, bandwidth: Math.max(rung.bandwidth, peak), bytes, fps: info.fps, audio: info.hasAudio };
}

/** The highest bits per second of any segment a playlist lists (its #EXTINF duration, its file's size). */
export function peakBitrate(playlist: string, sizes: Map<string, number>): number {
  let peak = 0;
  let duration = 0;
  for (const line of playlist.split('\n').map((l) => l.trim())) {
    const extinf = /^#EXTINF:([\d.]+)/.exec(line);
    if (extinf) duration = Number(extinf[1]);
    else if (line && !line.startsWith('#') && duration > 0) {
      peak = Math.max(peak, Math.ceil(((sizes.get(line) ?? 0) * 8) / duration));
      duration = 0;
    }
  }
  return peak;
}
