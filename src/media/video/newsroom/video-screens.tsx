// The media library's Videos tab: the upload form (with progress, by the island), the clips with
// their state, and one clip's screen: state and progress, retry and delete, its text, its captions
// (and a warning while it has none), a preview. Markup contract of the island (video-upload-island.ts):
//   form[data-video-upload=<resumable upload address>] (hidden until the island runs) > input[name=_csrf], input[type=file][name=file],
//     progress[data-upload-progress], [data-upload-status] (polite), [data-upload-errors] (alert)
//   [data-video-status][data-video-json] — the island keeps a clip's state and percent current
import type { FieldError } from '../../../platform/errors.ts';
import { Csrf, ErrorSummary, Field } from '../../../newsroom/forms.tsx';
import { MediaTabs, UploadActions } from '../../newsroom/library-parts.tsx';
import { ACCEPTED_VIDEO } from '../video-probe.ts';
import type { Caption, Video } from '../video-repository.ts';
import { VIDEO_META_LIMITS } from '../video-service.ts';
import { fileUrl } from '../video-transcoder.ts';
import { clockDuration } from '../video-facade.tsx';

export const VIDEOS_URL = '/newsroom/media/videos';
export const clipUrl = (id: number) => `${VIDEOS_URL}/${id}`;
/** Where the island starts a resumable (tus) upload. */
export const VIDEO_UPLOADS_URL = `${VIDEOS_URL}/uploads`;

/** "Processing 42 %", "Ready", … as staff read a clip's state. */
export function statusWords(video: Pick<Video, 'status' | 'progress' | 'media'>): string {
  switch (video.status) {
    case 'reference':
      return 'No video uploaded yet';
    case 'processing':
      return video.media ? `Playable; converting the other sizes… ${video.progress} %` : `Converting… ${video.progress} %`;
    case 'ready':
      return 'Ready';
    case 'failed':
      return 'Conversion failed';
  }
}

function Poster({ video }: { video: Video }) {
  const poster = video.poster.filter((p) => p.format === 'jpeg')[0];
  if (!poster || !video.folder) return <span class="video-thumb video-thumb-empty" aria-hidden="true" />;
  return <img class="video-thumb" src={fileUrl(video.folder, poster.file)} width={poster.width} height={poster.height} alt="" loading="lazy" />;
}

function State({ video }: { video: Video }) {
  return (
    <span class="video-state" data-video-status data-video-json={video.status === 'processing' ? `${clipUrl(video.id)}/status` : undefined} role="status">
      {statusWords(video)}
    </span>
  );
}

export interface VideosView {
  videos: Video[];
  captioned: Set<number>;
  next: number | null;
  maxUploadMb: number;
  maxMinutes: number;
  unavailable: string | null;
  scriptUrl: string;
  csrf: string;
}

