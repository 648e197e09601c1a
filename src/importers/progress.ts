// Progress for long batches (imports, seeding). On a terminal: one line redrawn in place with a bar,
// count, rate and time left. Elsewhere (CI logs, pipes): one plain line per item, because carriage
// returns make a mess of log files (at most ~100 of them for items without a name).

export interface ProgressOptions {
  total: number;
  /** What is happening, e.g. "imported", "seeding". */
  label: string;
  out: NodeJS.WritableStream;
  isTTY: boolean;
  /** What is counted, for the rate ("files/s"). */
  unit?: string;
  /** Milliseconds clock; injectable so tests need no timing. */
  now?: () => number;
}

export interface Progress {
  /** One more item done; `detail` names it (shown on plain lines, and after the bar). */
  tick(detail?: string): void;
  /** Prints a whole line (a warning, an error) without breaking the bar. */
  log(line: string, stream?: NodeJS.WritableStream): void;
  /** Finishes the bar line. Safe to call more than once. */
  done(): void;
}

const BAR_WIDTH = 24;
/** Redrawing more often than this only costs time (a seed of thousands would flood the terminal). */
const REDRAW_MS = 100;

export function createProgress(options: ProgressOptions): Progress {
  const { total, label, out, isTTY } = options;
  const unit = options.unit ?? 'items';
  const now = options.now ?? Date.now;
  const started = now();
  let count = 0;
  let lastDraw = -Infinity;
  let drawn = false;
  let finished = false;
  let lastDetail = '';
  const plainStep = Math.max(1, Math.ceil(total / 100));

  const draw = () => {
    // A line wider than the terminal wraps, and \r then redraws only its last row: cut it to fit.
    const columns = (out as { columns?: number }).columns ?? 80;
    const line = barLine(count, total, now() - started, label, unit, lastDetail);
    out.write(`\r\x1b[2K${line.length >= columns ? `${line.slice(0, columns - 2)}…` : line}`);
    drawn = true;
    lastDraw = now();
  };

  return {
    tick(detail) {
      count++;
      lastDetail = detail ?? '';
      if (!isTTY) {
        // Named items get a line each; anonymous ones (a seed of a million stories) one per percent.
        if (!detail && count % plainStep !== 0 && count !== total) return;
        out.write(`${label} ${count}/${total}${detail ? ` ${detail}` : ''}\n`);
        return;
      }
      if (count >= total || now() - lastDraw >= REDRAW_MS) draw();
    },
    log(line, stream = out) {
      if (isTTY && drawn && !finished) out.write('\r\x1b[2K');
      stream.write(`${line}\n`);
      if (isTTY && drawn && !finished) draw();
    },
    done() {
      if (finished) return;
      finished = true;
      if (!isTTY) return;
      if (count > 0) {
        draw();
        out.write('\n');
      }
    },
  };
}

/** "imported [##########--------------]  4/10  2.0 files/s  3s left  national/slug" */
export function barLine(count: number, total: number, elapsedMs: number, label: string, unit: string, detail = ''): string {
  const fraction = total > 0 ? Math.min(1, count / total) : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? count / seconds : 0;
  const left = count >= total ? 'done' : rate > 0 ? `${formatDuration((total - count) / rate)} left` : '';
  const width = String(total).length;
  const parts = [label, bar, `${String(count).padStart(width)}/${total}`, `${formatRate(rate)} ${unit}/s`, left, detail];
  return parts.filter(Boolean).join('  ');
}

function formatRate(rate: number): string {
  return rate >= 100 ? rate.toFixed(0) : rate.toFixed(1);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
