// The media library's screens: the library (upload form, search, newest images first, paged) and
// one image's edit screen (preview, alt text, caption, credit, its files). The library's markup is
// also the island's contract (media-island.ts):
//   form[data-media-upload] > input[name=_csrf], input[type=file][name=file],
//     progress[data-upload-progress], [data-upload-status] (polite), [data-upload-errors] (alert)
//   ul[data-media-list] > li.media-item — the island adds new images at the top, built the same way
import { thumbnailVariant } from '../image-json.ts';
import { ResponsivePicture } from '../image-picture.tsx';
import { imageUrl } from '../image-picture.tsx';
import { ACCEPTED_TYPES } from '../image-processing.ts';
import { META_LIMITS, type ImageRecord } from '../image-service.ts';
import type { FieldError } from '../../platform/errors.ts';
import { Csrf, ErrorSummary } from '../../newsroom/forms.tsx';
import { MediaTabs, UploadActions } from './library-parts.tsx';

export const LIBRARY_URL = '/newsroom/media';
export const editUrl = (id: number) => `${LIBRARY_URL}/${id}`;

/** The types the file chooser offers; the server decides from the bytes anyway. */
const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif,image/gif';

const count = (n: number) => n.toLocaleString('en-US');
export const pixels = (image: Pick<ImageRecord, 'width' | 'height'>) => `${count(image.width)} × ${count(image.height)} px`;

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export interface LibraryView {
  images: ImageRecord[];
  total: number;
  page: number;
  pages: number;
  search: string;
  maxUploadMb: number;
  /** The upload that just succeeded (the form without JavaScript). */
  uploaded?: ImageRecord;
  /** Refusals of the upload (field "file") or of the search (field "q"). */
  errors: FieldError[];
  scriptUrl: string;
  csrf: string;
}

export function LibraryPage(v: LibraryView) {
  const fileError = v.errors.find((e) => e.field === 'file');
  const searchError = v.errors.find((e) => e.field === 'q');
  const pageLink = (page: number) => {
    const params = new URLSearchParams();
    if (v.search) params.set('q', v.search);
    if (page > 1) params.set('page', String(page));
    const query = params.toString();
    return query ? `${LIBRARY_URL}?${query}` : LIBRARY_URL;
  };
  return (
    <>
      <h1>Media library</h1>
      <MediaTabs current="images" />
      {v.uploaded && (
        <p class="notice" role="status">
          Uploaded “{v.uploaded.filename}”. Next, <a href={editUrl(v.uploaded.id)}>add its alt text</a>: a story cannot be published with an image
          that lacks it.
        </p>
      )}
      <ErrorSummary errors={v.errors} />
      <section class="media-upload" aria-labelledby="upload-title">
        <h2 id="upload-title">Upload an image</h2>
        <form class="stack" method="post" action={LIBRARY_URL} enctype="multipart/form-data" novalidate data-media-upload>
          {/* First, so the token arrives before the file. */}
          <Csrf token={v.csrf} />
          <div>
            <label for="file">Image file</label>
            <p class="hint" id="file-hint">
              {ACCEPTED_TYPES.replace(/^a /, 'A ')}, up to {v.maxUploadMb} MB. Sizes for every screen are made from it.
            </p>
            {fileError && (
              <p class="field-error" id="file-error">
                {fileError.message}
              </p>
            )}
            <input
              type="file"
              id="file"
              name="file"
              accept={ACCEPT}
              aria-describedby={fileError ? 'file-hint file-error' : 'file-hint'}
              aria-invalid={fileError ? 'true' : undefined}
            />
          </div>
          <UploadActions />
        </form>
      </section>

      <section aria-labelledby="images-title">
        <h2 id="images-title">Images</h2>
        <form class="media-search" method="get" action={LIBRARY_URL} role="search">
          <label for="q">Search images</label>
          <p class="hint" id="q-hint">
            File name, alt text, caption or credit.
          </p>
          {searchError && (
            <p class="field-error" id="q-error">
              {searchError.message}
            </p>
          )}
          <div class="inline">
            <input
              type="search"
              id="q"
              name="q"
              value={v.search}
              aria-describedby={searchError ? 'q-hint q-error' : 'q-hint'}
              aria-invalid={searchError ? 'true' : undefined}
            />
            <button type="submit">Search</button>
          </div>
        </form>
        <p>
          {v.search ? (
            <>
              {count(v.total)} {v.total === 1 ? 'image matches' : 'images match'} “{v.search}”. <a href={LIBRARY_URL}>Show all images</a>
            </>
          ) : v.total === 0 ? (
            'No images yet: upload the first one above.'
          ) : (
            `${count(v.total)} ${v.total === 1 ? 'image' : 'images'}, newest first.`
          )}
        </p>
        {v.images.length === 0 && v.total > 0 && (
          <p>
            There are no images on this page. <a href={pageLink(1)}>Go to the first page</a>
          </p>
        )}
        <ul class="media-grid" data-media-list>
          {v.images.map((image) => (
            <MediaItem key={image.id} image={image} />
          ))}
        </ul>
        {v.pages > 1 && (
          <nav class="media-pager" aria-label="Pages of images">
            {v.page > 1 && (
              <a href={pageLink(v.page - 1)} rel="prev">
                Newer
              </a>
            )}
            <span>
              Page {v.page} of {v.pages}
            </span>
            {v.page < v.pages && (
              <a href={pageLink(v.page + 1)} rel="next">
                Older
              </a>
            )}
          </nav>
        )}
      </section>
      <script type="module" src={v.scriptUrl} />
    </>
  );
}

