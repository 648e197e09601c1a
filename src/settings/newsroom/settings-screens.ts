// The site settings screen and the security policy, for administrators.
import type { AccountsApi } from '../../accounts/accounts-feature.ts';
import type { Media } from '../../media/media-feature.ts';
import type { NewsroomShell } from '../../newsroom/newsroom-shell.ts';
import type { Feature } from '../../platform/feature.ts';
import type { SettingsService } from '../settings-service.ts';
import { registerSettingsRoutes } from './settings-routes.tsx';

export function settingsScreens(deps: { settings: SettingsService; accounts: AccountsApi; media: Media; newsroom: NewsroomShell }): Feature<null> {
  const { settings, accounts, media, newsroom } = deps;
  return {
    name: 'settings screens',
    api: null,
    nav: [{ href: '/newsroom/settings', label: 'Settings', permission: 'canManageSettings', order: 70 }],
    routes: (app) =>
      registerSettingsRoutes(app, { accounts: accounts.accounts, audit: accounts.audit, settings, images: media.images, pages: newsroom.pages, assets: newsroom.islands }),
  };
}
