// Topic suggestions in the story form: each with "Add" (it joins the story's topics when the form
// or its autosave saves) or "Not this" (never suggested for this story again), and "Decide later"
// chosen until the editor says otherwise. The kind and the spellings met travel with each choice
// as hidden fields, checked again here, so an added topic keeps them.
import type { StoryFormPart } from '../../newsroom/newsroom-shell.ts';
import { TOPIC_KINDS, type TopicKind } from '../../articles/topics/topic-kinds.ts';
import type { TopicSuggestionService } from '../topic-suggestion-service.ts';

const CHOICE = 'suggested-topic:';
const KIND = 'suggested-kind:';
const VARIANTS = 'suggested-variants:';
/** Form field names hold 100 characters (newsroom/form-schemas.ts): the prefixes and an 80-character name fit. */
const NAME_MAX = 80;

const KIND_LABELS: Record<TopicKind, string> = { person: 'person', place: 'place', organization: 'organization', subject: 'subject' };

export function topicSuggestionPart(suggestions: TopicSuggestionService): StoryFormPart {
  return {
    async render(story) {
      const list = (await suggestions.suggestionsFor(story.id)).filter((s) => s.name.length <= NAME_MAX);
      if (list.length === 0) return null;
      return (
        <fieldset class="topic-suggestions">
          <legend>Suggested topics</legend>
          <p class="hint">From the names in the story and the topics of stories like it. “Add” puts one in the topics above when you save; “Not this” stops suggesting it for this story.</p>
          {list.map((s, i) => (
            <fieldset key={s.name} class="suggestion">
              <legend>
                {s.name} <span class="muted">({KIND_LABELS[s.kind]})</span>
              </legend>
              <input type="hidden" name={KIND + s.name} value={s.kind} />
              <input type="hidden" name={VARIANTS + s.name} value={s.variants.join(', ')} />
              {(['later', 'add', 'reject'] as const).map((choice) => (
                <label key={choice} for={`suggestion-${i}-${choice}`}>
                  <input type="radio" id={`suggestion-${i}-${choice}`} name={CHOICE + s.name} value={choice} checked={choice === 'later'} /> {choice === 'later' ? 'Decide later' : choice === 'add' ? 'Add' : 'Not this'}
                </label>
              ))}
            </fieldset>
          ))}
        </fieldset>
      );
    },
    prepare(values) {
      const added = choices(values, 'add').map((c) => c.name);
      if (added.length === 0) return values;
      const topics = (values.topics ?? '').split(',').map((t) => t.trim()).filter(Boolean);
      const have = new Set(topics.map((t) => t.toLowerCase()));
      return { ...values, topics: [...topics, ...added.filter((name) => !have.has(name.toLowerCase()))].join(', ') };
    },
    async saved(story, values, actor) {
      for (const choice of choices(values, 'reject')) await suggestions.reject(story.id, choice.name, actor);
      for (const choice of choices(values, 'add')) await suggestions.accepted(choice);
    },
  };
}

/** The suggestions the form says were added or rejected, with their kind and spellings if sound. */
function choices(values: Record<string, string>, wanted: 'add' | 'reject') {
  return Object.entries(values)
    .filter(([key, value]) => key.startsWith(CHOICE) && value === wanted)
    .map(([key]) => key.slice(CHOICE.length).trim())
    .filter((name) => name.length > 0 && name.length <= NAME_MAX && !name.includes(','))
    .map((name) => {
      const kind = values[KIND + name] as TopicKind;
      const variants = (values[VARIANTS + name] ?? '').split(',').map((v) => v.trim()).filter((v) => v && v.length <= NAME_MAX).slice(0, 10);
      return { name, kind: TOPIC_KINDS.includes(kind) ? kind : 'subject', score: 0, variants };
    });
}
