// Topics as the newsroom manages them: a kind, a description for the topic page, other spellings
// (aliases) so a variant names the same topic, the gazetteer topic suggestions read, and the
// topics index readers browse. A change records the topic page's tag and the index's.
import type { ChangeFeed } from '../../platform/changes.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, invalidInput, type FieldError } from '../../platform/errors.ts';
import { tags } from '../change-tags.ts';
import type { KnownTopic } from './topic-extraction.ts';
import { TOPIC_KINDS, type TopicKind } from './topic-kinds.ts';
import { nameKey } from './topic-names.ts';
import type { TopicProfile, TopicRepository } from './topic-repository.ts';

/** The topics index's cache tag: any topic's name, kind or first visible story changes it. */
export const TOPICS_TAG = 'topics';
export const TOPIC_LIMITS = { description: 1000, alias: 80, aliases: 50 };

export interface TopicEdit {
  description?: unknown;
  kind?: unknown;
  /** Every other spelling, replacing the current list. */
  aliases?: unknown;
}

export class TopicService {
  constructor(
    private readonly repo: TopicRepository,
    private readonly changes: ChangeFeed,
    private readonly clock: Clock,
  ) {}

  /** Every topic with its spellings: what suggestions look for in a story's text. */
  async gazetteer(): Promise<KnownTopic[]> {
    await this.repo.keyNames();
    return (await this.repo.profiles()).map((t) => ({ name: t.name, kind: t.kind, aliases: t.aliases }));
  }

  async list(): Promise<TopicProfile[]> {
    return this.repo.profiles();
  }

  async byIds(ids: number[]): Promise<TopicProfile[]> {
    return this.repo.profiles([...new Set(ids)]);
  }

  async bySlug(slug: string): Promise<TopicProfile | undefined> {
    return (await this.repo.profiles()).find((t) => t.slug === slug);
  }

  /** The topic a spelling names, if any. */
  async named(name: string): Promise<{ id: number; slug: string; name: string } | undefined> {
    return this.repo.byNameKey(nameKey(name));
  }

  /** Topics with stories readers can see, by name. */
  index(): ReturnType<TopicRepository['visibleIndex']> {
    return this.repo.visibleIndex(this.clock.now().toISOString());
  }

  /** Changes a topic's description, kind or aliases, all checked first; every problem at once. */
  async update(slug: string, edit: TopicEdit): Promise<TopicProfile> {
    const topic = await this.bySlug(slug);
    if (!topic) throw new AppError('not_found', `There is no topic "${slug}".`);
    const errors: FieldError[] = [];
    let description: string | undefined;
    if (edit.description !== undefined) {
      description = typeof edit.description === 'string' ? edit.description.trim().replace(/\r\n/g, '\n') : '';
      if (typeof edit.description !== 'string' || description.length > TOPIC_LIMITS.description) errors.push({ field: 'description', message: `A description is text of at most ${TOPIC_LIMITS.description} characters.` });
    }
    const kind = edit.kind as TopicKind | undefined;
    if (kind !== undefined && !TOPIC_KINDS.includes(kind)) errors.push({ field: 'kind', message: `The kind is one of ${TOPIC_KINDS.join(', ')}.` });
    let aliases: string[] | undefined;
    if (edit.aliases !== undefined) {
      const list = Array.isArray(edit.aliases) ? edit.aliases : typeof edit.aliases === 'string' ? edit.aliases.split(',') : null;
      aliases = (list ?? []).map((a) => (typeof a === 'string' ? a.trim() : '')).filter(Boolean);
      if (!list || aliases.length > TOPIC_LIMITS.aliases || aliases.some((a) => a.length > TOPIC_LIMITS.alias || !nameKey(a))) {
        errors.push({ field: 'aliases', message: `Aliases are up to ${TOPIC_LIMITS.aliases} names of at most ${TOPIC_LIMITS.alias} characters, with letters or digits.` });
      } else {
        for (const alias of aliases) {
          const owner = await this.repo.byNameKey(nameKey(alias));
          if (owner && owner.id !== topic.id) errors.push({ field: 'aliases', message: `“${alias}” already names the topic ${owner.name}.` });
        }
      }
    }
    if (errors.length) throw invalidInput(errors);
    const change = await this.repo.transaction(async (repo, trx) => {
      await repo.update(topic.id, { kind, description });
      if (aliases) {
        const keep = new Set([nameKey(topic.name), ...aliases.map(nameKey)]);
        for (const old of topic.aliases) if (!keep.has(nameKey(old))) await repo.removeAlias(topic.id, nameKey(old));
        await repo.addSpellings(topic.id, aliases);
      }
      return this.changes.record(trx, [tags.topicList(topic.id), TOPICS_TAG]);
    });
    this.changes.applied(change);
    return (await this.bySlug(slug))!;
  }

  /** Spellings met in stories, kept on an accepted topic; and its kind when it had none. */
  async learn(name: string, spellings: string[], kind: TopicKind): Promise<void> {
    const topic = await this.named(name);
    if (!topic) return;
    const profile = (await this.byIds([topic.id]))[0]!;
    await this.repo.transaction(async (repo) => {
      await repo.addSpellings(topic.id, spellings.filter((s) => s.length <= TOPIC_LIMITS.alias));
      if (profile.kind === 'subject' && kind !== 'subject') await repo.update(topic.id, { kind });
    });
  }
}
