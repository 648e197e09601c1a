// Site settings: name, tagline, ads.txt, logo and navigation. Stored as key/value rows, kept in
// memory, dropped from memory (and from every cached page) when any process changes them.
import type { Kysely } from 'kysely';
import type { ChangeFeed } from '../platform/changes.ts';
import type { Db } from '../platform/db.ts';
import { invalidInput, type FieldError } from '../platform/errors.ts';
import type { ImageRecord } from '../media/image-service.ts';
import { imageTag } from '../media/change-tags.ts';
import { checkNavigation, parseStoredNavigation, type NavLink } from './navigation.ts';

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
type SettingsTables = {
  settings: { key: string; value: string };
};

/** The logo as the reader header shows it: one small file, with its size (no layout shift). */
export interface SiteLogo {
  imageId: number;
  url: string;
  width: number;
  height: number;
}

export interface SiteSettings {
  siteName: string;
  tagline: string;
  adsTxt: string;
  /** Where the site's readers are ("Canada", "the Bay Area"): the alerts box speaks of news impacting it. */
  region: string;
  /**
   * The alerts box's sentence; `{region}` stands for the region. Empty: the seed page's words,
   * "For news impacting {region} and around the world, sign up to receive breaking news alerts…".
   */
  alertsPitch: string;
  /** null when there is none, or its image has left the library. */
  logo: SiteLogo | null;
  /** Shown in the header in place of the sections; empty = the sections. */
  navigation: NavLink[];
  /** What feeds carry of each story: the whole text, or its summary with a link (readers come to the site). */
  feedContent: FeedContent;
}

export const FEED_CONTENTS = ['full', 'excerpt'] as const;
export type FeedContent = (typeof FEED_CONTENTS)[number];

export type SettingsPatch = Partial<Pick<SiteSettings, 'siteName' | 'tagline' | 'adsTxt' | 'region' | 'alertsPitch' | 'navigation' | 'feedContent'>> & { logoImageId?: number | null };

export const SETTINGS_TAG = 'settings';

/** The header draws the logo at most this tall (styles.css .site-logo), in CSS pixels. */
export const LOGO_HEIGHT = 40;

const KEYS = { siteName: 'site_name', tagline: 'tagline', adsTxt: 'ads_txt', region: 'region', alertsPitch: 'alerts_pitch', logoImageId: 'logo_image_id', navigation: 'navigation', feedContent: 'feed_content' };

type Images = { find(id: number): Promise<ImageRecord | undefined> };

export class SettingsService {
  private readonly db: Kysely<SettingsTables>;
  private memo: Promise<SiteSettings> | undefined;
  private logoTag: string | undefined;

  constructor(
    db: Db,
    private readonly changes: ChangeFeed,
    private readonly defaults: Pick<SiteSettings, 'siteName' | 'tagline' | 'adsTxt'>,
    /** The media library, for the logo. */
    private readonly images?: Images,
  ) {
    this.db = db.withTables<SettingsTables>();
    changes.onChange((tags) => {
      // The logo's file is looked up once; a change to its image (say, deleted) looks again.
      if (tags.includes(SETTINGS_TAG) || (this.logoTag && tags.includes(this.logoTag))) this.memo = undefined;
    });
  }

  get(): Promise<SiteSettings> {
    this.memo ??= this.load().catch((error: unknown) => {
      this.memo = undefined;
      throw error;
    });
    return this.memo;
  }

