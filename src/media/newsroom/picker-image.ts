// The media library as the newsroom's browser code sees it: one image in a list (the editor's
// image picker, the library screen's island) and the addresses that serve them. Plain types and
// constants only, so browser bundles import this without pulling in server code.

/** An image as GET /newsroom/media/images.json lists it and the upload route returns it. */
export interface PickerImage {
  id: number;
  /** The uploader's file name, cleaned for display. */
  filename: string;
  /** Pixels, as displayed (after EXIF orientation). */
  width: number;
  height: number;
  /** Empty until someone writes it; a story cannot be published with an image lacking it. */
  alt: string;
  caption: string;
  credit: string;
  /** URL (site path) of the smallest WebP variant, else of the smallest JPEG/PNG one. */
  thumbnail: string;
  /** ISO-8601 UTC. */
  createdAt: string;
}

/** One page of the library, newest first; pass `next` as `before` for the following page (null: no more). */
export interface PickerPage {
  images: PickerImage[];
  next: number | null;
}

/** GET ?q=<text>&before=<id> → PickerPage. */
export const PICKER_URL = '/newsroom/media/images.json';
/** POST multipart (one `file` field) with the CSRF token in `x-csrf-token` → 201 `{ image }`. */
export const UPLOAD_URL = '/newsroom/media/images';
export const PICKER_PAGE_SIZE = 24;
