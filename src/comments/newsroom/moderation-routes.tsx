// The newsroom's Comments screens (moderators, editors, administrators): the queue, filtered by
// status and story, each comment in context (its story, the comment it answers) with its reasons;
// approve / spam / trash / restore one or many; reply as the newsroom; edit; open or close a
// story's comments; readers' reports (their own filter, dismissed or acted on); and the moderation
// settings. Keyboard: j/k move, a/s/t/u act, r opens the reply box (queue island).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ArticleService } from '../../articles/article-service.ts';
import { attempt, formFields } from '../../newsroom/forms.tsx';
import { allows } from '../../newsroom/permissions.ts';
import type { NewsroomPages } from '../../newsroom/layout.tsx';
import type { ClientAssets } from '../../platform/client-assets.ts';
import { notFound, type FieldError } from '../../platform/errors.ts';
import { isMove, MOVES, type CommentMove } from '../comment-moves.ts';
import type { CommentService } from '../comment-service.ts';
import type { CommentStatus } from '../moderation-rules.ts';
import type { ModerationService } from '../moderation-service.ts';
import type { ReportService } from '../report-service.ts';
import { CommentEditPage, QueuePage, SettingsPage, type QueueItem } from './moderation-screens.tsx';

const STATUSES: CommentStatus[] = ['pending', 'approved', 'spam', 'trash'];
const PAGE = 50;

