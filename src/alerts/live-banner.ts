// The "Breaking" banner's server side. Readers with a page open hold one Server-Sent Events stream
// (`/alerts/live`); an alert sent on any node reaches this one through the change feed (at once
// when sent here, by the change-log poll otherwise), and every open stream gets it as one event.
// A stream starts with the alert still fresh, if any, so a page that has just loaded shows it too
// with no request of its own; `/alerts/latest.json` (cacheable for a few seconds) says the same for
// browsers without EventSource and for apps. Neither is ever part of a cached story page.
import type { ServerResponse } from 'node:http';
import type { Clock } from '../platform/clock.ts';
import type { Alert } from './alert-repository.ts';

/** The change-feed tag an alert's sending records, so that every node's streams hear of it. */
export const ALERT_SENT_TAG = 'alerts:sent';
/** A comment line now and then keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 25_000;
/** How soon a browser whose stream dropped tries again (EventSource's `retry:`). */
const RETRY_MS = 5_000;

/** What readers' pages are told of an alert: nothing about its audience or who sent it. */
export interface BannerAlert {
  id: number;
  title: string;
  text: string;
  url: string;
  sentAt: string;
  expiresAt: string;
}

export class LiveBanner {
  private readonly streams = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;
  /** The newest alert already sent down the streams: a repeated notice sends nothing. */
  private announced = 0;
  /** fresh(), kept a second: a burst of page loads opening streams asks the database once. */
  private recent: { at: number; banner: Promise<BannerAlert | null> } | undefined;

  constructor(
    private readonly newest: () => Promise<Alert | undefined>,
    private readonly clock: Clock,
    private readonly freshMinutes: number,
    private readonly maxStreams: number,
  ) {}

  /** The alert readers should still see now, if any. */
  async fresh(): Promise<BannerAlert | null> {
    const at = this.clock.now().getTime();
    if (!this.recent || at - this.recent.at > 1000 || at < this.recent.at) this.recent = { at, banner: this.lookUp() };
    return this.recent.banner;
  }

  private async lookUp(): Promise<BannerAlert | null> {
    const alert = await this.newest();
    if (!alert) return null;
    const banner = toBanner(alert, this.freshMinutes);
    return Date.parse(banner.expiresAt) > this.clock.now().getTime() ? banner : null;
  }

  get openStreams(): number {
    return this.streams.size;
  }

  /** False when this process already holds as many streams as it may (the caller answers 503). */
  canOpen(): boolean {
    return this.streams.size < this.maxStreams;
  }

  /**
   * Takes over a request's socket as an event stream until the reader leaves. `lastEventId`: the
   * alert a reconnecting browser already has (its Last-Event-ID), not sent again.
   */
  open(res: ServerResponse, headers: Record<string, string>, lastEventId = 0): void {
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // nginx and similar proxies would otherwise buffer the stream and deliver nothing until it ends.
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${RETRY_MS}\n\n`);
    this.streams.add(res);
    res.on('close', () => {
      this.streams.delete(res);
      if (this.streams.size === 0) this.stopHeartbeat();
    });
    this.heartbeat ??= setInterval(() => this.write(': keep-alive\n\n'), HEARTBEAT_MS).unref();
    void this.fresh()
      .then((banner) => {
        if (banner && banner.id > lastEventId && !res.writableEnded) res.write(frame(banner));
      })
      .catch(() => undefined);
  }

  /** The change feed's listener: an alert was sent somewhere; tell every open stream once. */
  onChange(tags: readonly string[]): void {
    if (tags.includes(ALERT_SENT_TAG)) void this.announce().catch(() => undefined);
  }

  async announce(): Promise<void> {
    this.recent = undefined; // a new alert: look again
    const banner = await this.fresh();
    if (!banner || banner.id <= this.announced) return;
    this.announced = banner.id;
    this.write(frame(banner));
  }

  /** Ends every stream (shutdown): browsers reconnect to another node after `retry`. */
  close(): void {
    this.stopHeartbeat();
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  private write(frame: string): void {
    for (const res of this.streams) res.write(frame);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}

function frame(banner: BannerAlert): string {
  return `id: ${banner.id}\nevent: alert\ndata: ${JSON.stringify(banner)}\n\n`;
}

export function toBanner(alert: Alert, freshMinutes: number): BannerAlert {
  return {
    id: alert.id,
    title: alert.title,
    text: alert.text,
    url: alert.url,
    sentAt: alert.createdAt,
    expiresAt: new Date(Date.parse(alert.createdAt) + freshMinutes * 60_000).toISOString(),
  };
}
