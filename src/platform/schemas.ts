// Schemas every edge shares: the shape of an error answer, and the id of a stored row.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ERROR_CODES } from './errors.ts';

/** `{errors:[{code, field?, message}]}`: what every JSON error answer looks like (http-errors.ts). */
export const ErrorsJson = Type.Object({
  errors: Type.Array(
    Type.Object({
      code: Type.Union(ERROR_CODES.map((code) => Type.Literal(code))),
      field: Type.Optional(Type.String()),
      message: Type.String(),
    }),
  ),
});

/** A row id: both engines' integer columns hold 1 to 2³¹−1, so nothing past that can exist. */
export const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

/** Route parameters that name a stored row (`:id`, `:version`): each is an Id. */
const ID_PARAM = /^(id|version)$/;

/**
 * Every route whose address has an `:id` or `:version` gets the Id schema for it (merged with any
 * params schema it states), so ids are checked in one place: a value that cannot name a row
 * (not a whole number, 0, past 2³¹−1) is refused before a handler runs, and http-errors.ts answers
 * it 404, as for any row that does not exist, on both engines.
 */
export function installIdParams(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const names = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!).filter((name) => ID_PARAM.test(name));
    if (names.length === 0) return;
    const schema = (route.schema ??= {}) as { params?: { properties?: Record<string, unknown>; required?: string[] } };
    const params = schema.params ?? { type: 'object', properties: {}, required: [] };
    const properties: Record<string, unknown> = { ...(params.properties ?? {}) };
    for (const name of names) properties[name] = Id;
    schema.params = { ...params, properties, required: [...new Set([...(params.required ?? []), ...names])] };
  });
}