export function registerModerationScreens(
  app: FastifyInstance,
  deps: { comments: CommentService; moderation: ModerationService; reports: ReportService; articles: ArticleService; pages: NewsroomPages; islands: ClientAssets },
): void {
  const { moderation, pages } = deps;
  const config = { permission: 'canModerateComments' as const };
  const ids = (request: FastifyRequest) => (request.params as { id: number }).id;

  app.get('/newsroom/comments', { config }, async (request, reply) => {
    const query = formFields(request.query);
    const reported = query.status === 'reported';
    const status = (STATUSES as string[]).includes(query.status ?? '') ? (query.status as CommentStatus) : query.status === 'all' || reported ? undefined : 'pending';
    const articleId = /^\d{1,9}$/.test(query.article ?? '') ? Number(query.article) : undefined;
    const beforeId = /^\d{1,10}$/.test(query.before ?? '') ? Number(query.before) : undefined;
    const found = await moderation.queue({ status, articleId, beforeId, reported, limit: PAGE });
    const [reports, reportedCount] = await Promise.all([moderation.reportsOf(found.map((c) => c.id)), deps.reports.reportedCount()]);
    const parents = new Map((await Promise.all([...new Set(found.flatMap((c) => (c.parentId ? [c.parentId] : [])))].map((id) => moderation.get(id).catch(() => undefined)))).flatMap((c) => (c ? [[c.id, c] as const] : [])));
    const stories = new Map<number, { headline: string; path: string } | null>();
    for (const id of new Set(found.map((c) => c.articleId))) {
      const article = await deps.articles.findById(id);
      stories.set(id, article ? { headline: article.headline, path: `/${article.section.slug}/${article.slug}` } : null);
    }
    const items: QueueItem[] = found.map((comment) => ({ comment, parent: comment.parentId ? parents.get(comment.parentId) : undefined, story: stories.get(comment.articleId) ?? null, reports: reports.get(comment.id) }));
    const story = articleId ? await deps.articles.findById(articleId) : undefined;
    const storyOpen = story ? await deps.comments.isOpen(story) : undefined;
    const script = await deps.islands.url('comment-queue');
    const notice = query.notice ?? '';
    return pages.send(request, reply, { title: 'Comments' }, (ctx) => (
      <QueuePage
        ctx={ctx}
        items={items}
        status={reported ? 'reported' : (status ?? 'all')}
        reportedCount={reportedCount}
        articleId={articleId}
        story={story && { id: story.id, headline: story.headline, open: storyOpen ?? true }}
        next={found.length === PAGE ? found[found.length - 1]!.id : undefined}
        notice={notice}
        script={script}
        mayPick={allows(request.staff, 'canEditAnyStory')}
        mayManageData={allows(request.staff, 'canManageCommenterData')}
      />
    ));
  });

  const back = (request: FastifyRequest, notice: string) => {
    const fields = formFields(request.body);
    const url = /^\/newsroom\/comments(\?[^\s]*)?$/.test(fields.back ?? '') ? fields.back! : '/newsroom/comments';
    return `${url}${url.includes('?') ? '&' : '?'}notice=${encodeURIComponent(notice)}`;
  };

  for (const move of MOVES) {
    app.post(`/newsroom/comments/:id/${move}`, { config }, async (request, reply) => {
      const outcome = await attempt(() => moderation.move(ids(request), move, request.staff!));
      const notice = 'ok' in outcome ? `Comment ${ids(request)}: ${DONE[move]}.` : outcome.errors.map((e) => e.message).join(' ');
      return reply.code(303).header('location', back(request, notice)).send();
    });
  }

  app.post('/newsroom/comments/:id/dismiss-reports', { config }, async (request, reply) => {
    const outcome = await attempt(() => deps.reports.dismiss(ids(request), request.staff!));
    const notice = 'ok' in outcome ? `Comment ${ids(request)}: reports dismissed.` : outcome.errors.map((e) => e.message).join(' ');
    return reply.code(303).header('location', back(request, notice)).send();
  });

  app.post('/newsroom/comments/bulk', { config }, async (request, reply) => {
    const fields = request.body as Record<string, string | string[]>;
    const chosen = [fields.ids ?? []].flat().filter((v) => /^\d{1,10}$/.test(v)).map(Number).slice(0, 500);
    const action = formFields(request.body).action;
    if (!isMove(action)) return reply.code(303).header('location', back(request, 'Choose what to do with the selected comments.')).send();
    if (chosen.length === 0) return reply.code(303).header('location', back(request, 'Select the comments first.')).send();
    const moved = await moderation.moveMany(chosen, action as CommentMove, request.staff!);
    return reply.code(303).header('location', back(request, `${moved.length} of ${chosen.length} comments: ${DONE[action]}.`)).send();
  });

  // Featuring is an editor's call (editors and administrators), not every moderator's.
  app.post('/newsroom/comments/:id/pick', { config: { permission: 'canEditAnyStory' } }, async (request, reply) => {
    const picked = formFields(request.body).picked !== 'no';
    const outcome = await attempt(() => moderation.pick(ids(request), picked, request.staff!));
    const notice = 'ok' in outcome ? `Comment ${ids(request)}: ${picked ? 'an editor’s pick' : 'no longer an editor’s pick'}.` : outcome.errors.map((e) => e.message).join(' ');
    return reply.code(303).header('location', back(request, notice)).send();
  });

  app.post('/newsroom/comments/:id/reply', { config }, async (request, reply) => {
    const outcome = await attempt(() => moderation.reply(ids(request), formFields(request.body)[`reply-${ids(request)}`], request.staff!));
    const notice = 'ok' in outcome ? `Replied to comment ${ids(request)}.` : outcome.errors.map((e) => e.message).join(' ');
    return reply.code(303).header('location', back(request, notice)).send();
  });

  const editPage = async (request: FastifyRequest, reply: FastifyReply, values?: Record<string, string>, errors: FieldError[] = [], status = 200) => {
    const comment = await moderation.get(ids(request));
    return pages.send(request, reply, { title: `Edit comment ${comment.id}`, status }, (ctx) => <CommentEditPage ctx={ctx} comment={comment} values={values} errors={errors} />);
  };
  app.get('/newsroom/comments/:id/edit', { config }, (request, reply) => editPage(request, reply));
  app.post('/newsroom/comments/:id/edit', { config }, async (request, reply) => {
    const fields = formFields(request.body);
    const outcome = await attempt(() => moderation.edit(ids(request), { body: fields.body, authorName: fields.authorName, authorUrl: fields.authorUrl }, request.staff!));
    if ('errors' in outcome) return editPage(request, reply, fields, outcome.errors, outcome.status);
    return reply.code(303).header('location', `/newsroom/comments?status=all&notice=${encodeURIComponent(`Comment ${ids(request)} saved.`)}`).send();
  });

  app.post('/newsroom/comments/stories/:id/open', { config }, async (request, reply) => {
    const open = formFields(request.body).open === 'yes';
    const outcome = await attempt(() => deps.comments.setOpen(ids(request), open));
    if ('errors' in outcome) throw notFound('There is no such story.');
    const notice = open ? 'Comments are open on this story.' : 'Comments are closed on this story.';
    return reply.code(303).header('location', `/newsroom/comments?status=all&article=${ids(request)}&notice=${encodeURIComponent(notice)}`).send();
  });

  const settingsPage = async (request: FastifyRequest, reply: FastifyReply, values?: Record<string, string>, errors: FieldError[] = [], status = 200) => {
    const settings = await deps.comments.settings();
    return pages.send(request, reply, { title: 'Comment settings', status }, (ctx) => <SettingsPage ctx={ctx} settings={settings} values={values} errors={errors} saved={formFields(request.query).saved === '1'} />);
  };
  app.get('/newsroom/comments/settings', { config }, (request, reply) => settingsPage(request, reply));
  app.post('/newsroom/comments/settings', { config }, async (request, reply) => {
    const fields = formFields(request.body);
    const outcome = await attempt(() => moderation.saveSettings(fields, request.staff!));
    if ('errors' in outcome) return settingsPage(request, reply, fields, outcome.errors, outcome.status);
    return reply.code(303).header('location', '/newsroom/comments/settings?saved=1').send();
  });

}

const DONE: Record<CommentMove, string> = { approve: 'approved', spam: 'marked as spam', trash: 'moved to the trash', restore: 'restored to the queue' };
