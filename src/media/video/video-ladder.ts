// The HLS ladder, after Apple's HLS authoring table: which rungs a source gets (only those at or
// below its size: upscaling adds bytes, not detail) and the ffmpeg arguments that make them. Pure
// functions of the probed source, so the rules are tested without encoding anything.
import type { SourceInfo } from './video-probe.ts';

export interface Rung {
  /** The short side in pixels: "360p" is 640 × 360 for a landscape clip, 360 × 640 for a portrait one. */
  size: number;
  width: number;
  height: number;
  /** Peak video bit rate, bits per second (the encoder's cap). */
  videoBitrate: number;
  /** BANDWIDTH of the variant: video peak plus AAC. */
  bandwidth: number;
  /** The rung's folder in the clip's folder: r360. */
  name: string;
}

/** Apple's table (16:9, 30 fps), short side → video kbit/s. The top is 1080p: most readers' screens. */
const TABLE: [number, number][] = [
  [234, 145],
  [360, 730],
  [540, 2000],
  [720, 3000],
  [1080, 6000],
];
export const AUDIO_BITRATE = 128_000;
/** Seconds between keyframes (closed GOP, IDR at the same times in every rung) and per segment. */
export const GOP_SECONDS = 2;
export const SEGMENT_SECONDS = 6;
/** H.264 High, level 4.2: 1080p at 60 fps; every browser and phone of the last decade plays it. */
export const H264_CODEC = 'avc1.64002a';
export const AAC_CODEC = 'mp4a.40.2';

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/** Width and height for a short side of `size`, keeping the source's shape (both even, as H.264 wants). */
export function dimensions(source: Pick<SourceInfo, 'width' | 'height'>, size: number): { width: number; height: number } {
  const landscape = source.width >= source.height;
  const short = Math.min(source.width, source.height);
  const long = Math.max(source.width, source.height);
  const s = even(size);
  const l = even((long * size) / short);
  return landscape ? { width: l, height: s } : { width: s, height: l };
}

function rung(source: Pick<SourceInfo, 'width' | 'height' | 'hasAudio'>, size: number, kbps: number): Rung {
  const videoBitrate = kbps * 1000;
  return { size, ...dimensions(source, size), videoBitrate, bandwidth: videoBitrate + (source.hasAudio ? AUDIO_BITRATE : 0), name: `r${size}` };
}

/**
 * The rungs for a source, smallest first: every rung of the table at or below its short side; a
 * source smaller than the smallest rung gets one rung at its own size.
 */
export function ladderFor(source: Pick<SourceInfo, 'width' | 'height' | 'hasAudio'>): Rung[] {
  const short = Math.min(source.width, source.height);
  const rungs = TABLE.filter(([size]) => size <= short).map(([size, kbps]) => rung(source, size, kbps));
  if (rungs.length === 0) return [rung(source, Math.max(100, Math.floor(short / 2) * 2), TABLE[0]![1])];
  return rungs;
}

/** The rung made first, so the clip plays before the ladder is done: 360p, or the largest below it. */
export function fastStartRung(rungs: Rung[]): Rung {
  return rungs.find((r) => r.size === 360) ?? rungs[rungs.length - 1]!;
}

/**
 * The progressive MP4 for readers without JavaScript and for feeds (at most 480p): the fast-start
 * rung's own encode, written a second time as MP4 by ffmpeg's tee muxer. It costs no encode of
 * its own, and plays from the moment the clip does.
 */
export const mp4File = (rung: Pick<Rung, 'size'>) => `clip-${rung.size}.mp4`;

/**
 * The picture filter before scaling: a constant frame rate (phones record variable rates; HLS
 * segments need whole GOPs), tone-mapped to SDR BT.709 when the source is HDR (PQ or HLG), 8-bit
 * 4:2:0 (what H.264 High plays everywhere). Rotation is applied by ffmpeg's own autorotate.
 */
export function baseFilter(source: Pick<SourceInfo, 'fps' | 'hdr'>): string {
  const tonemap = source.hdr ? 'zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,' : '';
  return `${tonemap}fps=${source.fps},format=yuv420p`;
}

export interface EncodeOptions {
  threads: number;
  /** x264 preset: speed against bytes. */
  preset: string;
  /**
   * The preset of rungs of 1080p and more, when it differs: on two cores the 1080p rung under
   * `veryfast` is 40 % of the ladder's CPU and keeps it slower than the clip; `superfast` makes it
   * in two thirds of the time for about a fifth more bytes at the same SSIM (0.9941 against
   * 0.9943 on the bench's 60 s clip).
   */
  topPreset?: string;
}

/** x264 settings every rung shares: High profile, closed GOP of GOP_SECONDS with no scene-cut keyframes (aligned IDRs). */
function h264(source: Pick<SourceInfo, 'fps'>, rung: Pick<Rung, 'size' | 'videoBitrate'>, options: EncodeOptions): string[] {
  const gop = String(source.fps * GOP_SECONDS);
  const kbps = rung.videoBitrate / 1000;
  const preset = rung.size >= 1080 && options.topPreset ? options.topPreset : options.preset;
  return [
    '-c:v', 'libx264', '-preset', preset, '-profile:v', 'high', '-level:v', '4.2',
    '-crf', '23', '-maxrate', `${kbps}k`, '-bufsize', `${kbps * 2}k`,
    '-g', gop, '-keyint_min', gop, '-sc_threshold', '0', '-flags', '+cgop',
    '-force_key_frames', `expr:gte(t,n_forced*${GOP_SECONDS})`,
    '-threads', String(options.threads),
  ];
}

