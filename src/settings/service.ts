// Site settings: name, tagline, ads.txt. Stored as key/value rows, kept in memory, dropped from
// memory (and from every cached page) when any process changes them.
import type { Kysely } from 'kysely';
import type { ChangeFeed } from '../platform/changes.ts';
import type { Db } from '../platform/db.ts';
import { invalidInput } from '../platform/errors.ts';

// A type alias, not an interface: Kysely needs an index-signature-compatible shape.
type SettingsTables = {
  settings: { key: string; value: string };
};

export interface SiteSettings {
  siteName: string;
  tagline: string;
  adsTxt: string;
}

export const SETTINGS_TAG = 'settings';

const KEYS: Record<keyof SiteSettings, string> = { siteName: 'site_name', tagline: 'tagline', adsTxt: 'ads_txt' };

export class SettingsService {
  private readonly db: Kysely<SettingsTables>;
  private memo: Promise<SiteSettings> | undefined;

  constructor(
    db: Db,
    private readonly changes: ChangeFeed,
    private readonly defaults: SiteSettings,
  ) {
    this.db = db.withTables<SettingsTables>();
    changes.onChange((tags) => {
      if (tags.includes(SETTINGS_TAG)) this.memo = undefined;
    });
  }

  get(): Promise<SiteSettings> {
    this.memo ??= this.load().catch((error: unknown) => {
      this.memo = undefined;
      throw error;
    });
    return this.memo;
  }

  async update(patch: Partial<SiteSettings>): Promise<SiteSettings> {
    const errors = [];
    if (patch.siteName !== undefined && (!patch.siteName.trim() || patch.siteName.length > 80)) {
      errors.push({ field: 'siteName', message: 'The site name is 1 to 80 characters.' });
    }
    if (patch.tagline !== undefined && patch.tagline.length > 200) {
      errors.push({ field: 'tagline', message: 'The tagline is at most 200 characters.' });
    }
    if (patch.adsTxt !== undefined && patch.adsTxt.length > 100_000) {
      errors.push({ field: 'adsTxt', message: 'ads.txt is at most 100,000 characters.' });
    }
    if (errors.length) throw invalidInput(errors);
    const changed = await this.db.transaction().execute(async (trx) => {
      for (const [field, key] of Object.entries(KEYS) as [keyof SiteSettings, string][]) {
        const value = patch[field];
        if (value === undefined) continue;
        await trx.deleteFrom('settings').where('key', '=', key).execute();
        await trx.insertInto('settings').values({ key, value: value.trim() }).execute();
      }
      return this.changes.record(trx as unknown as Db, [SETTINGS_TAG]);
    });
    this.memo = undefined;
    this.changes.applied(changed);
    return this.get();
  }

  private async load(): Promise<SiteSettings> {
    const rows = await this.db.selectFrom('settings').selectAll().execute();
    const stored = new Map(rows.map((r) => [r.key, r.value]));
    return {
      siteName: stored.get(KEYS.siteName) ?? this.defaults.siteName,
      tagline: stored.get(KEYS.tagline) ?? this.defaults.tagline,
      adsTxt: stored.get(KEYS.adsTxt) ?? this.defaults.adsTxt,
    };
  }
}
