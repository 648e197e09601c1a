// Push encryption on a thread of its own. Each message costs an ECDH key pair and agreement
// (about 125 µs of CPU, RFC 8291 allows no reuse) besides the HTTP/2 request that carries it; on
// the event loop, the two together held the sender to one core. On this thread the encryption uses
// another core while the event loop sends (ADR 018). Messages asked for in the same turn of the
// event loop go over as one batch; the thread answers each batch whole and in order.
import { Worker } from 'node:worker_threads';
import type { Encrypted, EncryptionTask } from './push-encryption.ts';

export interface PushEncryptor {
  encrypt(task: EncryptionTask): Promise<Encrypted>;
  close(): void;
}

/**
 * The thread: the bundle's own file beside dist/main.js; or, from the sources (tests and benches
 * under tsx), the source file through tsx's own import (a worker does not get the process's
 * `--import tsx` hooks on Node 20).
 */
function startWorker(): Worker {
  if (globalThis.BULLETIN_BUNDLE) return new Worker(new URL('./push-encryption-worker.js', import.meta.url));
  const source = new URL('./push-encryption-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(source)}, ${JSON.stringify(import.meta.url)}))`, { eval: true });
}

type Waiting = { task: EncryptionTask; done: (result: Encrypted) => void };

export function encryptionThread(): PushEncryptor {
  let worker: Worker | undefined;
  /** Asked for this turn, not yet sent to the thread. */
  let queued: Waiting[] = [];
  /** Sent to the thread, oldest batch first: its answers come back in that order. */
  const sent: Waiting[][] = [];
  let closed = false;

  /** Every message the thread held is answered "later" (the fan-out retries it), and the next starts a new thread. */
  function lose(reason: string): void {
    const lost = sent.splice(0).flat();
    worker = undefined;
    for (const waiting of lost) waiting.done({ kind: 'later', reason });
  }

  function start(): Worker {
    const thread = startWorker();
    thread.on('message', (answers: Encrypted[]) => {
      const batch = sent.shift() ?? [];
      batch.forEach((waiting, i) => waiting.done(answers[i] ?? { kind: 'later', reason: 'the encryption thread gave no answer' }));
      // Like an idle socket, an idle thread does not keep the process running.
      if (sent.length === 0) thread.unref();
    });
    thread.on('error', (error) => {
      if (worker === thread) lose(`the encryption thread failed: ${error.message}`);
    });
    thread.on('exit', (code) => {
      if (worker === thread) lose(`the encryption thread stopped (exit code ${code})`);
    });
    return thread;
  }

  function flush(): void {
    const batch = queued;
    queued = [];
    if (batch.length === 0) return;
    if (closed) {
      for (const waiting of batch) waiting.done({ kind: 'later', reason: 'the push sender is closed' });
      return;
    }
    worker ??= start();
    worker.ref();
    sent.push(batch);
    worker.postMessage(batch.map((waiting) => waiting.task));
  }

  return {
    encrypt(task) {
      return new Promise((done) => {
        if (queued.length === 0) setImmediate(flush);
        queued.push({ task, done });
      });
    },
    close() {
      closed = true;
      const thread = worker;
      lose('the push sender is closed');
      void thread?.terminate();
    },
  };
}