export function VideosPage(v: VideosView) {
  return (
    <>
      <h1>Media library</h1>
      <MediaTabs current="videos" />
      <section class="media-upload" aria-labelledby="upload-title">
        <h2 id="upload-title">Upload a video</h2>
        {v.unavailable ? (
          <p class="field-error" role="alert">
            {v.unavailable}
          </p>
        ) : (
          <>
            <noscript>
              <p>Uploading a video needs JavaScript in this browser (the upload shows its progress, can be gigabytes, and goes on from where it stopped if the connection breaks). Scripts can also upload through the Admin API.</p>
            </noscript>
            <form class="stack" method="post" action={VIDEOS_URL} enctype="multipart/form-data" novalidate data-video-upload={VIDEO_UPLOADS_URL} hidden>
              <Csrf token={v.csrf} />
              <TextField name="title" label="Title" hint="Readers see it on the play button: “Click to play video: '…'”. The file’s name if left empty." />
              <TextField name="caption" label="Caption" hint="Shown under the clip." rows={2} />
              <TextField name="credit" label="Credit" hint="Who filmed it, e.g. “Ada Reporter / Northwire”." />
              <TextField name="alt" label="Description" hint="What the clip shows, for people who cannot see it." rows={2} />
              <div>
                <label for="file">Video file</label>
                <p class="hint" id="file-hint">
                  {ACCEPTED_VIDEO.replace(/^a /, 'A ')}, up to {v.maxUploadMb.toLocaleString('en-US')} MB and {v.maxMinutes} minutes, at most 4K. Every size readers need is made from it.
                </p>
                <input type="file" id="file" name="file" accept="video/*,.mkv,.mov,.3gp" aria-describedby="file-hint" />
              </div>
              <UploadActions />
            </form>
          </>
        )}
      </section>
      <section aria-labelledby="videos-title">
        <h2 id="videos-title">Videos</h2>
        {v.videos.length === 0 && <p>No videos yet.</p>}
        <ul class="video-list" data-video-list>
          {v.videos.map((video) => (
            <li key={video.id} class="video-item">
              <Poster video={video} />
              <a class="media-name" href={clipUrl(video.id)}>
                {video.title}
              </a>
              <State video={video} />
              {video.durationSeconds !== null && <span class="media-size">{clockDuration(video.durationSeconds)}</span>}
              {video.folder && !v.captioned.has(video.id) && <strong class="media-needs-alt">No captions</strong>}
            </li>
          ))}
        </ul>
        {v.next !== null && (
          <p>
            <a href={`${VIDEOS_URL}?before=${v.next}`} rel="next">
              Older videos
            </a>
          </p>
        )}
      </section>
      <script type="module" src={v.scriptUrl} />
    </>
  );
}

/** A text field (forms.tsx's Field) or, with `rows`, a text area with its hint and error announced with it. */
function TextField(props: { name: string; label: string; hint: string; value?: string; rows?: number; errors?: FieldError[] }) {
  if (!props.rows) return <Field name={props.name} label={props.label} hint={props.hint} value={props.value ?? ''} errors={props.errors} />;
  const error = props.errors?.find((e) => e.field === props.name);
  const ids = [`${props.name}-hint`, ...(error ? [`${props.name}-error`] : [])].join(' ');
  return (
    <div>
      <label for={props.name}>{props.label}</label>
      <p class="hint" id={`${props.name}-hint`}>
        {props.hint}
      </p>
      {error && (
        <p class="field-error" id={`${props.name}-error`}>
          {error.message}
        </p>
      )}
      <textarea id={props.name} name={props.name} aria-describedby={ids} aria-invalid={error ? 'true' : undefined} rows={props.rows}>
        {props.value ?? ''}
      </textarea>
    </div>
  );
}

export interface ClipView {
  video: Video;
  captions: Caption[];
  values?: Partial<Record<'title' | 'caption' | 'credit' | 'alt', string>>;
  errors: FieldError[];
  notice?: string;
  csrf: string;
  scriptUrl: string;
}

