// The cache tags of media, beside the services that record them: a page showing an image or a clip
// carries its tag, and the service records the tag when the image or clip changes.
export const imageTag = (id: number) => `image:${id}`;
export const videoTag = (id: number) => `video:${id}`;
/** Pages that show only a clip's files (a feed's enclosure): its media changes (converted, replaced, deleted), not its text. */
export const videoMediaTag = (id: number) => `video-media:${id}`;
