// AVIF variants are made after the upload, by a durable job: the upload answers as soon as the WebP
// and JPEG/PNG variants exist (AVIF is about three quarters of the encoding time), pages show the
// image at once, and gain the AVIF <source> when the job has run (it records the image's cache tag).
import { Type } from 'typebox';
import type { Db } from '../platform/db.ts';
import { defineJob, enqueue, jobBinding, type JobBinding } from '../platform/jobs.ts';

export const IMAGE_AVIF = defineJob({
  kind: 'media.image-avif',
  // Its own lane: seconds of encoding must not hold back scheduled publishing.
  lane: 'media',
  payload: Type.Object({ imageId: Type.Integer({ minimum: 1 }) }),
});

/** Queues the image's AVIF variants inside the transaction that inserts it: one job per image. */
export function enqueueAvif(trx: Db, imageId: number, now: Date): Promise<number> {
  return enqueue(trx, IMAGE_AVIF, { imageId }, { now, dedupeKey: `${IMAGE_AVIF.kind}:${imageId}` });
}

/** What the job needs of the library (ImageService), named here so the two files do not import each other. */
export interface AvifMaker {
  addAvifVariants(imageId: number): Promise<unknown>;
}

export function imageAvifJob(images: AvifMaker): JobBinding {
  return jobBinding(IMAGE_AVIF, async ({ imageId }) => {
    await images.addAvifVariants(imageId);
  });
}
