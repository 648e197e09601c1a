// A small chart of an alert's deliveries over time, drawn on the server as SVG (no script, works
// under the newsroom's CSP): one line per channel, the running count of deliveries sent, with a
// text alternative that says the same in words (title and description, and the table above it).
import type { Channel } from '../alert-repository.ts';

export interface ChartPoint {
  channel: Channel;
  /** `YYYY-MM-DDTHH:MM:SS` (UTC) */
  second: string;
  n: number;
}

const WIDTH = 480;
const HEIGHT = 160;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };
const COLOURS: Record<Channel, string> = { email: '#1f5fa8', push: '#b3261e' };
const DASHES: Record<Channel, string | undefined> = { email: undefined, push: '6 3' };

/** The chart's lines: per channel, the running total at each second from the first delivery. */
export function chartSeries(points: ChartPoint[]): { start: number; seconds: number; series: Record<Channel, [number, number][]>; totals: Record<Channel, number>; peak: Record<Channel, number> } {
  const series: Record<Channel, [number, number][]> = { email: [], push: [] };
  const totals: Record<Channel, number> = { email: 0, push: 0 };
  const peak: Record<Channel, number> = { email: 0, push: 0 };
  if (points.length === 0) return { start: 0, seconds: 0, series, totals, peak };
  const at = (second: string) => Date.parse(`${second}Z`);
  const start = Math.min(...points.map((p) => at(p.second)));
  const sorted = [...points].sort((a, b) => a.second.localeCompare(b.second));
  for (const channel of ['email', 'push'] as const) {
    const line: [number, number][] = [[0, 0]];
    for (const p of sorted.filter((q) => q.channel === channel)) {
      const t = (at(p.second) - start) / 1000;
      line.push([t, totals[channel]], [t + 1, (totals[channel] += p.n)]);
      peak[channel] = Math.max(peak[channel], p.n);
    }
    series[channel] = line;
  }
  const seconds = Math.max(1, ...Object.values(series).flatMap((line) => line.map(([t]) => t)));
  return { start, seconds, series, totals, peak };
}

export function DeliveryChart({ points, id }: { points: ChartPoint[]; id: string }) {
  const { seconds, series, totals, peak } = chartSeries(points);
  if (seconds === 0) return <p class="muted">Nothing delivered yet.</p>;
  const top = Math.max(1, totals.email, totals.push);
  const x = (t: number) => PAD.left + (t / seconds) * (WIDTH - PAD.left - PAD.right);
  const y = (n: number) => HEIGHT - PAD.bottom - (n / top) * (HEIGHT - PAD.top - PAD.bottom);
  const words = (['push', 'email'] as const)
    .filter((c) => totals[c] > 0)
    .map((c) => `${c === 'push' ? 'Push' : 'Email'}: ${totals[c].toLocaleString('en')} sent, at most ${peak[c].toLocaleString('en')} in one second`)
    .join('. ');
  const description = `Deliveries sent over ${Math.round(seconds)} seconds from the first. ${words}.`;
  return (
    <figure class="delivery-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>Deliveries over time</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <line x1={PAD.left} y1={HEIGHT - PAD.bottom} x2={WIDTH - PAD.right} y2={HEIGHT - PAD.bottom} stroke="#555" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={HEIGHT - PAD.bottom} stroke="#555" />
        <text x={PAD.left - 6} y={PAD.top + 4} text-anchor="end" font-size="11" fill="#222">
          {top.toLocaleString('en')}
        </text>
        <text x={PAD.left - 6} y={HEIGHT - PAD.bottom} text-anchor="end" font-size="11" fill="#222">
          0
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 8} text-anchor="end" font-size="11" fill="#222">
          {`${Math.round(seconds)} s`}
        </text>
        <text x={PAD.left} y={HEIGHT - 8} font-size="11" fill="#222">
          0 s
        </text>
        {(['email', 'push'] as const)
          .filter((c) => totals[c] > 0)
          .map((c) => (
            <polyline key={c} fill="none" stroke={COLOURS[c]} stroke-width="2" stroke-dasharray={DASHES[c]} points={series[c].map(([t, n]) => `${x(t).toFixed(1)},${y(n).toFixed(1)}`).join(' ')} />
          ))}
      </svg>
      <figcaption>
        {(['push', 'email'] as const)
          .filter((c) => totals[c] > 0)
          .map((c) => `${c === 'push' ? 'Push (dashed red)' : 'Email (solid blue)'}: ${totals[c].toLocaleString('en')}`)
          .join(' · ')}
      </figcaption>
    </figure>
  );
}
