// The story workflow's rules as pure functions: which move is allowed from which status, where it
// leads, and what a correction must look like. ArticleService applies them inside its saves.
import { conflict, invalidInput } from '../platform/errors.ts';
import type { Actor } from '../newsroom/permissions.ts';
import type { Db } from '../platform/db.ts';
import type { Article, ArticleInput, ArticleStatus, WorkflowAction } from './model.ts';
import { changedStory } from './story-input.ts';

export const CORRECTION_LIMIT = 2000;

/** Where a move leads: the new status and publication time. */
export interface MoveTarget {
  status: ArticleStatus;
  publishedAt: string | null;
}

const FROM: Record<Exclude<WorkflowAction, 'update' | 'correct'>, readonly ArticleStatus[]> = {
  submit: ['draft'],
  return: ['ready', 'scheduled', 'unpublished'],
  schedule: ['draft', 'ready', 'scheduled', 'unpublished'],
  publish: ['draft', 'ready', 'scheduled', 'unpublished'],
  unpublish: ['published'],
};

const REFUSAL: Record<keyof typeof FROM, string> = {
  submit: 'Only a draft can be sent for editing.',
  return: 'Only a story that is ready for edit, scheduled or unpublished can go back to draft.',
  schedule: 'A published story cannot be scheduled; unpublish it first.',
  publish: 'This story is published already.',
  unpublish: 'Only a published story can be unpublished.',
};

export function planMove(action: keyof typeof FROM, article: Article, now: Date, at?: unknown): MoveTarget {
  if (!FROM[action].includes(article.status)) throw conflict(`${REFUSAL[action]} (It is ${article.status}.)`, 'status');
  switch (action) {
    case 'submit':
      return { status: 'ready', publishedAt: article.publishedAt };
    case 'return':
      return { status: 'draft', publishedAt: null };
    case 'schedule':
      return { status: 'scheduled', publishedAt: scheduleTime(at, now) };
    case 'publish':
      return { status: 'published', publishedAt: now.toISOString() };
    case 'unpublish':
      // The original publication time stays: the story was public then, whatever happens next.
      return { status: 'unpublished', publishedAt: article.publishedAt };
  }
}

function scheduleTime(at: unknown, now: Date): string {
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
    throw invalidInput([{ field: 'publishedAt', message: 'The publication time must be an ISO date and time.' }]);
  }
  const time = new Date(at).toISOString();
  if (time <= now.toISOString()) {
    throw invalidInput([{ field: 'publishedAt', message: 'A story can only be scheduled for a time in the future.' }]);
  }
  return time;
}

/** Only published stories take corrections and working copies: they are what readers have seen. */
export function requirePublished(article: Article, what: string): void {
  if (article.status !== 'published') throw conflict(`${what} (This story is ${article.status}.)`, 'status');
}

export function checkCorrection(text: unknown): string {
  const clean = typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : '';
  if (!clean) throw invalidInput([{ field: 'text', message: 'A correction needs its text.' }]);
  if (clean.length > CORRECTION_LIMIT) {
    throw invalidInput([{ field: 'text', message: `The correction is ${clean.length} characters; the limit is ${CORRECTION_LIMIT}.` }]);
  }
  return clean;
}

/** A story's current state as a save, for moves that change only its status and time (its address stays). */
export function asInput(article: Article, target: MoveTarget): ArticleInput {
  return changedStory(article, target);
}

/** Who made a workflow move: a person or token, or the scheduler publishing on time. */
export type MoveActor = Actor | 'scheduler' | 'cli';

/** Writes an audit entry inside the transaction of the move it logs (src/accounts/audit.ts). */
export type MoveJournal = (
  trx: Db,
  entry: { actor: MoveActor; action: string; target: string; detail: Record<string, unknown> },
) => Promise<void>;
