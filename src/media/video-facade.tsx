// A video block in a story. With media it is a click-to-play player whose 16:9 space is reserved;
// without media yet it shows the clip's title and caption in the same space, with no play control.
import type { Video } from './video-repository.ts';

export function VideoFacade({ title, caption, video }: { title: string; caption: string; video: Video | undefined }) {
  const label = `Click to play video: '${title}'`;
  const media = video?.media;
  return (
    <figure class="video">
      {media ? (
        // Clips have no caption files yet (they come with transcoding); the caption shows beside the clip.
        // eslint-disable-next-line jsx-a11y/media-has-caption
        <video class="video-frame" controls preload="none" poster={media.posterUrl ?? undefined} aria-label={label}>
          <source src={media.hlsUrl} type="application/vnd.apple.mpegurl" />
        </video>
      ) : (
        <div class="video-frame video-pending">
          <p class="video-title">
            <span class="visually-hidden">Video: </span>
            {title}
          </p>
          <p class="video-status">Video coming soon</p>
        </div>
      )}
      {(media || caption) && (
        <figcaption>
          {media && <span class="video-label">{label}</span>}
          {caption && caption !== title && <span class="video-caption">{caption}</span>}
        </figcaption>
      )}
    </figure>
  );
}