/** One image in the library. media-island.ts builds the same markup for a new upload. */
export function MediaItem({ image }: { image: ImageRecord }) {
  const thumb = thumbnailVariant(image.variants);
  return (
    <li class="media-item">
      {thumb && (
        <img src={imageUrl(image.folder, thumb.file)} width={thumb.width} height={thumb.height} alt={image.alt} loading="lazy" decoding="async" />
      )}
      <a class="media-name" href={editUrl(image.id)}>
        {image.filename}
      </a>
      <span class="media-size">{pixels(image)}</span>
      {!image.alt && <strong class="media-needs-alt">Needs alt text</strong>}
    </li>
  );
}

export interface EditImageView {
  image: ImageRecord;
  /** What the person typed (kept when refused); the saved values otherwise. */
  values: { alt: string; caption: string; credit: string };
  errors: FieldError[];
  notice?: string;
  csrf: string;
}

export function EditImagePage(v: EditImageView) {
  const { image } = v;
  const original = image.mime.replace('image/', '').toUpperCase();
  return (
    <>
      <p>
        <a href={LIBRARY_URL}>Media library</a>
      </p>
      <h1>Image “{image.filename}”</h1>
      {v.notice && (
        <p class="notice" role="status">
          {v.notice}
        </p>
      )}
      <ErrorSummary errors={v.errors} />
      {!image.alt && (
        <p class="media-needs-alt">
          <strong>Needs alt text.</strong> A story cannot be published with this image until it has some.
        </p>
      )}
      <div class="media-edit">
        <section class="media-preview" aria-labelledby="preview-title">
          <h2 id="preview-title">Preview</h2>
          <p class="hint">As readers see it, with the saved caption and credit.</p>
          <ResponsivePicture image={image} sizes="(min-width: 60rem) 28rem, calc(100vw - 2.5rem)" lead />
        </section>
        <form class="stack" method="post" action={editUrl(image.id)} novalidate>
          <Csrf token={v.csrf} />
          <MetaField
            name="alt"
            label="Alt text"
            value={v.values.alt}
            errors={v.errors}
            rows={3}
            hint={`Describe what the image shows, for people who cannot see it: who or what is in it and what is happening, in a sentence or two. Do not begin with “Image of”, and leave out what the caption already says. Up to ${META_LIMITS.alt} characters; required before a story with this image is published.`}
          />
          <MetaField
            name="caption"
            label="Caption"
            value={v.values.caption}
            errors={v.errors}
            rows={3}
            hint={`Shown under the image. Up to ${count(META_LIMITS.caption)} characters.`}
          />
          <MetaField
            name="credit"
            label="Credit"
            value={v.values.credit}
            errors={v.errors}
            hint={`Who made the image, e.g. “Ada Reporter / Northwire”. Up to ${META_LIMITS.credit} characters.`}
          />
          <div>
            <button type="submit">Save</button>
          </div>
        </form>
      </div>
      <section aria-labelledby="files-title">
        <h2 id="files-title">Files</h2>
        <p>
          Uploaded as a {original} of {pixels(image)} ({fileSize(image.bytes)}) on {image.createdAt.slice(0, 16).replace('T', ' ')} UTC. The uploaded file
          itself, with its camera data, is kept but never served; readers get these sizes, each at a permanent address:
        </p>
        <table class="media-files">
          <thead>
            <tr>
              <th scope="col">Format</th>
              <th scope="col">Size in pixels</th>
              <th scope="col">File size</th>
              <th scope="col">Address</th>
            </tr>
          </thead>
          <tbody>
            {[...image.variants]
              .sort((a, b) => a.width - b.width || a.format.localeCompare(b.format))
              .map((variant) => (
                <tr key={variant.file}>
                  <td>{variant.format.toUpperCase()}</td>
                  <td>{pixels(variant)}</td>
                  <td>{fileSize(variant.bytes)}</td>
                  <td>
                    <a href={imageUrl(image.folder, variant.file)}>{imageUrl(image.folder, variant.file)}</a>
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
        <p class="hint">Images cannot be deleted here yet: a story may still show this one.</p>
      </section>
    </>
  );
}

/** A labelled text field with its hint and error both announced with it. */
function MetaField(props: { name: 'alt' | 'caption' | 'credit'; label: string; value: string; hint: string; errors: FieldError[]; rows?: number }) {
  const error = props.errors.find((e) => e.field === props.name);
  const hintId = `${props.name}-hint`;
  const errorId = `${props.name}-error`;
  const attrs = {
    id: props.name,
    name: props.name,
    'aria-describedby': error ? `${hintId} ${errorId}` : hintId,
    'aria-invalid': error ? ('true' as const) : undefined,
  };
  return (
    <div>
      <label for={props.name}>{props.label}</label>
      <p class="hint" id={hintId}>
        {props.hint}
      </p>
      {error && (
        <p class="field-error" id={errorId}>
          {error.message}
        </p>
      )}
      {props.rows ? (
        <textarea {...attrs} rows={props.rows} class="media-text">
          {props.value}
        </textarea>
      ) : (
        <input {...attrs} type="text" value={props.value} />
      )}
    </div>
  );
}
