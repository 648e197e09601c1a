// The import benchmark's baseline: the same export streamed through the WXR reader and nothing
// else, in its own process (its time and peak memory are what reading alone costs).
import { exportStream } from '../src/importers/wordpress/wordpress-run.ts';
import { readWxr } from '../src/importers/wordpress/wxr-reader.ts';
import { toItem } from '../src/importers/wordpress/wxr-records.ts';

let items = 0;
for await (const record of readWxr(exportStream(process.argv[2]!))) {
  if (record.kind === 'item') {
    toItem(record.node);
    items++;
  }
}
process.stdout.write(`${items}\n`);
