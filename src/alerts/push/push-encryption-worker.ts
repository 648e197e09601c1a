// The encryption thread's body: batches of messages in, the same batches encrypted out, in order.
// Bundled as dist/push-encryption-worker.js beside the server (scripts/build.mjs).
import { parentPort } from 'node:worker_threads';
import { encryptForPush, type EncryptionTask } from './push-encryption.ts';

parentPort!.on('message', (batch: EncryptionTask[]) => {
  parentPort!.postMessage(batch.map(encryptForPush));
});
