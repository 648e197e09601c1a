// The admin API and the public Content API described as OpenAPI 3.1, generated from the routes'
// own schemas: JSON at /api/docs/json, and a readable page at /api/docs. Only routes with tags
// (the two APIs) appear; Content API operations say they need no token (`security: []`).
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { renderDocument } from './render.ts';

interface Operation {
  summary?: string;
  tags?: string[];
  requestBody?: unknown;
}

export async function installOpenApi(app: FastifyInstance, options: { siteUrl: string; version: string; css: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Bulletin admin API and Content API',
        version: options.version,
        description: 'Create, change, schedule, publish and unpublish stories, manage sections, and upload and describe images in the media library. Authenticate with an API token: `Authorization: Bearer <token>` (`npx bulletin token add NAME --role ROLE`). Errors come back as `{"errors":[{"code":"…","field":"…","message":"…"}]}`: `code` is stable (not_found, invalid_input, conflict, forbidden, unauthorized, too_large, unsupported_type, rate_limited, gone, server_error), `message` is for people. The Content API (`/api/v1`, tag `content`) is public and read-only: published stories, sections, topics and authors, no token; lists page with `limit` (1 to 100, default 20) and the `next` address each page gives; answers carry an ETag (send it back in `If-None-Match` for a 304), `Cache-Control` with `stale-while-revalidate`, and `Access-Control-Allow-Origin: *`; each client address may make `CONTENT_API_RATE_PER_MINUTE` requests a minute (then 429 with `Retry-After`).',
      },
      servers: [{ url: options.siteUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    hideUntagged: true,
  });

  app.get('/api/docs/json', { schema: { hide: true } }, async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(app.swagger()));

  app.get('/api/docs', { schema: { hide: true } }, async (_request, reply) => {
    const spec = app.swagger() as { info: { title: string; description?: string }; paths?: Record<string, Record<string, Operation>> };
    const operations = Object.entries(spec.paths ?? {}).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), summary: op.summary ?? '', tag: op.tags?.[0] ?? '' })),
    );
    const html = renderDocument(
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <title>{spec.info.title}</title>
          <style dangerouslySetInnerHTML={{ __html: options.css }} />
        </head>
        <body>
          <main id="main" class="wrap listing">
            <h1>{spec.info.title}</h1>
            <p>{spec.info.description}</p>
            <p>
              The machine-readable description: <a href="/api/docs/json">/api/docs/json</a> (OpenAPI 3.1).
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Method</th>
                  <th scope="col">Path</th>
                  <th scope="col">What it does</th>
                </tr>
              </thead>
              <tbody>
                {operations.map((op) => (
                  <tr key={`${op.method} ${op.path}`}>
                    <td>
                      <code>{op.method}</code>
                    </td>
                    <td>
                      <code>{op.path}</code>
                    </td>
                    <td>{op.summary}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </main>
        </body>
      </html>,
    );
    return reply.header('cache-control', 'public, max-age=300').type('text/html; charset=utf-8').send(html);
  });
}
