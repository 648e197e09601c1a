// ffmpeg and ffprobe, the system's own (Debian's `ffmpeg` package): found once, run at the lowest
// priority the system offers with bounded threads, and their progress read from `-progress`.
// Never downloaded.
import { spawn } from 'node:child_process';

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
  /**
   * Prefix for encodes so readers' requests keep the CPU first: Linux's idle scheduling class
   * (`chrt --idle 0`) where it can be set, else `nice -n 15`, else nothing.
   */
  lowPriority: string[];
  /** Whether encodes run in the idle class (they then get only the CPU nobody else wants). */
  idle: boolean;
  /** Threads one encode may use (`-threads`), from the machine's cores. */
  threads: number;
}

/** What uploads answer, and what the log says once at start, when the tools are missing. */
export const MISSING_FFMPEG =
  'Video uploads need ffmpeg and ffprobe on the server, and they are not installed: ask whoever runs the site to install them (Debian and Ubuntu: apt-get install ffmpeg).';

/** Runs a program to the end; its stdout as text (bounded), or an error with the end of stderr. */
export function run(command: string, args: string[], options: { maxOutput?: number; onStdout?: (chunk: string) => void; signal?: AbortSignal } = {}): Promise<string> {
  const maxOutput = options.maxOutput ?? 4 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (options.onStdout) options.onStdout(chunk);
      else if (out.length < maxOutput) out += chunk;
    });
    // Only the end of stderr matters (the reason a run failed); keep it bounded.
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err = (err + chunk).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${command.split('/').pop()} ${signal ? `was stopped (${signal})` : `exited with ${code}`}: ${lastLines(err)}`));
    });
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' / ').slice(0, 600);
}

/**
 * The tools if both answer `-version`, else null. Checked once per process: a missing ffmpeg is a
 * server's setup, not something that changes while it runs.
 */
export async function findFfmpeg(cores: number): Promise<FfmpegTools | null> {
  try {
    await run('ffmpeg', ['-hide_banner', '-version'], { maxOutput: 1000 });
    await run('ffprobe', ['-hide_banner', '-version'], { maxOutput: 1000 });
  } catch {
    return null;
  }
  // Measured on two cores (a 10 KB page under load beside one single-threaded encode): the encode
  // under `nice -n 15` or 19 still cost the page about a third of its throughput; in the idle
  // class, which yields the core to any task that wakes, a few percent.
  const works = (command: string, args: string[]) => run(command, [...args, 'true']).then(() => true, () => false);
  const idle = await works('chrt', ['--idle', '0']);
  const lowPriority = idle ? ['chrt', '--idle', '0'] : (await works('nice', ['-n', '15'])) ? ['nice', '-n', '15'] : [];
  // In the idle class an encode may use every core (it runs only in the time readers leave);
  // otherwise one core is left to the web server. Big machines give an encode at most four.
  return { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', lowPriority, idle, threads: Math.max(1, Math.min(4, idle ? cores : cores - 1)) };
}

/** Runs ffmpeg at low priority with `-progress`, calling `onTime(seconds)` as the output advances. */
export function runFfmpeg(tools: FfmpegTools, args: string[], onTime: (seconds: number) => void, signal?: AbortSignal): Promise<string> {
  const [command, ...prefix] = [...tools.lowPriority, tools.ffmpeg];
  let pending = '';
  return run(command!, [...prefix, '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-progress', 'pipe:1', ...args], {
    signal,
    onStdout: (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // out_time_us is microseconds written so far ("N/A" before the first frame).
        const match = /^out_time_us=(\d+)/.exec(line);
        if (match) onTime(Number(match[1]) / 1e6);
      }
    },
  });
}
