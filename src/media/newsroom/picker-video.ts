// A video clip reference as the story editor's video picker sees it. Plain types and constants
// only, so browser code imports this without pulling in server code.

export interface PickerVideo {
  id: number;
  title: string;
  caption: string;
  /** True once the clip's media exists (readers get a player); until then the story shows its title. */
  ready: boolean;
}

/** One page of clips, newest first; pass `next` as `before` for the following page (null: no more). */
export interface VideoPickerPage {
  videos: PickerVideo[];
  next: number | null;
}

/** GET ?q=<text>&before=<id> → VideoPickerPage. */
export const VIDEO_PICKER_URL = '/newsroom/media/videos.json';
export const VIDEO_PICKER_PAGE_SIZE = 24;