export function ClipPage(v: ClipView) {
  const { video } = v;
  const values = { title: video.title, caption: video.caption, credit: video.credit, alt: video.alt, ...v.values };
  return (
    <>
      <p>
        <a href={VIDEOS_URL}>Videos</a>
      </p>
      <h1>Video “{video.title}”</h1>
      {v.notice && (
        <p class="notice" role="status">
          {v.notice}
        </p>
      )}
      <ErrorSummary errors={v.errors} />
      <section aria-labelledby="state-title">
        <h2 id="state-title">State</h2>
        <p>
          <State video={video} />
        </p>
        {video.status === 'failed' && (
          <>
            <p class="field-error">{video.error}</p>
            <form method="post" action={`${clipUrl(video.id)}/retry`}>
              <Csrf token={v.csrf} />
              <button type="submit">Retry the conversion</button>
            </form>
          </>
        )}
        {video.folder && (
          <p>
            {video.width} × {video.height} px{video.durationSeconds !== null && `, ${clockDuration(video.durationSeconds)}`}
            {video.renditions.length > 0 && `; sizes made: ${video.renditions.map((r) => `${r.size}p`).join(', ')}`}
            {video.mp4 && `; MP4 for feeds and readers without JavaScript: ${video.mp4.height}p`}.
          </p>
        )}
        {video.media && video.mp4 && video.folder && (
          // eslint-disable-next-line jsx-a11y/media-has-caption -- a staff preview of the file itself; captions are listed below
          <video class="video-preview" controls preload="none" width={video.mp4.width} height={video.mp4.height} poster={video.media.posterUrl ?? undefined} src={fileUrl(video.folder, video.mp4.file)} />
        )}
      </section>
      <form class="stack" method="post" action={clipUrl(video.id)} novalidate>
        <h2>Text</h2>
        <Csrf token={v.csrf} />
        <TextField name="title" label="Title" value={values.title} errors={v.errors} hint={`On the play button. Up to ${VIDEO_META_LIMITS.title} characters.`} />
        <TextField name="caption" label="Caption" value={values.caption} errors={v.errors} rows={2} hint="Shown under the clip." />
        <TextField name="credit" label="Credit" value={values.credit} errors={v.errors} hint="Who filmed it." />
        <TextField name="alt" label="Description" value={values.alt} errors={v.errors} rows={2} hint="What the clip shows, for people who cannot see it." />
        <div>
          <button type="submit">Save</button>
        </div>
      </form>
      {video.folder && video.durationSeconds !== null && (
        <form class="stack" method="post" action={`${clipUrl(video.id)}/poster`} novalidate>
          <h2>Poster</h2>
          <Csrf token={v.csrf} />
          <Field
            name="posterAt"
            label="Take the poster from (seconds into the clip)"
            hint={`From 0 to ${video.durationSeconds}. ${video.posterAt === null ? 'Now: the first frame that is not dark, near 10 % of the clip.' : `Now: ${video.posterAt} s.`}`}
            value={video.posterAt === null ? '' : String(video.posterAt)}
            errors={v.errors}
          />
          <div>
            <button type="submit">Make the poster</button>
          </div>
        </form>
      )}
      <section aria-labelledby="captions-title">
        <h2 id="captions-title">Captions</h2>
        {v.captions.length === 0 ? (
          <p class="media-needs-alt">
            <strong>No captions.</strong> Readers who cannot hear the clip, or watch it without sound, need them; add a WebVTT or SRT file below.
          </p>
        ) : (
          <ul>
            {v.captions.map((c) => (
              <li key={c.lang}>
                {c.label} ({c.lang}){' '}
                <form class="inline" method="post" action={`${clipUrl(video.id)}/captions/${c.lang}/delete`}>
                  <Csrf token={v.csrf} />
                  <button type="submit">Remove {c.label} captions</button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <form class="stack" method="post" action={`${clipUrl(video.id)}/captions`} novalidate data-caption-form>
          <Csrf token={v.csrf} />
          <TextField name="lang" label="Language code" errors={v.errors} hint="Such as en, fr or pt-BR. Captions in a language the clip has already are replaced." />
          <TextField name="label" label="Label" errors={v.errors} hint="As viewers choose it, such as “English”." />
          <div>
            <label for="caption-file">Caption file</label>
            <p class="hint" id="caption-file-hint">
              A WebVTT (.vtt) or SRT (.srt) file; its text lands in the box below, or paste it there.
            </p>
            <input type="file" id="caption-file" accept=".vtt,.srt,text/vtt" aria-describedby="caption-file-hint" data-caption-file />
          </div>
          <TextField name="text" label="Caption text" errors={v.errors} rows={6} hint="The file’s contents: timed lines such as “00:00:01,000 --> 00:00:03,500”." />
          <div>
            <button type="submit">Add captions</button>
          </div>
        </form>
      </section>
      <section aria-labelledby="delete-title">
        <h2 id="delete-title">Delete</h2>
        <p>Stories naming this clip then show its title without a player; its files stop being served.</p>
        <form method="post" action={`${clipUrl(video.id)}/delete`}>
          <Csrf token={v.csrf} />
          <button type="submit" class="danger">
            Delete this video
          </button>
        </form>
      </section>
      <script type="module" src={v.scriptUrl} />
    </>
  );
}
