// AVIF variants are made after the upload, by a durable job: the upload answers as soon as the WebP
// and JPEG/PNG variants exist (AVIF is about three quarters of the encoding time), pages show the
// image at once, and gain the AVIF <source> when the job has run (it records the image's cache tag).
import type { Db } from '../platform/db.ts';
import { enqueue, type JobRunner } from '../platform/jobs.ts';

export const AVIF_JOB = 'image.avif';

export interface AvifJobPayload {
  imageId: number;
}

/** Queues the image's AVIF variants inside the transaction that inserts it: one job per image. */
export function enqueueAvif(trx: Db, imageId: number, runAt: Date): Promise<number> {
  const payload: AvifJobPayload = { imageId };
  return enqueue(trx, AVIF_JOB, runAt, payload, `${AVIF_JOB}:${imageId}`);
}

/** What the job needs of the library (ImagesService), named here so the two files do not import each other. */
export interface AvifMaker {
  addAvifVariants(imageId: number): Promise<unknown>;
}

export function registerImageJobs(runner: JobRunner, images: AvifMaker): void {
  runner.register(AVIF_JOB, async (payload) => {
    const imageId = (payload as Partial<AvifJobPayload> | null)?.imageId;
    if (typeof imageId !== 'number' || !Number.isSafeInteger(imageId) || imageId < 1) {
      throw new Error(`${AVIF_JOB}: the payload names no image: ${JSON.stringify(payload)}`);
    }
    await images.addAvifVariants(imageId);
    // Its own lane: seconds of encoding must not hold back scheduled publishing.
  }, 'media');
}
