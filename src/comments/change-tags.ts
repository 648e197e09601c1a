// Cache tags the comments feature records when what readers see of a thread changes: the story's
// page and every card that shows its comment count carry `comments:<article id>`.
export const commentTags = {
  thread: (articleId: number) => `comments:${articleId}`,
  /** Moderation settings (word lists, depth limit…), read by every process from its memory. */
  settings: 'comments:settings',
  /** The classifier learnt from a decision: other processes reload its counts. */
  model: 'comments:model',
} as const;