function aac(source: Pick<SourceInfo, 'hasAudio'>): string[] {
  return source.hasAudio ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-ar', '48000'] : [];
}

/**
 * One ffmpeg run that decodes the source once and writes each rung as a VOD HLS playlist with
 * SEGMENT_SECONDS segments under `work/<rung>/`; the rung named `mp4From` is also written as the
 * progressive MP4 `work/clip-<size>.mp4` (fast start: the index first, so it plays while it
 * downloads), from the same encode.
 */
export function encodeArgs(source: SourceInfo, sourceFile: string, work: string, rungs: Rung[], options: EncodeOptions & { mp4From?: string }): string[] {
  // -xerror: a file damaged partway stops the encode (a failed clip with the reason) instead of becoming a clip with a broken middle.
  const args = ['-y', '-xerror', '-i', sourceFile, '-filter_complex', `[0:v:0]${baseFilter(source)},${scaleChain(rungs)}`];
  for (const r of rungs) {
    const hls = { hls_time: String(SEGMENT_SECONDS), hls_playlist_type: 'vod', hls_flags: 'independent_segments', hls_segment_type: 'mpegts', hls_segment_filename: `${work}/${r.name}/seg-%03d.ts` };
    const playlist = `${work}/${r.name}/index.m3u8`;
    args.push('-map', `[v${r.name}]`, ...aac(source), ...h264(source, r, options));
    if (r.name !== options.mp4From) {
      args.push('-f', 'hls', ...Object.entries(hls).flatMap(([key, value]) => [`-${key}`, value]), playlist);
      continue;
    }
    const slave = (format: string, settings: Record<string, string>, file: string) =>
      `[${[`f=${format}`, ...Object.entries(settings).map(([key, value]) => `${key}=${teeEscape(value)}`)].join(':')}]${teeEscape(file)}`;
    args.push('-f', 'tee', `${slave('hls', hls, playlist)}|${slave('mp4', { movflags: '+faststart' }, `${work}/${mp4File(r)}`)}`);
  }
  return args;
}

/**
 * The rungs' pictures, largest first, each scaled from the one above it rather than all from the
 * source: a 720p picture is a quarter of the work of a 1080p one to shrink again, and the whole
 * chain costs about 60 % of scaling every rung from 1080p (measured on a 60 s clip: 6.1 against
 * 10.6 s of CPU), with no visible difference at these ratios.
 */
export function scaleChain(rungs: Pick<Rung, 'name' | 'width' | 'height'>[]): string {
  const steps = [...rungs].sort((a, b) => b.width * b.height - a.width * a.height);
  return steps
    .map((r, i) => {
      const scaled = `scale=${r.width}:${r.height}:flags=bicubic,setsar=1`;
      const from = i === 0 ? '' : `[c${steps[i - 1]!.name}]`;
      return i === steps.length - 1 ? `${from}${scaled}[v${r.name}]` : `${from}${scaled},split=2[v${r.name}][c${r.name}]`;
    })
    .join(';');
}

/** A value or file name inside a tee muxer's slave list, where `:`, `|`, `[`, `]`, `'` and `\` are syntax. */
function teeEscape(text: string): string {
  return text.replace(/[\\:|[\]']/g, (c) => `\\${c}`);
}

/** The master playlist: every rung with BANDWIDTH, RESOLUTION, CODECS and frame rate, and the caption renditions. */
export function masterPlaylist(rungs: Pick<Rung, 'name' | 'width' | 'height' | 'bandwidth'>[], options: { fps: number; hasAudio: boolean; captions: { lang: string; label: string }[] }): string {
  const codecs = options.hasAudio ? `${H264_CODEC},${AAC_CODEC}` : H264_CODEC;
  const lines = ['#EXTM3U', '#EXT-X-VERSION:4', '#EXT-X-INDEPENDENT-SEGMENTS'];
  options.captions.forEach((c, i) => {
    lines.push(`#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="${c.label.replace(/"/g, "'")}",LANGUAGE="${c.lang}",DEFAULT=NO,AUTOSELECT=${i === 0 ? 'YES' : 'NO'},URI="captions-${c.lang}.m3u8"`);
  });
  for (const r of [...rungs].sort((a, b) => a.bandwidth - b.bandwidth)) {
    const subs = options.captions.length ? ',SUBTITLES="subs"' : '';
    lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${r.bandwidth},RESOLUTION=${r.width}x${r.height},CODECS="${codecs}",FRAME-RATE=${options.fps.toFixed(3)}${subs}`, `${r.name}/index.m3u8`);
  }
  return `${lines.join('\n')}\n`;
}

/** A one-segment VOD playlist for a caption file, as the master's SUBTITLES rendition points at. */
export function captionPlaylist(durationSeconds: number, vttUrl: string): string {
  const target = Math.ceil(durationSeconds);
  return `#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:${target}\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:${durationSeconds.toFixed(3)},\n${vttUrl}\n#EXT-X-ENDLIST\n`;
}
