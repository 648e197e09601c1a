// What the alert forms share: the "Who gets it" choices, and the posted values with the repeated
// `sections` field kept as a list.
import type { FieldError } from '../../platform/errors.ts';
import { formFields } from '../../newsroom/forms.tsx';
import { ALL_SECTIONS } from '../subscription-service.ts';

export type Values = Record<string, string | string[]>;

export function AudienceFields({ sections, chosen, errors }: { sections: { slug: string; name: string }[]; chosen: Values[string] | undefined; errors: FieldError[] }) {
  const picked = new Set(list(chosen));
  const error = errors.find((e) => e.field === 'sections');
  return (
    <fieldset>
      <legend>Who gets it</legend>
      {error && <p class="field-error">{error.message}</p>}
      <label>
        <input type="checkbox" name="sections" value={ALL_SECTIONS} checked={picked.size === 0 || picked.has(ALL_SECTIONS)} /> Everyone subscribed
      </label>
      {sections.map((s) => (
        <label key={s.slug}>
          <input type="checkbox" name="sections" value={s.slug} checked={picked.has(s.slug)} /> {`Readers of ${s.name}`}
        </label>
      ))}
    </fieldset>
  );
}

/** The form's values with repeated names (the sections) kept as lists. */
export function formValues(body: unknown): Values {
  const out: Values = { ...formFields(body) };
  const sections = body && typeof body === 'object' ? (body as Record<string, unknown>).sections : undefined;
  if (Array.isArray(sections)) out.sections = sections.filter((s): s is string => typeof s === 'string');
  else if (typeof sections === 'string') out.sections = [sections];
  return out;
}

export const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[value.length - 1] : value);
const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
