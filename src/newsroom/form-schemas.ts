// The shape every newsroom screen's input has at the edge: form posts are fields of text (a name
// given twice arrives as a list), and so are query strings. Routes that take something else (JSON
// for browser code, a multipart upload) state their own schema. What the fields must say is the
// services' to check, with a message for the field at fault; this refuses what no form sends.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

const Value = Type.Union([Type.String({ maxLength: 1_000_000 }), Type.Array(Type.String({ maxLength: 1_000_000 }), { maxItems: 200 })]);

/** `application/x-www-form-urlencoded` fields, as @fastify/formbody parses them. */
export const FormFields = Type.Record(Type.String({ maxLength: 100 }), Value);

/** A screen's query string. */
export const QueryFields = Type.Record(Type.String({ maxLength: 100 }), Value);

/** Gives every /newsroom route that states no body or querystring schema the ones above. */
export function installFormSchemas(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.url !== '/newsroom' && !route.url.startsWith('/newsroom/')) return;
    const schema = (route.schema ??= {});
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    schema.querystring ??= QueryFields;
    if (methods.includes('POST')) schema.body ??= FormFields;
  });
}
