// House creatives for the ad slots the placement rule puts between paragraphs. (`/ads.txt` comes
// from the site settings and is served with the reader site.)
import type { Feature } from '../platform/feature.ts';
import type { Platform } from '../platform/platform.ts';
import { AdsRepository } from './repository.ts';
import { AdsService } from './service.ts';

export function adsFeature(platform: Platform): Feature<AdsService> {
  return { name: 'ads', api: new AdsService(new AdsRepository(platform.db), platform.changes) };
}
