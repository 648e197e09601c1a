// A form field holding one media library image by its number: the story's social image, an
// author's photo, the site logo. Without scripts it is a plain numeric field (with the current
// image's thumbnail beside it); the image field island (image-field-island.ts) adds "Choose…" and
// "Remove" buttons and a panel to search the library or upload a new image.
// Markup contract for the island:
//   [data-image-field=<input name>][data-image-what][data-alt-required] > input[name=<input name>],
//     [data-image-field-preview][data-image-id], [data-image-field-actions] (hidden) >
//     button[data-image-field-choose], button[data-image-field-remove]
// and an input[name=_csrf] in the same form (uploads carry it).
import type { ImageService } from '../image-service.ts';
import { toPickerImage } from '../image-json.ts';
import type { FieldError } from '../../platform/errors.ts';
import { Field } from '../../newsroom/forms.tsx';
import type { PickerImage } from './picker-image.ts';

/** The largest id the databases' integer columns hold: a larger number cannot name an image. */
const MAX_ID = 2_147_483_647;

/**
 * A submitted image id: null for an empty field, the number for digits, NaN for anything else
 * (the services explain NaN: it is no whole number, so no image).
 */
export function imageIdOf(raw: string | undefined): number | null {
  const text = (raw ?? '').trim();
  if (text === '') return null;
  const id = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  return id >= 1 && id <= MAX_ID ? id : NaN;
}

/** The image a field's value names, as the preview shows it; undefined for none or no such image. */
export async function fieldImage(images: Pick<ImageService, 'find'>, raw: string | undefined): Promise<PickerImage | undefined> {
  const id = imageIdOf(raw);
  if (id === null || Number.isNaN(id)) return undefined;
  const image = await images.find(id);
  return image && toPickerImage(image);
}

export interface ImageIdFieldProps {
  name: string;
  label: string;
  hint: string;
  value?: string;
  errors: FieldError[];
  /** The image the value names, for the thumbnail (undefined: none, or not in the library). */
  image?: PickerImage;
  /** What the image is, in a button's words: "Choose social image…", "Remove photo". */
  what: string;
  /** Whether the place needs the image's alt text (a story's images do; a photo or logo has a fallback). */
  altRequired?: boolean;
}

export function ImageIdField(props: ImageIdFieldProps) {
  const { image, what } = props;
  return (
    <div class="image-field" data-image-field={props.name} data-image-what={what} data-alt-required={props.altRequired ? 'true' : 'false'}>
      <Field name={props.name} label={props.label} hint={props.hint} value={props.value} errors={props.errors} inputMode="numeric" />
      <p class="image-field-preview" data-image-field-preview data-image-id={image ? String(image.id) : ''} hidden={!image}>
        {image && <ImagePreview image={image} altRequired={props.altRequired} />}
      </p>
      <div class="image-field-actions" data-image-field-actions hidden>
        <button type="button" class="quiet" data-image-field-choose>
          Choose {what}…
        </button>
        <button type="button" class="quiet" data-image-field-remove>
          Remove {what}
        </button>
      </div>
    </div>
  );
}

/** The thumbnail and file name; the island draws the same after a choice. */
function ImagePreview({ image, altRequired }: { image: PickerImage; altRequired?: boolean }) {
  return (
    <>
      <img src={image.thumbnail} alt="" width={96} height={Math.max(1, Math.round((96 * image.height) / Math.max(1, image.width)))} />
      <span>
        {image.filename}
        {altRequired && !image.alt && ' · needs alt text before publishing'}
      </span>
    </>
  );
}
