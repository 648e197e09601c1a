// The cache tags of media, beside the services that record them: a page showing an image or a clip
// carries its tag, and the service records the tag when the image or clip changes.
export const imageTag = (id: number) => `image:${id}`;
export const videoTag = (id: number) => `video:${id}`;
