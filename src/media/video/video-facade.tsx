// A video block in a story. Once the clip plays, a facade in reserved 16:9 space: its poster
// (responsive, lazy, width and height), its duration and a real button "Click to play video:
// '<title>'". The button submits a plain GET form to the progressive MP4 (the HLS playlist until
// that exists), so without JavaScript it still plays, in the browser's own player; with it, the
// facade island (video-facade-island.ts) swaps in a <video> and loads the player chunk only then.
// A clip without media shows its title and caption in the same space, with no play control.
import { transcriptOf } from './video-captions.ts';
import { captionUrl } from './video-json.ts';
import type { Caption, Video } from './video-repository.ts';
import { fileUrl } from './video-transcoder.ts';

/** "1:05", "12:00", "1:02:03". */
export function clockDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** "1 minute 5 seconds", for the duration's accessible name and ISO 8601 for machines. */
function spokenDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const m = Math.floor(total / 60);
  const s = total % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return [m ? part(m, 'minute') : '', s || !m ? part(s, 'second') : ''].filter(Boolean).join(' ');
}

export function isoDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  return `PT${Math.floor(total / 60) ? `${Math.floor(total / 60)}M` : ''}${total % 60}S`;
}

const SIZES = '(min-width: 46rem) 42rem, calc(100vw - 2.5rem)';

export function VideoFacade(props: { title: string; caption: string; video: Video | undefined; captions?: Caption[]; playerUrl?: string }) {
  const { title, caption, video } = props;
  const label = `Click to play video: '${title}'`;
  const media = video?.media && video.folder ? video.media : null;
  const folder = video?.folder ?? '';
  const captions = media ? (props.captions ?? []) : [];
  const transcript = captions[0] ? transcriptOf(captions[0].vtt) : [];
  const webp = video?.poster.filter((p) => p.format === 'webp') ?? [];
  const jpeg = video?.poster.filter((p) => p.format === 'jpeg') ?? [];
  const fallback = jpeg.find((p) => p.width >= 640) ?? jpeg[jpeg.length - 1];
  const srcset = (files: typeof jpeg) => files.map((p) => `${fileUrl(folder, p.file)} ${p.width}w`).join(', ');
  const noScriptTarget = media && video?.mp4 ? fileUrl(folder, video.mp4.file) : media?.hlsUrl;
  return (
    <figure class="video">
      {media ? (
        <form
          class="video-frame video-facade"
          method="get"
          action={noScriptTarget}
          data-video-hls={media.hlsUrl}
          data-video-player={props.playerUrl}
          data-video-title={title}
          data-video-captions={JSON.stringify(captions.map((c) => ({ lang: c.lang, label: c.label, src: captionUrl(folder, c.lang) })))}
        >
          {fallback && (
            <picture>
              <source type="image/webp" srcset={srcset(webp)} sizes={SIZES} />
              <img class="video-poster" src={fileUrl(folder, fallback.file)} srcset={srcset(jpeg)} sizes={SIZES} width={fallback.width} height={fallback.height} loading="lazy" decoding="async" alt="" />
            </picture>
          )}
          <button type="submit" class="video-play">
            <span class="video-play-icon" aria-hidden="true" />
            <span class="video-play-label">{label}</span>
          </button>
          {media.durationSeconds !== null && (
            <span class="video-duration">
              <span class="visually-hidden">Duration: {spokenDuration(media.durationSeconds)}</span>
              <span aria-hidden="true">{clockDuration(media.durationSeconds)}</span>
            </span>
          )}
        </form>
      ) : (
        <div class="video-frame video-pending">
          <p class="video-title">
            <span class="visually-hidden">Video: </span>
            {title}
          </p>
          <p class="video-status">Video coming soon</p>
        </div>
      )}
      {(caption || video?.credit) && caption !== title && (
        <figcaption>
          {caption && <span class="video-caption">{caption}</span>} {video?.credit && <span class="video-credit">({video.credit})</span>}
        </figcaption>
      )}
      {transcript.length > 0 && (
        <details class="video-transcript">
          <summary>Transcript of “{title}”</summary>
          {transcript.map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </details>
      )}
    </figure>
  );
}
