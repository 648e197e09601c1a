// Registers the newsroom shell's screens: sign-in and setup, dashboard, account, staff and tokens,
// settings, sections, authors, audit log. Feature screens (editor, media) register their own.
import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../accounts/audit.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { TokensService } from '../accounts/tokens.ts';
import type { ArticlesService } from '../articles/service.ts';
import type { ImagesService } from '../media/image-service.ts';
import type { ClientAssets } from '../platform/client-assets.ts';
import type { SettingsService } from '../settings/service.ts';
import { registerAccountRoutes } from './account-routes.tsx';
import { registerAuthorRoutes } from './author-routes.tsx';
import { registerDashboardRoutes } from './dashboard-routes.tsx';
import type { AuthorProfiles } from '../articles/author-profiles.ts';
import type { NewsroomPages } from './layout.tsx';
import { registerSettingsRoutes } from './settings-routes.tsx';
import { registerSignInRoutes } from './sign-in-routes.tsx';
import { registerStaffRoutes } from './staff-routes.tsx';

export interface NewsroomDeps {
  accounts: AccountsService;
  tokens: TokensService;
  audit: AuditLog;
  articles: ArticlesService;
  authors: AuthorProfiles;
  settings: SettingsService;
  /** The media library, for the thumbnails beside image fields (author photo, logo). */
  images: Pick<ImagesService, 'find'>;
  pages: NewsroomPages;
  /** Island scripts: the image field's. */
  assets: ClientAssets;
  secureCookies: boolean;
  timeZone: string;
  now(): Date;
}

export function registerNewsroomRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  registerSignInRoutes(app, deps);
  registerDashboardRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerStaffRoutes(app, deps);
  registerSettingsRoutes(app, deps);
  registerAuthorRoutes(app, deps);
}