  /** The logo's library image id as stored (the logo itself may be gone), for the settings form. */
  async logoImageId(): Promise<number | null> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', KEYS.logoImageId).executeTakeFirst();
    return row?.value ? Number(row.value) : null;
  }

  /**
   * Checks every field first: a patch with any problem writes nothing. `alongside` runs inside the
   * same transaction (the audit entry), so the change and its record commit or fail together.
   */
  async update(patch: SettingsPatch, alongside?: (trx: Db) => Promise<void>): Promise<SiteSettings> {
    const errors: FieldError[] = [];
    if (patch.siteName !== undefined && (!patch.siteName.trim() || patch.siteName.length > 80)) {
      errors.push({ field: 'siteName', message: 'The site name is 1 to 80 characters.' });
    }
    if (patch.tagline !== undefined && patch.tagline.length > 200) {
      errors.push({ field: 'tagline', message: 'The tagline is at most 200 characters.' });
    }
    if (patch.region !== undefined && (patch.region.length > 60 || /[\u0000-\u001f]/.test(patch.region))) {
      errors.push({ field: 'region', message: 'The region is at most 60 characters on one line, e.g. “Canada”.' });
    }
    if (patch.alertsPitch !== undefined && (patch.alertsPitch.length > 300 || /[\u0000-\u001f]/.test(patch.alertsPitch))) {
      errors.push({ field: 'alertsPitch', message: 'The sign-up sentence is at most 300 characters on one line.' });
    }
    if (patch.feedContent !== undefined && !FEED_CONTENTS.includes(patch.feedContent)) {
      errors.push({ field: 'feedContent', message: 'Feeds carry the full text or an excerpt.' });
    }
    if (patch.adsTxt !== undefined && patch.adsTxt.length > 100_000) {
      errors.push({ field: 'adsTxt', message: 'ads.txt is at most 100,000 characters.' });
    }
    const navigation = patch.navigation && checkNavigation(patch.navigation, errors);
    if (patch.logoImageId !== undefined && patch.logoImageId !== null) await this.checkLogo(patch.logoImageId, errors);
    if (errors.length) throw invalidInput(errors);

    const values: [string, string | undefined][] = [
      [KEYS.siteName, patch.siteName?.trim()],
      [KEYS.tagline, patch.tagline?.trim()],
      [KEYS.adsTxt, patch.adsTxt?.trim()],
      [KEYS.region, patch.region?.trim()],
      [KEYS.alertsPitch, patch.alertsPitch?.trim()],
      [KEYS.logoImageId, patch.logoImageId === undefined ? undefined : patch.logoImageId === null ? '' : String(patch.logoImageId)],
      [KEYS.navigation, navigation && JSON.stringify(navigation)],
      [KEYS.feedContent, patch.feedContent],
    ];
    const changed = await this.db.transaction().execute(async (trx) => {
      for (const [key, value] of values) {
        if (value === undefined) continue;
        await trx.deleteFrom('settings').where('key', '=', key).execute();
        await trx.insertInto('settings').values({ key, value }).execute();
      }
      await alongside?.(trx as unknown as Db);
      return this.changes.record(trx as unknown as Db, [SETTINGS_TAG]);
    });
    this.memo = undefined;
    this.changes.applied(changed);
    return this.get();
  }

  private async checkLogo(id: number, errors: FieldError[]): Promise<void> {
    if (!Number.isInteger(id) || id < 1) {
      errors.push({ field: 'logoImageId', message: 'The logo is the number of an image in the media library.' });
    } else if (!this.images || !(await this.images.find(id))) {
      errors.push({ field: 'logoImageId', message: `There is no image ${id} in the media library (it may have been deleted).` });
    }
  }

  private async load(): Promise<SiteSettings> {
    const rows = await this.db.selectFrom('settings').selectAll().execute();
    const stored = new Map(rows.map((r) => [r.key, r.value]));
    const logoId = Number(stored.get(KEYS.logoImageId) || 0);
    this.logoTag = logoId > 0 ? imageTag(logoId) : undefined;
    return {
      siteName: stored.get(KEYS.siteName) ?? this.defaults.siteName,
      tagline: stored.get(KEYS.tagline) ?? this.defaults.tagline,
      adsTxt: stored.get(KEYS.adsTxt) ?? this.defaults.adsTxt,
      region: stored.get(KEYS.region) ?? '',
      alertsPitch: stored.get(KEYS.alertsPitch) ?? '',
      logo: logoId > 0 && this.images ? logoOf(await this.images.find(logoId)) : null,
      navigation: parseStoredNavigation(stored.get(KEYS.navigation)),
      feedContent: stored.get(KEYS.feedContent) === 'excerpt' ? 'excerpt' : 'full',
    };
  }
}

/**
 * One small file for the header, not a srcset: the logo is a request on every page, and the page
 * budget counts requests. WebP (or the image's JPEG/PNG when there is none), the narrowest variant
 * still sharp on a 2× screen at the header's height.
 */
export function logoOf(image: ImageRecord | undefined): SiteLogo | null {
  if (!image) return null;
  const webp = image.variants.filter((v) => v.format === 'webp');
  const candidates = (webp.length ? webp : image.variants.filter((v) => v.format === 'jpeg' || v.format === 'png')).sort((a, b) => a.width - b.width);
  const wanted = Math.ceil((2 * LOGO_HEIGHT * image.width) / Math.max(1, image.height));
  const chosen = candidates.find((v) => v.width >= wanted) ?? candidates.at(-1);
  if (!chosen) return null;
  return { imageId: image.id, url: `/media/images/${image.folder}/${chosen.file}`, width: chosen.width, height: chosen.height };
}
