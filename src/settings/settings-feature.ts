// Site settings (name, tagline, ads.txt, logo, navigation). Its newsroom screen: newsroom/settings-screens.ts.
import type { Media } from '../media/media-feature.ts';
import type { Feature } from '../platform/feature.ts';
import type { Platform } from '../platform/platform.ts';
import { SettingsService } from './settings-service.ts';

export function settingsFeature(platform: Platform, deps: { media: Media }): Feature<SettingsService> {
  const defaults = { siteName: platform.config.siteName, tagline: '', adsTxt: '' };
  const settings = new SettingsService(platform.db, platform.changes, defaults, deps.media.images);
  deps.media.images.addUseSource(async (imageId) => ((await settings.logoImageId()) === imageId ? ['the site logo'] : []));
  return { name: 'settings', api: settings };
}
