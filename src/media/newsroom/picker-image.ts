// The media library as the newsroom's browser code sees it: one image in a list (the editor's
// image picker, the library screen's island) and the addresses that serve them. Types (from the
// routes' schemas, picker-schemas.ts) and constants only, so browser bundles import this without
// pulling in server code.

export type { PickerImage, PickerPage } from './picker-schemas.ts';

/** GET ?q=<text>&before=<id> → PickerPage. */
export const PICKER_URL = '/newsroom/media/images.json';
/** POST multipart (one `file` field) with the CSRF token in `x-csrf-token` → 201 `{ image }`. */
export const UPLOAD_URL = '/newsroom/media/images';
export const PICKER_PAGE_SIZE = 24;
