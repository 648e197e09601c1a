// Moderators' moves on a stored comment, as data: which statuses each move applies to, where it
// leads, what the classifier learns from it, and the refusal when it does not apply (the shape of
// articles/workflow.ts). No I/O; moderation-service.ts applies them.
import type { CommentStatus } from './moderation-rules.ts';

export const MOVES = ['approve', 'spam', 'trash', 'restore'] as const;
export type CommentMove = (typeof MOVES)[number];

export function isMove(value: unknown): value is CommentMove {
  return typeof value === 'string' && (MOVES as readonly string[]).includes(value);
}

export type MoveOutcome = { ok: true; to: CommentStatus; teach: 'spam' | 'ham' | null } | { ok: false; message: string };

export function applyMove(move: CommentMove, from: CommentStatus): MoveOutcome {
  switch (move) {
    case 'approve':
      return from === 'approved' ? { ok: false, message: 'This comment is already approved.' } : { ok: true, to: 'approved', teach: 'ham' };
    case 'spam':
      return from === 'spam' ? { ok: false, message: 'This comment is already marked as spam.' } : { ok: true, to: 'spam', teach: 'spam' };
    case 'trash':
      // Off-topic or rude is not spam: the classifier is not taught either way.
      return from === 'trash' ? { ok: false, message: 'This comment is already in the trash.' } : { ok: true, to: 'trash', teach: null };
    case 'restore':
      // Back to the queue, for a moderator to decide again ("not spam", "untrash").
      return from === 'spam' || from === 'trash' ? { ok: true, to: 'pending', teach: null } : { ok: false, message: 'Only spam or trashed comments can be restored.' };
  }
}
