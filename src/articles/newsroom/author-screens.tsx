// The author profile screens: every profile in a table, and the form that creates or edits one
// (name, bio, photo). The address (slug) is chosen once, when the profile is created: it is the
// author page's public URL, so a later change of name leaves it as it is.
import type { Author } from '../model.ts';
import { AUTHOR_LIMITS } from '../save-rules.ts';
import type { FieldError } from '../../platform/errors.ts';
import { Csrf, ErrorSummary, Field, TextArea } from '../../newsroom/forms.tsx';
import { ImageIdField } from '../../media/newsroom/image-field.tsx';
import type { PickerImage } from '../../media/newsroom/picker-image.ts';

export const AUTHORS_URL = '/newsroom/authors';

export interface AuthorRow extends Author {
  stories: number;
  photo?: PickerImage;
}

export function AuthorList({ authors, notice }: { authors: AuthorRow[]; notice?: string }) {
  return (
    <>
      <h1>Author profiles</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p>
        <a href={`${AUTHORS_URL}/new`}>New author profile</a>
      </p>
      {authors.length === 0 ? (
        <p>No author profiles yet.</p>
      ) : (
        <table class="author-list">
          <caption class="skip">Every author profile, by name</caption>
          <thead>
            <tr>
              <th scope="col">Photo</th>
              <th scope="col">Name</th>
              <th scope="col">Public page</th>
              <th scope="col">Stories</th>
              <th scope="col">
                <span class="skip">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {authors.map((a) => (
              <tr key={a.id}>
                <td>{a.photo ? <img src={a.photo.thumbnail} alt="" width={48} height={thumbHeight(a.photo, 48)} /> : <span class="muted">None</span>}</td>
                <td>{a.name}</td>
                <td>
                  <a href={`/author/${a.slug}`}>/author/{a.slug}</a>
                </td>
                <td>{a.stories}</td>
                <td>
                  <a href={`${AUTHORS_URL}/${a.id}`}>
                    Edit<span class="skip"> {a.name}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export interface AuthorFormView {
  /** The profile being edited; undefined for a new one. */
  author?: Author;
  values: Record<string, string>;
  errors: FieldError[];
  /** The image the photo field names, for its thumbnail. */
  photo?: PickerImage;
  scriptUrl: string;
  csrf: string;
}

export function AuthorForm(v: AuthorFormView) {
  const { author, values, errors } = v;
  const action = author ? `${AUTHORS_URL}/${author.id}` : `${AUTHORS_URL}/new`;
  return (
    <>
      <h1>{author ? `Edit author: ${author.name}` : 'New author profile'}</h1>
      <p>
        <a href={AUTHORS_URL}>All author profiles</a>
      </p>
      <ErrorSummary errors={errors} />
      <form class="stack" method="post" action={action} novalidate>
        <Csrf token={v.csrf} />
        <Field name="name" label="Name" value={values.name} errors={errors} required />
        {author ? (
          <div>
            <p>
              <strong>Public page:</strong> <a href={`/author/${author.slug}`}>/author/{author.slug}</a>
            </p>
            <p class="hint">The address stays as it is when the name changes, so links to the page keep working.</p>
          </div>
        ) : (
          <Field
            name="slug"
            label="Address"
            hint="The author page's address, /author/…: lowercase letters, digits and dashes; left empty, it follows the name. It does not change later."
            value={values.slug}
            errors={errors}
          />
        )}
        <TextArea name="bio" label="Bio" hint={`Shown on the author's page; up to ${AUTHOR_LIMITS.bio.toLocaleString('en-US')} characters.`} value={values.bio} errors={errors} />
        <ImageIdField
          name="photoImageId"
          label="Photo image id"
          hint="Optional: the number of an image in the media library, shown on the author's page. Its alt text is used, or else the author's name."
          value={values.photoImageId}
          errors={errors}
          image={v.photo}
          what="photo"
        />
        <div>
          <button type="submit">{author ? 'Save author' : 'Create author'}</button>
        </div>
      </form>
      <script type="module" src={v.scriptUrl} />
    </>
  );
}

function thumbHeight(image: PickerImage, width: number): number {
  return Math.max(1, Math.round((width * image.height) / Math.max(1, image.width)));
}
