// A long import makes a lot of short-lived garbage (each item's element tree, HTML tree, plan and
// queries) and V8 collects lazily: left alone, the heap of an import grows by 80-130 MB of dead
// objects before a full collection, although what is alive stays near 30 MB. A full collection
// every few hundred items keeps the process at its working size (a few milliseconds each; the
// figures are in bench/wordpress-import.ts). V8 offers the call only behind a flag, set here.
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    v8.setFlagsFromString('--expose-gc');
    // The flag applies to contexts made after it: a fresh one hands out the function.
    collect = vm.runInNewContext('gc') as () => void;
  } catch {
    collect = null;
  }
  return collect;
}

/** Counts items and collects the heap's garbage every `every` of them. */
export function heapTidier(every: number): () => void {
  let n = 0;
  return () => {
    if (++n % every === 0) collector()?.();
  };
}
