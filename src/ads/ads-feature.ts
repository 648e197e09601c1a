// House creatives for the ad slots the placement rule puts between paragraphs. (`/ads.txt` comes
// from the site settings and is served with the reader site.)
import type { Feature } from '../platform/feature.ts';
import type { Platform } from '../platform/platform.ts';
import { AdRepository } from './ad-repository.ts';
import { AdService } from './ad-service.ts';

export function adsFeature(platform: Platform): Feature<AdService> {
  return { name: 'ads', api: new AdService(new AdRepository(platform.db), platform.changes) };
}
