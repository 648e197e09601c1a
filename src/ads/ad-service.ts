// House creatives for the in-article slots: which one fills which slot.
import type { ChangeFeed } from '../platform/changes.ts';
import { invalidInput, type FieldError } from '../platform/errors.ts';
import type { AdRepository, Creative } from './ad-repository.ts';

export type { Creative } from './ad-repository.ts';
export const ADS_TAG = 'ads';

export class AdService {
  private memo: Promise<Creative[]> | undefined;

  constructor(
    private readonly repo: AdRepository,
    private readonly changes: ChangeFeed,
  ) {
    changes.onChange((tags) => {
      if (tags.includes(ADS_TAG)) this.memo = undefined;
    });
  }

  activeCreatives(): Promise<Creative[]> {
    this.memo ??= this.repo.active().catch((error: unknown) => {
      this.memo = undefined;
      throw error;
    });
    return this.memo;
  }

  /**
   * The creative for slot `slotIndex` of story `articleId`: a fixed rotation, so a cached page and
   * a fresh render agree, and neighbouring slots show different creatives.
   */
  pick(creatives: readonly Creative[], articleId: number, slotIndex: number): Creative | undefined {
    if (creatives.length === 0) return undefined;
    return creatives[(articleId + slotIndex) % creatives.length];
  }

  async create(input: Omit<Creative, 'id' | 'active'> & { active?: boolean }, now = new Date()): Promise<Creative> {
    const errors: FieldError[] = [];
    const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
    const creative = {
      name: text(input.name),
      headline: text(input.headline),
      body: text(input.body),
      linkUrl: text(input.linkUrl),
      sponsor: text(input.sponsor),
      active: input.active ?? true,
    };
    if (!creative.name) errors.push({ field: 'name', message: 'A creative needs a name.' });
    if (!creative.headline || creative.headline.length > 120) {
      errors.push({ field: 'headline', message: 'A creative headline is 1 to 120 characters.' });
    }
    if (creative.body.length > 300) errors.push({ field: 'body', message: 'A creative body is at most 300 characters.' });
    if (!/^(https?:\/\/|\/(?!\/))/.test(creative.linkUrl)) {
      errors.push({ field: 'linkUrl', message: 'A creative links to an http(s) or site-relative URL.' });
    }
    if (errors.length) throw invalidInput(errors);
    const { id, changed } = await this.repo.transaction(async (trx) => ({
      id: await this.repo.insert(trx, creative, now.toISOString()),
      changed: await this.changes.record(trx, [ADS_TAG]),
    }));
    this.memo = undefined;
    this.changes.applied(changed);
    return { id, ...creative };
  }
}
