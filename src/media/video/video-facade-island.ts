// The story page's only video code before a click (under 1 KB): it turns a facade's submit (the
// "Click to play video" button) into a player in the same reserved space. Safari plays HLS itself,
// so its <video> starts inside the click's gesture (one tap on iOS); elsewhere the player chunk
// (video-player-island.ts: hls.js, from our own origin, hashed and immutable) loads now, not before.
// Only one clip plays at a time. Markup contract: video-facade.tsx.

interface TrackData {
  lang: string;
  label: string;
  src: string;
}

function playerFor(form: HTMLFormElement): HTMLVideoElement {
  const video = document.createElement('video');
  video.className = 'video-frame video-player';
  video.controls = true;
  video.playsInline = true;
  video.preload = 'auto';
  video.setAttribute('aria-label', form.dataset.videoTitle ?? 'Video');
  const poster = form.querySelector<HTMLImageElement>('img.video-poster');
  if (poster) video.poster = poster.currentSrc || poster.src;
  const tracks = JSON.parse(form.dataset.videoCaptions ?? '[]') as TrackData[];
  tracks.forEach((t, i) => {
    const track = document.createElement('track');
    track.kind = 'captions';
    track.srclang = t.lang;
    track.label = t.label;
    track.src = t.src;
    if (i === 0) track.default = false;
    video.append(track);
  });
  return video;
}

function nativeHls(video: HTMLVideoElement): boolean {
  // Safari (and iOS) play HLS themselves and have no MediaSource on iPhone before iOS 17.
  return video.canPlayType('application/vnd.apple.mpegurl') !== '' && !('MediaSource' in window || 'ManagedMediaSource' in window);
}

function start(form: HTMLFormElement): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const video = playerFor(form);
    const hls = form.dataset.videoHls ?? '';
    form.replaceWith(video);
    video.focus();
    if (nativeHls(video)) {
      video.src = hls;
      void video.play().catch(() => undefined);
      return;
    }
    const player = form.dataset.videoPlayer;
    if (!player) {
      video.src = form.action;
      void video.play().catch(() => undefined);
      return;
    }
    void import(/* @vite-ignore */ player).then((module: { attach(video: HTMLVideoElement, url: string): void }) => module.attach(video, hls));
  });
}

// One clip at a time: a clip starting pauses every other.
document.addEventListener(
  'play',
  (event) => {
    for (const other of document.querySelectorAll<HTMLVideoElement>('video')) if (other !== event.target && !other.paused) other.pause();
  },
  true,
);

for (const form of document.querySelectorAll<HTMLFormElement>('form.video-facade')) start(form);
