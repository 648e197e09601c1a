// Parts both tabs of the media library draw: the Images | Videos tabs, and the upload button with
// its progress, status and alert regions (the contract of both upload islands).

/** Images | Videos, above both tabs of the library. */
export function MediaTabs({ current }: { current: 'images' | 'videos' }) {
  return (
    <nav class="media-tabs" aria-label="Media library">
      <a href="/newsroom/media" aria-current={current === 'images' ? 'page' : undefined}>
        Images
      </a>
      <a href="/newsroom/media/videos" aria-current={current === 'videos' ? 'page' : undefined}>
        Videos
      </a>
    </nav>
  );
}

/** The upload button with its progress bar, polite status and alert region: the upload islands' contract. */
export function UploadActions() {
  return (
    <>
      <div class="media-upload-actions">
        <button type="submit">Upload</button>
        <progress data-upload-progress max={100} value={0} aria-label="Upload progress" hidden />
        <span class="media-upload-status" data-upload-status role="status" />
      </div>
      <div class="media-upload-errors" data-upload-errors role="alert" />
    </>
  );
}

