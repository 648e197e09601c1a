// GET /search: the reader's words and filters checked at the edge (a clear page for each mistake),
// then answered through the search page's own cache (search-feature.ts says why it is separate).
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { invalidInput } from '../platform/errors.ts';
import type { PageResponder } from '../platform/page-responder.ts';
import { MAX_QUERY_LENGTH } from './search-query.ts';
import { isCalendarDay } from './search-dates.ts';
import { searchHref, type SearchForm } from './search-page.tsx';
import type { SearchPages } from './search-pages.tsx';

const Query = Type.Object({
  // Lengths are checked below, to say so in words; the schema only bounds what is read at all.
  q: Type.Optional(Type.String()),
  section: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ maxLength: 30 })),
  to: Type.Optional(Type.String({ maxLength: 30 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});

export function registerSearchRoutes(fastify: FastifyInstance, pages: SearchPages, responder: PageResponder): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/search', { schema: { querystring: Query } }, async (request, reply) => {
    const form = checkForm(request.query);
    const page = request.query.page ?? 1;
    // One key per distinct search, whatever order or spelling of the parameters the reader's browser sent.
    await responder.respond(request, reply, searchHref(form, page), () => pages.render(form, page));
  });
}

function checkForm(query: { q?: string; section?: string; from?: string; to?: string }): SearchForm {
  const form = { q: (query.q ?? '').trim(), section: (query.section ?? '').trim(), from: (query.from ?? '').trim(), to: (query.to ?? '').trim() };
  const length = [...form.q].length;
  if (length > MAX_QUERY_LENGTH) {
    throw invalidInput([{ field: 'q', message: `A search can be ${MAX_QUERY_LENGTH} characters long at most; this one has ${length.toLocaleString('en-US')}. Search for a few words from it instead.` }]);
  }
  for (const field of ['from', 'to'] as const) {
    if (form[field] && !isCalendarDay(form[field])) {
      throw invalidInput([{ field, message: `The “${field}” date must be a day written like 2026-03-01.` }]);
    }
  }
  if (form.from && form.to && form.from > form.to) throw invalidInput([{ field: 'from', message: 'The “from” date is after the “to” date: swap them to search between the two.' }]);
  return form;
}
