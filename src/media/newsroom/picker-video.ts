// A video clip reference as the story editor's video picker sees it. Types (from the route's
// schema, picker-schemas.ts) and constants only, so browser code imports this without pulling in
// server code.

export type { PickerVideo, VideoPickerPage } from './picker-schemas.ts';

/** GET ?q=<text>&before=<id> → VideoPickerPage. */
export const VIDEO_PICKER_URL = '/newsroom/media/videos.json';
export const VIDEO_PICKER_PAGE_SIZE = 24;
