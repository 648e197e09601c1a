// What the alert forms share: the "Who gets it" choices, and the posted values with the repeated
// `sections` field kept as a list.
import type { FieldError } from '../../platform/errors.ts';
import { formFields } from '../../newsroom/forms.tsx';
import { ALL_SECTIONS, topicKey, topicSlugOf } from '../audience.ts';

export type Values = Record<string, string | string[]>;

export function AudienceFields({ sections, topics = [], chosen, errors }: { sections: { slug: string; name: string }[]; topics?: { key: string; name: string }[]; chosen: Values[string] | undefined; errors: FieldError[] }) {
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
      {topics.map((t) => (
        <label key={t.key}>
          <input type="checkbox" name="sections" value={t.key} checked={picked.has(t.key)} /> {`Followers of ${t.name}`}
        </label>
      ))}
    </fieldset>
  );
}

/** Where the alert forms learn which topics to offer. */
export interface TopicChoices {
  /** A story's topics (none for an unknown story). */
  storyTopics(articleId: number): Promise<{ slug: string; name: string }[]>;
  /** The names of audience keys that exist. */
  names(keys: string[]): Promise<Map<string, string>>;
}

/** The topics an alert form offers: the story's own, and any already chosen (a form sent back). */
export async function topicChoices(values: Values, choices: TopicChoices): Promise<{ key: string; name: string }[]> {
  const id = Number(one(values.articleId));
  const own = Number.isInteger(id) && id > 0 && id < 2 ** 31 ? await choices.storyTopics(id) : [];
  const offered = new Map(own.map((t) => [topicKey(t.slug), t.name]));
  const chosen = list(values.sections).filter((key) => topicSlugOf(key) !== null && !offered.has(key));
  for (const [key, name] of await choices.names(chosen)) offered.set(key, name);
  return [...offered].map(([key, name]) => ({ key, name }));
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
