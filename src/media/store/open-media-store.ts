// The store MEDIA_STORE names: local disk (default) or an S3-compatible bucket.
import path from 'node:path';
import type { MediaStoreConfig } from '../../platform/config.ts';
import { LocalMediaStore } from './local-store.ts';
import type { MediaStore } from './media-store.ts';
import { S3MediaStore } from './s3-store.ts';

export function openMediaStore(config: MediaStoreConfig, dataDir: string): MediaStore {
  if (config.kind === 'local') return new LocalMediaStore(config.root, config.publicUrl);
  return new S3MediaStore(config, path.join(dataDir, 'media-work'));
}
