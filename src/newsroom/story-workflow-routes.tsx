// The workflow buttons on the edit screen: submit, return to draft, publish, schedule, unpublish
// and correct. Each is a small POST form answering 303 back to the edit screen with a notice, or
// the edit screen with the problem. The gate checks the role's permission; editable() the story.
//
// A move acts on the story's current version rather than one the button's form carried: the
// editor's autosave raises the version while the page stays open, and a move changes only the
// status and time, never the text someone else saved.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Permission } from '../accounts/permissions.ts';
import type { Article } from '../articles/model.ts';
import { invalidInput } from '../platform/errors.ts';
import { formFields } from './forms.tsx';
import { formErrors } from './story-form.tsx';
import type { storyScreens, StoryDeps } from './story-screens.tsx';
import { zonedInputToUtc } from './story-time.ts';

type Move = (article: Article, fields: Record<string, string>, by: Actor) => Promise<unknown>;

export function registerStoryWorkflowRoutes(app: FastifyInstance, deps: StoryDeps, screens: ReturnType<typeof storyScreens>): void {
  const { articles, timeZone } = deps;
  const { editable, showEdit } = screens;

  const route = (action: string, permission: Permission, done: string, move: Move) =>
    app.post(`/newsroom/stories/:id/${action}`, { config: { permission } }, async (request: FastifyRequest, reply: FastifyReply) => {
      const article = await editable(request);
      try {
        await move(article, formFields(request.body), request.actor!);
      } catch (error) {
        const failed = formErrors(error);
        if (!failed) throw error;
        // The service names the schedule's time "publishedAt"; on this screen the field is "at".
        const errors = failed.errors.map((e) => (e.field === 'publishedAt' ? { ...e, field: 'at' } : e));
        return showEdit(request, reply, (await articles.findById(article.id))!, { errors, status: failed.status });
      }
      return reply.redirect(`/newsroom/stories/${article.id}/edit?done=${done}`, 303);
    });

  route('submit', 'canSubmitForEdit', 'submitted', (a, _f, by) => articles.submitForEdit(a.id, a.version, by));
  // Returning to draft is the writer's own move too (taking back a story handed in too early).
  route('return', 'canSubmitForEdit', 'returned', (a, _f, by) => articles.returnToDraft(a.id, a.version, by));
  route('publish', 'canPublish', 'published', (a, _f, by) => articles.publishNow(a.id, a.version, by));
  route('schedule', 'canPublish', 'scheduled', (a, fields, by) => {
    const at = zonedInputToUtc(fields.at ?? '', timeZone);
    if (!at) throw invalidInput([{ field: 'at', message: 'Enter the date and time to publish at, like 2026-12-01 09:30.' }]);
    return articles.schedule(a.id, at, a.version, by);
  });
  route('unpublish', 'canPublish', 'unpublished', (a, fields, by) => {
    if (fields.confirm !== 'yes') {
      throw invalidInput([{ field: 'confirm', message: 'Tick the box to confirm that readers will see “removed” at this story’s address.' }]);
    }
    return articles.unpublish(a.id, a.version, by);
  });
  route('corrections', 'canPublish', 'corrected', (a, fields, by) => articles.addCorrection(a.id, fields.text ?? '', a.version, by));
}
