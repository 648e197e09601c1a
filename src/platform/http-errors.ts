// Maps errors to HTTP in one place: JSON `{errors:[…]}` for API clients, friendly HTML for readers.
// Never a stack trace or SQL in a response; the full error goes to the log.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, codeForStatus, type ErrorCode, type FieldError } from './errors.ts';

export interface ErrorPages {
  notFound(request: FastifyRequest): Promise<{ status?: number; body: string }>;
  serverError(): string;
  badRequest(message: string, status: number): string;
}

export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || (request.headers.accept ?? '').startsWith('application/json');
}

export function installErrorHandlers(app: FastifyInstance, pages: ErrorPages): void {
  app.setNotFoundHandler(async (request, reply) => {
    if (wantsJson(request)) return sendJsonErrors(reply, 404, [{ message: 'Not found.' }]);
    const page = await pages.notFound(request).catch(() => ({ status: 404, body: pages.serverError() }));
    return reply.code(404).header('cache-control', 'public, max-age=10').type('text/html; charset=utf-8').send(page.body);
  });

  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    const status = statusOf(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const details: FieldError[] =
      error instanceof AppError
        ? error.details
        : status === 404
          ? [{ message: 'Not found.' }]
          : error.validation
          ? error.validation.map(describeValidation)
          : [{ message: status >= 500 ? 'Something went wrong on our side.' : error.message }];
    if (wantsJson(request)) return sendJsonErrors(reply, status, details, error instanceof AppError ? error.code : undefined);
    reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8');
    if (status === 404) return reply.send((await pages.notFound(request)).body);
    if (status >= 500) return reply.send(pages.serverError());
    return reply.send(pages.badRequest(details.map((d) => d.message).join(' '), status));
  });
}

/** Schema validation failures, worded for the person who sent the request. */
function describeValidation(v: NonNullable<FastifyError['validation']>[number]): FieldError {
  const field = v.instancePath.replace(/^\//, '').replace(/\//g, '.') || undefined;
  const params = v.params as Record<string, unknown>;
  if (v.keyword === 'additionalProperties') {
    return { field: String(params.additionalProperty), message: `Unknown field "${String(params.additionalProperty)}".` };
  }
  if (v.keyword === 'required') {
    return { field: String(params.missingProperty), message: `The field "${String(params.missingProperty)}" is required.` };
  }
  return { field, message: `${field ? `The field "${field}"` : 'The input'} ${v.message ?? 'is invalid'}.` };
}

/** A failed Id check of an `:id` or `:version` in the address (platform/schemas.ts installIdParams). */
function namesNoRow(error: FastifyError): boolean {
  return error.validationContext === 'params' && !!error.validation?.length && error.validation.every((v) => /^\/(id|version)$/.test(v.instancePath));
}

function statusOf(error: FastifyError | AppError): number {
  if (error instanceof AppError) return error.status;
  // An address whose id cannot name a row names nothing: not found, like a row that is missing.
  if (namesNoRow(error as FastifyError)) return 404;
  if ((error as FastifyError).validation) return 400;
  const status = (error as FastifyError).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/** `{errors:[{code, field?, message}]}`: every error carries a stable code (`code`, else one for the status). */
export function sendJsonErrors(reply: FastifyReply, status: number, errors: FieldError[], code: ErrorCode = codeForStatus(status)): FastifyReply {
  const coded = errors.map((error) => ({ code: error.code ?? code, ...error }));
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send({ errors: coded });
}
