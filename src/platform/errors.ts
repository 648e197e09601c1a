// Typed errors with a stable code. They are mapped to HTTP in one place (platform/http-errors.ts);
// their messages are written for the person who caused them.

export type ErrorCode =
  | 'not_found'
  | 'invalid_input'
  | 'conflict'
  | 'gone'
  | 'forbidden'
  | 'unauthorized'
  | 'too_large'
  | 'unsupported_type'
  | 'rate_limited'
  | 'comments_closed'
  | 'server_error';

const STATUS: Record<ErrorCode, number> = {
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  gone: 410,
  forbidden: 403,
  unauthorized: 401,
  too_large: 413,
  unsupported_type: 415,
  rate_limited: 429,
  comments_closed: 403,
  server_error: 500,
};

export const ERROR_CODES = Object.keys(STATUS) as ErrorCode[];

/** The code API clients get for an answer with this status and no code of its own. */
export function codeForStatus(status: number): ErrorCode {
  const found = (Object.entries(STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  return found ? found[0] : status >= 500 ? 'server_error' : 'invalid_input';
}

export interface FieldError {
  /** The input field at fault, when there is one (e.g. "headline"). */
  field?: string;
  message: string;
  /** Stable, for programs (the message is for people); filled from the status when not set. */
  code?: ErrorCode;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: FieldError[] = [{ message }],
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (message = 'This page could not be found.') => new AppError('not_found', message);

export const invalidInput = (errors: FieldError[]) =>
  new AppError('invalid_input', errors.map((e) => e.message).join(' '), errors);

export const conflict = (message: string, field?: string) => new AppError('conflict', message, [{ field, message }]);
