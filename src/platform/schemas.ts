// Schemas every edge shares: the shape of an error answer, and the id of a stored row.
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
