// The schemas of the JSON the newsroom's browser code reads (the editor's pickers, the library's
// upload): the routes state them, and the types browser code uses come from them (picker-image.ts
// and picker-video.ts re-export the types only, so no schema code reaches a browser bundle).
import { Type, type Static } from 'typebox';
import { Id } from '../../platform/schemas.ts';

/** An image as GET /newsroom/media/images.json lists it and the upload route returns it. */
export const PickerImageJson = Type.Object({
  id: Id,
  /** The uploader's file name, cleaned for display. */
  filename: Type.String(),
  /** Pixels, as displayed (after EXIF orientation). */
  width: Type.Integer(),
  height: Type.Integer(),
  /** Empty until someone writes it; a story cannot be published with an image lacking it. */
  alt: Type.String(),
  caption: Type.String(),
  credit: Type.String(),
  /** URL (site path) of the smallest WebP variant, else of the smallest JPEG/PNG one. */
  thumbnail: Type.String(),
  /** ISO-8601 UTC. */
  createdAt: Type.String(),
});
export type PickerImage = Static<typeof PickerImageJson>;

/** One page of the library, newest first; pass `next` as `before` for the following page (null: no more). */
export const PickerPageJson = Type.Object({ images: Type.Array(PickerImageJson), next: Type.Union([Id, Type.Null()]) });
export type PickerPage = Static<typeof PickerPageJson>;

export const PickerVideoJson = Type.Object({
  id: Id,
  title: Type.String(),
  caption: Type.String(),
  /** True once the clip's media exists (readers get a player); until then the story shows its title. */
  ready: Type.Boolean(),
});
export type PickerVideo = Static<typeof PickerVideoJson>;

/** One page of clips, newest first; pass `next` as `before` for the following page (null: no more). */
export const VideoPickerPageJson = Type.Object({ videos: Type.Array(PickerVideoJson), next: Type.Union([Id, Type.Null()]) });
export type VideoPickerPage = Static<typeof VideoPickerPageJson>;

/** `?q=<text>&before=<id>`: the values are checked by platform/paging.ts, with messages for people. */
export const PickerQuery = Type.Object({ q: Type.Optional(Type.String()), before: Type.Optional(Type.String()) });

/** The upload's answer: the image as the picker lists it, plus the rest of its record. */
export const UploadedImageJson = Type.Object({ image: Type.Object(PickerImageJson.properties, { additionalProperties: true }) });
