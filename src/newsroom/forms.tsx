// Form parts shared by newsroom screens: an error summary that links to each field, labelled
// fields that show their own error, the CSRF field; reading a form body and running its action.
import { AppError, type FieldError } from '../platform/errors.ts';

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function ErrorSummary({ errors }: { errors: FieldError[] }) {
  if (!errors.length) return null;
  return (
    <div class="errors" role="alert" tabIndex={-1}>
      <h2>There is a problem</h2>
      <ul>
        {errors.map((e, i) => (
          <li key={i}>{e.field ? <a href={`#${e.field}`}>{e.message}</a> : e.message}</li>
        ))}
      </ul>
    </div>
  );
}

export interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'url';
  value?: string;
  hint?: string;
  errors?: FieldError[];
  autocomplete?: string;
  required?: boolean;
  inputMode?: 'numeric';
}

export function Field(props: FieldProps) {
  const error = props.errors?.find((e) => e.field === props.name);
  const described = [props.hint && `${props.name}-hint`, error && `${props.name}-error`].filter(Boolean).join(' ') || undefined;
  // One object for the input: Preact's types split <input> by `type`, which a prop cannot narrow.
  const attrs: Record<string, unknown> = {
    id: props.name,
    name: props.name,
    type: props.type ?? 'text',
    value: props.value,
    autocomplete: props.autocomplete,
    required: props.required,
    inputMode: props.inputMode,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': described,
  };
  return (
    <div>
      <label for={props.name}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${props.name}-error`}>
          {error.message}
        </p>
      )}
      <input {...attrs} />
    </div>
  );
}

export function TextArea(props: { name: string; label: string; value?: string; hint?: string; errors?: FieldError[] }) {
  const error = props.errors?.find((e) => e.field === props.name);
  return (
    <div>
      <label for={props.name}>{props.label}</label>
      {props.hint && <p class="hint">{props.hint}</p>}
      {error && <p class="field-error">{error.message}</p>}
      <textarea id={props.name} name={props.name} aria-invalid={error ? 'true' : undefined}>
        {props.value}
      </textarea>
    </div>
  );
}

/** The form body as plain strings (formbody gives strings; repeated names keep the last value). */
export function formFields(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body)) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (typeof last === 'string') out[key] = last;
  }
  return out;
}

/** Runs a form action; a mistake the person can fix comes back as field errors and a status. */
export async function attempt<T>(action: () => Promise<T>): Promise<{ ok: T } | { errors: FieldError[]; status: number }> {
  try {
    return { ok: await action() };
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return { errors: error.details, status: error.status };
    throw error;
  }
}
