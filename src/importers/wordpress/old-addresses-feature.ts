// Old addresses of imported sites (WordPress): the 301s they answer and the newsroom screen that
// lists them. The import itself is a CLI command (wordpress-command.ts); it writes the table.
import type { ArticleService } from '../../articles/article-service.ts';
import type { NewsroomShell } from '../../newsroom/newsroom-shell.ts';
import type { Feature } from '../../platform/feature.ts';
import type { Platform } from '../../platform/platform.ts';
import { registerOldAddressScreen, OLD_ADDRESSES_URL } from './old-address-screen.tsx';
import { OldAddresses, registerOldAddressHook } from './old-addresses.ts';

export function oldAddressesFeature(platform: Platform, deps: { articles: { articles: ArticleService }; newsroom: NewsroomShell }): Feature<OldAddresses> {
  const addresses = new OldAddresses(platform.db, deps.articles.articles, platform.clock);
  return {
    name: 'old addresses',
    api: addresses,
    nav: [{ href: OLD_ADDRESSES_URL, label: 'Old addresses', permission: 'canViewRedirects', order: 75 }],
    routes(app) {
      registerOldAddressHook(app, addresses);
      registerOldAddressScreen(app, { addresses, pages: deps.newsroom.pages });
    },
  };
}
