// The classifier's knowledge: the seed corpus (learnt in memory at start) plus what moderators
// have taught it since (word counts in the database, shared by every process). Kept in memory and
// reloaded when any process records that it learnt something.
import type { ChangeFeed } from '../platform/changes.ts';
import type { Db } from '../platform/db.ts';
import { emptyModel, features, learn, spamProbability, type ClassifierModel } from './classifier.ts';
import { commentTags } from './change-tags.ts';
import type { CommentRepository } from './comment-repository.ts';
import { SEED_HAM, SEED_SPAM } from './seed-corpus.ts';

export class SpamModel {
  private memo: Promise<ClassifierModel> | undefined;

  constructor(
    private readonly repository: CommentRepository,
    private readonly changes: ChangeFeed,
  ) {
    changes.onChange((tags) => {
      if (tags.includes(commentTags.model)) this.memo = undefined;
    });
  }

  /** The probability that this text (with this website) is spam. */
  async score(text: string, authorUrl: string): Promise<number> {
    return spamProbability(await this.model(), features(text, authorUrl));
  }

  /** Teaches one decision (or, with weight -1, takes one back), in the caller's transaction. */
  async teach(trx: Db, text: string, authorUrl: string, label: 'spam' | 'ham', weight: 1 | -1): Promise<void> {
    await this.repository.defences.learn(trx, features(text, authorUrl), label, weight);
    await this.changes.record(trx, [commentTags.model]);
  }

  /** Call after the teaching transaction committed (this process applies its own change at once). */
  forget(): void {
    this.memo = undefined;
  }

  private model(): Promise<ClassifierModel> {
    this.memo ??= this.load().catch((error: unknown) => {
      this.memo = undefined;
      throw error;
    });
    return this.memo;
  }

  private async load(): Promise<ClassifierModel> {
    const model = seedModel();
    const learnt = await this.repository.defences.words();
    const docs = learnt.get('_docs');
    if (docs) {
      model.docs.spam += docs.spam;
      model.docs.ham += docs.ham;
    }
    for (const [word, counts] of learnt) {
      if (word === '_docs') continue;
      const seen = model.words.get(word) ?? { spam: 0, ham: 0 };
      model.words.set(word, { spam: seen.spam + counts.spam, ham: seen.ham + counts.ham });
    }
    return model;
  }
}

let seeded: ClassifierModel | undefined;

/** The model learnt from the seed corpus alone (a fresh copy each call: callers add to it). */
export function seedModel(): ClassifierModel {
  if (!seeded) {
    seeded = emptyModel();
    for (const example of SEED_SPAM) learn(seeded, features(example.text, example.url ?? ''), 'spam');
    for (const example of SEED_HAM) learn(seeded, features(example.text, example.url ?? ''), 'ham');
  }
  return { docs: { ...seeded.docs }, words: new Map([...seeded.words].map(([w, c]) => [w, { ...c }])) };
}
