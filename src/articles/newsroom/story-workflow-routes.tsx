// The workflow buttons on the edit screen: submit, return to draft, publish, schedule, unpublish
// and correct. Each is a small POST form answering 303 back to the edit screen with a notice, or
// the edit screen with the problem. The gate checks the role's permission; editable() the story.
//
// Each button's form carries the version the page showed (the editor island raises it after every
// autosave), so "Publish" publishes what this person saw: when someone else saved in between, the
// move is refused and the edit screen shows their changes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayEditStory, type Actor, type Permission } from '../../newsroom/permissions.ts';
import type { Article } from '../model.ts';
import { invalidInput } from '../../platform/errors.ts';
import { formFields } from '../../newsroom/forms.tsx';
import { formErrors } from './story-form.tsx';
import { compare } from './story-diff.tsx';
import { expectedVersionOf, type storyScreens, type StoryDeps } from './story-screens.tsx';
import { zonedInputToUtc } from './story-time.ts';

type Move = (article: Article, fields: Record<string, string>, by: Actor, expectedVersion: number) => Promise<unknown>;

export function registerStoryWorkflowRoutes(app: FastifyInstance, deps: StoryDeps, screens: ReturnType<typeof storyScreens>): void {
  const { articles, timeZone } = deps;
  const { editable, showEdit } = screens;

  const route = (action: string, permission: Permission, done: string, move: Move) =>
    app.post(`/newsroom/stories/:id/${action}`, { config: { permission } }, async (request: FastifyRequest, reply: FastifyReply) => {
      const article = await editable(request);
      const fields = formFields(request.body);
      try {
        await move(article, fields, request.actor!, expectedVersionOf(fields));
      } catch (error) {
        const failed = formErrors(error);
        if (!failed) throw error;
        // The service names the schedule's time "publishedAt"; on this screen the field is "at".
        const errors = failed.errors.map((e) => (e.field === 'publishedAt' ? { ...e, field: 'at' } : e));
        const current = (await articles.findById(article.id))!;
        const seen = failed.status === 409 && errors.some((e) => e.field === 'version') ? await articles.revision(article.id, expectedVersionOf(fields)) : undefined;
        return showEdit(request, reply, current, { errors, status: failed.status, conflict: seen && compare(seen, current) });
      }
      // A contributor who hands a draft in may not edit it any more: back to their stories with the
      // notice, rather than to an edit screen that would answer 404.
      const moved = await articles.findById(article.id);
      if (moved && mayEditStory(request.actor, moved)) return reply.redirect(`/newsroom/stories/${article.id}/edit?done=${done}`, 303);
      // Nor are they "also editing this story" for the editors any more.
      await deps.presence.leave(article.id, request.staff!.id);
      return reply.redirect(`/newsroom/stories?done=${done}`, 303);
    });

  route('submit', 'canSubmitForEdit', 'submitted', (a, _f, by, version) => articles.submitForEdit(a.id, version, by));
  // Returning to draft is the writer's own move too (taking back a story handed in too early).
  route('return', 'canSubmitForEdit', 'returned', (a, _f, by, version) => articles.returnToDraft(a.id, version, by));
  route('publish', 'canPublish', 'published', (a, _f, by, version) => articles.publishNow(a.id, version, by));
  route('schedule', 'canPublish', 'scheduled', (a, fields, by, version) => {
    const at = zonedInputToUtc(fields.at ?? '', timeZone);
    if (!at) throw invalidInput([{ field: 'at', message: 'Enter the date and time to publish at, like 2026-12-01 09:30.' }]);
    return articles.schedule(a.id, at, version, by);
  });
  route('unpublish', 'canPublish', 'unpublished', (a, fields, by, version) => {
    if (fields.confirm !== 'yes') {
      throw invalidInput([{ field: 'confirm', message: 'Tick the box to confirm that readers will see “removed” at this story’s address.' }]);
    }
    return articles.unpublish(a.id, version, by);
  });
  route('corrections', 'canPublish', 'corrected', (a, fields, by, version) => articles.addCorrection(a.id, fields.text ?? '', version, by));
}
