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
  const hls = new Hls({ capLevelToPlayerSize: true, startLevel: -1 });
  hls.loadSource(url);
  hls.attachMedia(video);
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    void video.play().catch(() => undefined);
  });
}
