// The player chunk, loaded only after a click on a facade (video-facade-island.ts): hls.js plays
// the clip's master playlist with adaptive bitrate and its subtitle renditions. Served from our own
// origin under a content-hashed name, cached for a year.
import Hls from 'hls.js';

export function attach(video: HTMLVideoElement, url: string): void {
  if (!Hls.isSupported()) {
    video.src = url;
    void video.play().catch(() => undefined);
    return;
  }
  // No worker: the site's Content-Security-Policy allows scripts from our origin only, not blob: workers.
  // Captions come from the <track> elements the facade added; the playlist's SUBTITLES rendition
  // (for native HLS players) is left alone here, so viewers are not offered each language twice.
  const hls = new Hls({ capLevelToPlayerSize: true, startLevel: -1, enableWorker: false, enableWebVTT: false, enableIMSC1: false });
  hls.loadSource(url);
  hls.attachMedia(video);
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    void video.play().catch(() => undefined);
  });
}
