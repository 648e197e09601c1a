// The newsroom shell as the app builds it: the page renderer every staff screen draws into (with
// the navigation of every mounted feature), the islands' browser code those screens load, and the
// edge schemas of every screen's forms.
import type { Feature } from '../platform/feature.ts';
import type { Platform } from '../platform/platform.ts';
import { clientAssetsForThisBuild, registerClientAssetRoutes, type ClientAssets } from '../platform/client-assets.ts';
import { installFormSchemas } from './form-schemas.ts';
import { NewsroomPages } from './layout.tsx';
import type { Actor, Permission } from './permissions.ts';
import type { VNode } from 'preact';

/**
 * A link another feature puts on a story's edit screen ("Send alert" on a published story), for
 * those with its permission; `for` answers null where it does not apply to that story.
 */
export interface StoryLink {
  permission: Permission;
  for(story: { id: number; status: string }): { href: string; label: string } | null;
}

/**
 * Fields another feature adds to the story form (topic suggestions), drawn after the story's own.
 * `prepare` may change the posted fields before the story is saved from them (both the form and
 * its autosave); `saved` runs after that save with the fields as posted.
 */
export interface StoryFormPart {
  render(story: { id: number; version: number }): Promise<VNode | null>;
  prepare(values: Record<string, string>): Record<string, string>;
  saved(story: { id: number }, values: Record<string, string>, actor: Actor): Promise<void>;
}

export interface NewsroomShell {
  pages: NewsroomPages;
  /** Island scripts, by name (every src/**\/<name>-island.ts). */
  islands: ClientAssets;
  /** Links on a story's edit screen, added by the features built after the story desk. */
  storyLinks: StoryLink[];
  /** Parts of the story form, added by the features built after the story desk. */
  storyFormParts: StoryFormPart[];
}

export function newsroomShell(platform: Platform, deps: { settings: { get(): Promise<{ siteName: string }> } }): Feature<NewsroomShell> {
  const islands = clientAssetsForThisBuild();
  return {
    name: 'newsroom',
    api: { pages: new NewsroomPages(deps.settings, platform.nav), islands, storyLinks: [], storyFormParts: [] },
    // Mounted before every feature with screens, so its schemas reach all of their routes.
    routes(app) {
      installFormSchemas(app);
      registerClientAssetRoutes(app, islands);
    },
  };
}
